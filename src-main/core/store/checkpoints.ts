import type { CheckpointInfo } from '../../api/contract-training.ts'
import { now, type DB } from './db.ts'
import { parseJson } from './json.ts'

type Row = {
  id: number
  name: string
  kind: CheckpointInfo['kind']
  parent_id: number | null
  run_id: number | null
  run_kind: string | null
  run_name: string | null
  path: string | null
  config: string
  created_at: string
}

/** Every checkpoint, newest first, with its ancestors (parent first) and the run that made it. */
export function listCheckpoints(db: DB): CheckpointInfo[] {
  const rows = db
    .prepare(
      `SELECT c.id, c.name, c.kind, c.parent_id, c.run_id, r.kind AS run_kind, r.name AS run_name, c.path, c.config, c.created_at
       FROM checkpoints c LEFT JOIN runs r ON r.id = c.run_id ORDER BY c.id DESC`,
    )
    .all() as Row[]
  const byId = new Map(rows.map((r) => [r.id, r]))
  return rows.map((r) => {
    const lineage: CheckpointInfo['lineage'] = []
    const seen = new Set([r.id])
    // A cycle cannot be written through the engine, but a hand-edited file must not hang the UI.
    for (let p = r.parent_id; p !== null && !seen.has(p); ) {
      const parent = byId.get(p)
      if (!parent) break
      seen.add(p)
      lineage.push({ id: parent.id, name: parent.name })
      p = parent.parent_id
    }
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      parentId: r.parent_id,
      lineage,
      runId: r.run_id,
      runKind: r.run_kind,
      runName: r.run_name,
      path: r.path,
      config: parseJson(r.config),
      createdAt: r.created_at,
    }
  })
}

/**
 * Records a checkpoint and returns its id: a local one (its folder under the data directory,
 * written before the row, and its content hash) or a served one (an endpoint's model, no files).
 */
export function insertCheckpoint(
  db: DB,
  c: { name: string; kind: 'local' | 'endpoint'; parentId: number | null; runId?: number | null; path?: string; config: unknown; contentHash?: string },
): number {
  const info = db
    .prepare(`INSERT INTO checkpoints (name, kind, parent_id, run_id, path, config, content_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(c.name, c.kind, c.parentId, c.runId ?? null, c.path ?? null, JSON.stringify(c.config), c.contentHash ?? null, now())
  return Number(info.lastInsertRowid)
}
