// Curation: the one place that writes corpus items — inserts from the corpus
// builders, accept / reject, target and note edits, per item and in bulk on a filter, and
// manual corrections. Every edit is kept in corpus_history (field, before, after, when).
//
// Deduplication: an item is its (prompt, effective target) pair, keyed by dedupKey (the edited
// target when there is one). An insert whose pair exists already is skipped and answered with
// the existing item's id, whatever that item's status (a rejected pair stays rejected). An edit
// that would make an item's pair equal to another item's is refused (in bulk: that item is
// skipped and named), so nothing is silently merged or lost; the user can reject one instead.
import type { BulkAction, BulkResult, CorpusFilter, CorpusItem } from '../../api/contract-corpus.ts'
import { getEnvironment } from '../envs/registry.ts'
import { EngineError, notFound } from '../errors.ts'
import { writeInChunks } from '../store/chunks.ts'
import { now, writeTransaction, type DB } from '../store/db.ts'
import { pair } from './pair.ts'
import { contextAtNode } from './context.ts'
import { dedupKey } from './dedup.ts'
import { countCorpus } from './query.ts'
import { corpusWhere } from './filter.ts'
import { checkItemTarget, checkTargetAt, targetProblemWithoutState } from './target-check.ts'

type Status = CorpusItem['status']

/** What a corpus builder hands over; the dedup key and timestamps are added here. */
export type NewCorpusItem = {
  kind: CorpusItem['kind']
  env: string
  taskKey?: string | null
  /** h_tau rendered WITHOUT the experience (see context.ts renderCorpusPrompt). */
  prompt: string
  target: string
  /** Kept for display; never part of the prompt. */
  experience?: string | null
  failedAction?: string | null
  /** The reflector (critic, self, llm, human) or 'import'. */
  source: string
  status?: Status
  note?: string
  sourceRunId?: number | null
  sourceNodeId?: number | null
  branchEventId?: number | null
  meta?: Record<string, unknown>
}

/**
 * Inserts items in one transaction, skipping (prompt, target) pairs that exist already; returns
 * how many were inserted. A malformed item stops the whole batch: nothing is half-written.
 */
export function insertCorpusItems(db: DB, items: NewCorpusItem[]): number {
  items.forEach((it, i) => {
    if (!it.prompt || !it.target) {
      throw new EngineError('bad_request', `Corpus item ${i + 1} of ${items.length} has an empty ${it.prompt ? 'target' : 'prompt'}; nothing was inserted.`)
    }
  })
  const insert = db.prepare(
    `INSERT INTO corpus_items (kind, env, task_key, prompt, target, experience, failed_action, status, note, source,
                               source_run_id, source_node_id, branch_event_id, dedup_key, meta, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (dedup_key) DO NOTHING`,
  )
  const t = now()
  const inserted: number[] = []
  try {
    // In chunks, so that a big import never holds the write lock near the busy timeout.
    writeInChunks(db, items, (it) => {
      const r = insert.run(
        it.kind, it.env, it.taskKey ?? null, it.prompt, it.target, it.experience ?? null, it.failedAction ?? null,
        it.status ?? 'pending', it.note ?? '', it.source, it.sourceRunId ?? null, it.sourceNodeId ?? null,
        it.branchEventId ?? null, dedupKey(it.prompt, it.target), JSON.stringify(it.meta ?? {}), t, t,
      )
      if (r.changes) inserted.push(Number(r.lastInsertRowid))
    })
  } catch (err) {
    // All or nothing: the chunks already committed are taken back out.
    const remove = db.prepare(`DELETE FROM corpus_items WHERE id = ?`)
    writeInChunks(db, inserted, (id) => remove.run(id))
    throw err
  }
  return inserted.length
}

const historyInsert = (db: DB) => db.prepare(`INSERT INTO corpus_history (item_id, field, before, after, at) VALUES (?, ?, ?, ?, ?)`)

