// The read side of the corpus: windows of rows for a virtualised table, one item in full with
// its history, and counts by environment, kind, status, source and task.
import type { CorpusCounts, CorpusFilter, CorpusItem, CorpusRow, CorpusSort } from '../../api/contract-corpus.ts'
import { notFound } from '../errors.ts'
import type { DB } from '../store/db.ts'
import { parseJson } from '../store/json.ts'
import { corpusOrder, corpusWhere } from './filter.ts'
import { targetProblemWithoutState } from './target-check.ts'

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
  targetProblem: targetProblemWithoutState(r.env, r.target),
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

type Tally = { key: string; n: number }
const COUNT_COLUMNS = ['env', 'kind', 'status', 'source', 'task_key'] as const

/**
 * Counts under a filter, grouped five ways; tasks are capped at the 100 largest. Without a text
 * search each grouping walks an index; with one, a single scan groups by all five at once (the
 * text match is the cost, so it is paid once, not five times).
 */
export function corpusCounts(db: DB, filter: CorpusFilter): CorpusCounts {
  const w = corpusWhere(filter)
  let tallies: Tally[][]
  if (filter.text) {
    const groups = db
      .prepare(`SELECT ${COUNT_COLUMNS.map((c) => `COALESCE(${c}, '')`).join(', ')}, COUNT(*) FROM corpus_items ${w.sql} GROUP BY ${COUNT_COLUMNS.join(', ')}`)
      .raw()
      .all(...w.args) as (string | number)[][]
    tallies = COUNT_COLUMNS.map((_, i) => {
      const m = new Map<string, number>()
      for (const g of groups) m.set(g[i] as string, (m.get(g[i] as string) ?? 0) + (g[5] as number))
      return [...m].map(([key, n]) => ({ key, n }))
    })
  } else {
    tallies = COUNT_COLUMNS.map(
      (c) => db.prepare(`SELECT COALESCE(${c}, '') AS key, COUNT(*) AS n FROM corpus_items ${w.sql} GROUP BY ${c}`).all(...w.args) as Tally[],
    )
  }
  const sorted = (t: Tally[], limit = Infinity) => t.sort((a, b) => b.n - a.n || (a.key < b.key ? -1 : 1)).slice(0, limit)
  const [byEnv, byKind, byStatus, bySource, byTask] = tallies as [Tally[], Tally[], Tally[], Tally[], Tally[]]
  return {
    total: byStatus.reduce((s, r) => s + r.n, 0),
    byEnv: sorted(byEnv),
    byKind: sorted(byKind),
    byStatus: sorted(byStatus),
    bySource: sorted(bySource),
    byTask: sorted(byTask, 100),
  }
}
