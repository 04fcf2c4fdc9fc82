// The read side of the corpus: windows of rows for a virtualised table, one item in full with
// its history, and counts by environment, kind, status, source and task.
import type { CorpusCounts, CorpusFilter, CorpusItem, CorpusRow, CorpusSort } from '../../api/contract-data.ts'
import { notFound } from '../errors.ts'
import type { DB } from '../store/db.ts'
import { parseJson } from '../store/json.ts'
import { corpusOrder, corpusWhere } from './filter.ts'

const ROW_COLUMNS = `id, kind, env, task_key, status, COALESCE(edited_target, target) AS target, edited_target IS NOT NULL AS edited,
                     failed_action, substr(experience, 1, 200) AS experience, source, substr(note, 1, 200) AS note, updated_at`

type RowRow = {
  id: number
  kind: CorpusRow['kind']
  env: string
  task_key: string | null
  status: CorpusRow['status']
  target: string
  edited: number
  failed_action: string | null
  experience: string | null
  source: string
  note: string
  updated_at: string
}

const toRow = (r: RowRow): CorpusRow => ({
  id: r.id,
  kind: r.kind,
  env: r.env,
  taskKey: r.task_key,
  status: r.status,
  target: r.target,
  edited: r.edited === 1,
  failedAction: r.failed_action,
  experience: r.experience,
  source: r.source,
  note: r.note,
  updatedAt: r.updated_at,
})

export function countCorpus(db: DB, filter: CorpusFilter): number {
  const w = corpusWhere(filter)
  return (db.prepare(`SELECT COUNT(*) AS n FROM corpus_items ${w.sql}`).get(...w.args) as { n: number }).n
}

/** One window of the table: rows [offset, offset + limit) under a filter and sort, and the total. */
export function listCorpus(db: DB, filter: CorpusFilter, sort: CorpusSort, offset: number, limit: number): { total: number; offset: number; items: CorpusRow[] } {
  const w = corpusWhere(filter)
  const rows = db
    .prepare(`SELECT ${ROW_COLUMNS} FROM corpus_items ${w.sql} ${corpusOrder(sort)} LIMIT ? OFFSET ?`)
    .all(...w.args, limit, offset) as RowRow[]
  return { total: countCorpus(db, filter), offset, items: rows.map(toRow) }
}

export function corpusRowsAtNode(db: DB, nodeId: number): CorpusRow[] {
  return (db.prepare(`SELECT ${ROW_COLUMNS} FROM corpus_items WHERE source_node_id = ? AND kind = 'manual' ORDER BY id`).all(nodeId) as RowRow[]).map(toRow)
}

type ItemRow = RowRow & {
  prompt: string
  original_target: string
  full_experience: string | null
  full_note: string
  source_run_id: number | null
  source_node_id: number | null
  branch_event_id: number | null
  episode_id: number | null
  tau: number | null
  meta: string
  created_at: string
}

export function getCorpusItem(db: DB, id: number): CorpusItem {
  const r = db
    .prepare(
      `SELECT ${ROW_COLUMNS}, prompt, target AS original_target, experience AS full_experience, note AS full_note,
              source_run_id, source_node_id, branch_event_id, meta, created_at,
              COALESCE((SELECT episode_id FROM branch_events b WHERE b.id = c.branch_event_id),
                       (SELECT episode_id FROM nodes n WHERE n.id = c.source_node_id)) AS episode_id,
              (SELECT tau FROM branch_events b WHERE b.id = c.branch_event_id) AS tau
       FROM corpus_items c WHERE id = ?`,
    )
    .get(id) as ItemRow | undefined
  if (!r) throw notFound(`Corpus item ${id}`)
  const history = db
    .prepare(`SELECT field, before, after, at FROM corpus_history WHERE item_id = ? ORDER BY id`)
    .all(id) as CorpusItem['history']
  return {
    ...toRow(r),
    note: r.full_note,
    prompt: r.prompt,
    originalTarget: r.original_target,
    experience: r.full_experience,
    sourceRunId: r.source_run_id,
    sourceNodeId: r.source_node_id,
    branchEventId: r.branch_event_id,
    episodeId: r.episode_id,
    tau: r.tau,
    meta: parseJson(r.meta),
    createdAt: r.created_at,
    history,
  }
}

/** Counts under a filter, grouped five ways; tasks are capped at the 100 largest. */
export function corpusCounts(db: DB, filter: CorpusFilter): CorpusCounts {
  const w = corpusWhere(filter)
  const by = (column: string, limit = -1) =>
    db
      .prepare(`SELECT COALESCE(${column}, '') AS key, COUNT(*) AS n FROM corpus_items ${w.sql} GROUP BY ${column} ORDER BY n DESC, key LIMIT ?`)
      .all(...w.args, limit) as { key: string; n: number }[]
  const byStatus = by('status')
  return {
    total: byStatus.reduce((s, r) => s + r.n, 0),
    byEnv: by('env'),
    byKind: by('kind'),
    byStatus,
    bySource: by('source'),
    byTask: by('task_key', 100),
  }
}