/**
 * Accepts every pending item a run produced (the quickstart and the paper bench, where no person
 * curates); returns how many. Each change is in the items' history, as a person's would be.
 */
export function acceptPending(db: DB, runId: number): number {
  const ids = (db.prepare(`SELECT id FROM corpus_items WHERE source_run_id = ? AND status = 'pending'`).all(runId) as { id: number }[]).map((r) => r.id)
  return setStatus(db, ids, 'accepted')
}

/** Accept, reject or reset items by id; all of them exist or nothing changes. Returns how many changed. */
export function setStatus(db: DB, ids: number[], status: Status): number {
  const get = db.prepare(`SELECT status FROM corpus_items WHERE id = ?`)
  const update = db.prepare(`UPDATE corpus_items SET status = ?, updated_at = ? WHERE id = ?`)
  const history = historyInsert(db)
  return writeTransaction(db, () => {
    const t = now()
    let changed = 0
    for (const id of new Set(ids)) {
      const row = get.get(id) as { status: Status } | undefined
      if (!row) throw notFound(`Corpus item ${id}`)
      if (row.status === status) continue
      update.run(status, t, id)
      history.run(id, 'status', row.status, status, t)
      changed++
    }
    return changed
  })()
}

type TargetRow = { id: number; env: string; prompt: string; target: string; edited_target: string | null }

/**
 * Sets one item's effective target. Returns false when nothing changed, and a reason when the
 * new pair would repeat another item's. Editing back to the original target clears the edit.
 */
function applyTarget(db: DB, row: TargetRow, target: string, t: string): true | false | string {
  const before = row.edited_target ?? row.target
  if (before === target) return false
  const key = dedupKey(row.prompt, target)
  const other = db.prepare(`SELECT id, status FROM corpus_items WHERE dedup_key = ? AND id != ?`).get(key, row.id) as
    | { id: number; status: Status }
    | undefined
  if (other) return `item ${other.id} (${other.status}) already has this prompt with the target "${target}"`
  db.prepare(`UPDATE corpus_items SET edited_target = ?, dedup_key = ?, updated_at = ? WHERE id = ?`).run(
    target === row.target ? null : target, key, t, row.id,
  )
  historyInsert(db).run(row.id, 'target', before, target, t)
  return true
}

/**
 * Edits one item's target: refused (bad_request) when the environment does not accept it at the
 * item's state (target-check.ts), and (conflict) when the pair would repeat another item.
 */
export async function editTarget(db: DB, id: number, target: string): Promise<void> {
  const item = db.prepare(`SELECT env, kind, source_node_id AS sourceNodeId FROM corpus_items WHERE id = ?`).get(id) as
    | { env: string; kind: string; sourceNodeId: number | null }
    | undefined
  if (!item) throw notFound(`Corpus item ${id}`)
  const checked = await checkItemTarget(db, item, target)
  writeTransaction(db, () => {
    const row = db.prepare(`SELECT id, env, prompt, target, edited_target FROM corpus_items WHERE id = ?`).get(id) as TargetRow | undefined
    if (!row) throw notFound(`Corpus item ${id}`)
    const r = applyTarget(db, row, checked, now())
    if (typeof r === 'string') throw new EngineError('conflict', `Edit of item ${id} refused: ${r}. Reject one of the two instead.`)
  })()
}

export function editNote(db: DB, id: number, note: string): void {
  writeTransaction(db, () => {
    const row = db.prepare(`SELECT note FROM corpus_items WHERE id = ?`).get(id) as { note: string } | undefined
    if (!row) throw notFound(`Corpus item ${id}`)
    if (row.note === note) return
    const t = now()
    db.prepare(`UPDATE corpus_items SET note = ?, updated_at = ? WHERE id = ?`).run(note, t, id)
    historyInsert(db).run(id, 'note', row.note, note, t)
  })()
}

const MAX_SKIPPED_LISTED = 100

/**
 * Applies one action to every item under a filter, in one transaction. With expectMatched (the
 * count the user was shown) a filter that now matches another number changes nothing.
 */
