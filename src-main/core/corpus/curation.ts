import { now, type DB } from '../store/db.ts'
import { dedupKey } from './dedup.ts'

export type NewCorpusItem = {
  kind: 'cf' | 'reh' | 'manual'
  env: string
  taskKey: string | null
  prompt: string
  target: string
  experience: string | null
  failedAction: string | null
  source: string
  sourceRunId: number | null
  sourceNodeId: number | null
  branchEventId: number | null
  meta: Record<string, unknown>
}

/** Inserts new items, skipping any whose (prompt, target) is already in the corpus; returns how many were inserted. */
export function insertCorpusItems(db: DB, items: NewCorpusItem[]): number {
  const exists = db.prepare('SELECT 1 FROM corpus_items WHERE dedup_key = ?')
  const insert = db.prepare(
    `INSERT INTO corpus_items (kind, env, task_key, prompt, target, experience, failed_action, status, source, source_run_id, source_node_id, branch_event_id, dedup_key, meta, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  return db.transaction(() => {
    let n = 0
    for (const it of items) {
      const key = dedupKey(it.prompt, it.target)
      if (exists.get(key)) continue
      const t = now()
      insert.run(it.kind, it.env, it.taskKey, it.prompt, it.target, it.experience, it.failedAction, it.source, it.sourceRunId, it.sourceNodeId, it.branchEventId, key, JSON.stringify(it.meta), t, t)
      n++
    }
    return n
  })()
}