export function bulkApply(db: DB, filter: CorpusFilter, action: BulkAction, expectMatched?: number): BulkResult {
  const w = corpusWhere(filter)
  return writeTransaction(db, (): BulkResult => {
    const matched = countCorpus(db, filter)
    if (expectMatched !== undefined && matched !== expectMatched) {
      throw new EngineError('conflict', `The filter now matches ${matched} items, not the ${expectMatched} shown; nothing was changed. Look again and retry.`)
    }
    const t = now()
    if (action.type === 'status' || action.type === 'note') {
      const column = action.type
      const value = action.type === 'status' ? action.status : action.note
      const and = `${w.sql ? `${w.sql} AND` : 'WHERE'} ${column} != ?`
      // History first: it reads the values the update is about to replace.
      db.prepare(`INSERT INTO corpus_history (item_id, field, before, after, at) SELECT id, ?, ${column}, ?, ? FROM corpus_items ${and}`).run(
        column, value, t, ...w.args, value,
      )
      const changed = db.prepare(`UPDATE corpus_items SET ${column} = ?, updated_at = ? ${and}`).run(value, t, ...w.args, value).changes
      return { matched, changed, skipped: [], skippedCount: 0 }
    }
    const rows = db.prepare(`SELECT id, env, prompt, target, edited_target FROM corpus_items ${w.sql} ORDER BY id`).all(...w.args) as TargetRow[]
    const skipped: BulkResult['skipped'] = []
    let skippedCount = 0
    let changed = 0
    for (const row of rows) {
      // In bulk there is no one state to replay: the stateless check (parser + action space) decides.
      const r = targetProblemWithoutState(row.env, action.target) ?? applyTarget(db, row, action.target, t)
      if (r === true) changed++
      else if (typeof r === 'string') {
        skippedCount++
        if (skipped.length < MAX_SKIPPED_LISTED) skipped.push({ id: row.id, reason: r })
      }
    }
    return { matched, changed, skipped, skippedCount }
  })()
}

/**
 * A manual correction ("branch from here"): at this node's state the agent should have taken
 * `action`. The environment must accept the action there (target-check.ts). The pair is rendered
 * like every D_cf pair (build.ts), the node's next action on the first attempt kept as the failed
 * one; the item is accepted at once, since a person wrote it. Returns the new item's id.
 */
export async function createManualItem(db: DB, input: { nodeId: number; action: string; note: string }): Promise<number> {
  const { context, node, episode } = contextAtNode(db, input.nodeId)
  if (node.done) {
    throw new EngineError('bad_request', `Node ${node.id} ends its episode, so no action follows it; pick an earlier state.`)
  }
  const env = getEnvironment(episode.env)
  const action = await checkTargetAt(env, context, input.action)
  const taken = db.prepare(`SELECT action FROM nodes WHERE parent_id = ? ORDER BY id LIMIT 1`).get(node.id) as { action: string | null } | undefined
  const { prompt, target, ...rendered } = pair(env, context, action)
  const key = dedupKey(prompt, target)
  return writeTransaction(db, () => {
    const other = db.prepare(`SELECT id, status FROM corpus_items WHERE dedup_key = ?`).get(key) as { id: number; status: Status } | undefined
    if (other) {
      throw new EngineError('conflict', `Item ${other.id} (${other.status}) already teaches "${target}" at this state; edit or accept that one.`)
    }
    insertCorpusItems(db, [
      {
        kind: 'manual',
        env: episode.env,
        taskKey: episode.taskKey,
        prompt,
        target,
        failedAction: taken?.action ?? null,
        source: 'human',
        status: 'accepted',
        note: input.note,
        sourceRunId: episode.runId,
        sourceNodeId: node.id,
        meta: { ...rendered, episodeId: episode.id, step: node.step },
      },
    ])
    return (db.prepare(`SELECT id FROM corpus_items WHERE dedup_key = ?`).get(key) as { id: number }).id
  })()
}
