// Writes what exploration does into the store: runs, episodes, the node tree, branch events and
// human reflection requests. One place, so that every sampler records the same way.
import type { Reflection, Task } from '../envs/types.ts'
import { writeInChunks } from '../store/chunks.ts'
import { now, writeTransaction, type DB } from '../store/db.ts'

// The run itself is opened and closed by the job (jobs/runs.ts); its rows are written in store/runs.ts.
export { createRun, finishRun } from '../store/runs.ts'

export function createEpisode(db: DB, runId: number, task: Task & { rowId?: number }, attempt: number, sampler: string): number {
  return Number(
    db
      .prepare(`INSERT INTO episodes (run_id, task_id, env, task_key, attempt, sampler, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'running', ?)`)
      .run(runId, task.rowId ?? null, task.env, task.id, attempt, sampler, now()).lastInsertRowid,
  )
}

export function setEpisodeRoot(db: DB, episodeId: number, rootNodeId: number): void {
  db.prepare(`UPDATE episodes SET root_node_id = ? WHERE id = ?`).run(rootNodeId, episodeId)
}

export function finishEpisode(db: DB, episodeId: number, status: 'success' | 'failure' | 'error', steps: number): void {
  db.prepare(`UPDATE episodes SET status = ?, steps = ?, ended_at = ? WHERE id = ?`).run(status, steps, now(), episodeId)
}

/**
 * Ends a task's still-running episodes as errors (a server fault, a timeout), with the reason.
 * Their nodes stay: steps counts the actions recorded before the fault.
 */
export function failRunningEpisodes(db: DB, episodeIds: number[], message: string): void {
  const st = db.prepare(
    `UPDATE episodes SET status = 'error', error = ?, ended_at = ?,
       steps = MAX(0, (SELECT COUNT(*) FROM nodes WHERE episode_id = episodes.id) - 1)
     WHERE id = ? AND status = 'running'`,
  )
  writeTransaction(db, () => {
    for (const id of episodeIds) st.run(message, now(), id)
  })()
}

/** Branch events still waiting for their branch when their task ended: 'error' after a fault, 'failure' when the budget ran out first. */
export function failPendingBranches(db: DB, eventIds: number[], message: string, outcome: 'error' | 'failure' = 'error'): void {
  const st = db.prepare(`UPDATE branch_events SET outcome = ?, message = ? WHERE id = ? AND outcome = 'pending'`)
  writeTransaction(db, () => {
    for (const id of eventIds) st.run(outcome, message, id)
  })()
}

/** Tasks of the run that finished: their rows in run_tasks, with what each recorded. */
export function finishedTasks(db: DB, runId: number): Map<string, Record<string, number>> {
  const rows = db.prepare(`SELECT task_key, outcome FROM run_tasks WHERE run_id = ?`).all(runId) as { task_key: string; outcome: string }[]
  return new Map(rows.map((r) => [r.task_key, JSON.parse(r.outcome) as Record<string, number>]))
}

/** Episodes per transaction when a resume clears unfinished tasks (each takes its nodes with it). */
const DROP_CHUNK = 50

/**
 * What a crashed run left of unfinished tasks is deleted; those tasks are explored again from the
 * start. A few episodes per transaction: one DELETE over thousands of open episodes held the write
 * lock for minutes, and a resume killed midway leaves the rest for the next one.
 */
export function dropUnfinishedTasks(db: DB, runId: number): number {
  const open = db
    .prepare(`SELECT id FROM episodes WHERE run_id = ? AND task_key NOT IN (SELECT task_key FROM run_tasks WHERE run_id = ?)`)
    .pluck()
    .all(runId, runId) as number[]
  const drop = db.prepare(`DELETE FROM episodes WHERE id = ?`)
  writeInChunks(db, open, (id) => drop.run(id), DROP_CHUNK)
  return open.length
}

export function markTaskFinished(db: DB, runId: number, taskKey: string, solved: boolean, outcome: Record<string, number>): void {
  db.prepare(`INSERT INTO run_tasks (run_id, task_key, solved, outcome) VALUES (?, ?, ?, ?)`).run(runId, taskKey, solved ? 1 : 0, JSON.stringify(outcome))
}

export type NewBranchEvent = {
  episodeId: number
  nodeId: number
  failedNodeId: number
  tau: number
  reflection: Reflection
  failedAction: string | null
  rollbackMode: 'replay' | 'snapshot' | null
  outcome: 'pending' | 'failure' | 'error'
  message?: string
}

export function insertBranchEvent(db: DB, e: NewBranchEvent): number {
  return Number(
    db
      .prepare(
        `INSERT INTO branch_events (episode_id, node_id, failed_node_id, tau, reflector, experience, avoid, failed_action, rollback_mode, outcome, message, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        e.episodeId, e.nodeId, e.failedNodeId, e.tau, e.reflection.source, e.reflection.experience,
        JSON.stringify(e.reflection.avoid ?? []), e.failedAction, e.rollbackMode, e.outcome, e.message ?? '', now(),
      ).lastInsertRowid,
  )
}

/** The child a branch event produced: its revised action a'_tau and its node (one per event; siblings are events of their own). */
export function setBranchChild(db: DB, eventId: number, revisedAction: string, childNodeId: number): void {
  db.prepare(`UPDATE branch_events SET revised_action = ?, child_node_id = ? WHERE id = ?`).run(
    revisedAction,
    childNodeId,
    eventId,
  )
}

export function setBranchOutcome(db: DB, eventId: number, outcome: 'success' | 'failure' | 'nondeterministic' | 'error', message?: string): void {
  // A success is final: a later failing sibling does not undo it.
  db.prepare(`UPDATE branch_events SET outcome = ?, message = COALESCE(?, message) WHERE id = ? AND outcome != 'success'`).run(outcome, message ?? null, eventId)
}

export function requestHumanReflection(db: DB, runId: number, episodeId: number, failedNodeId: number): number {
  return Number(
    db
      .prepare(`INSERT INTO reflection_requests (run_id, episode_id, failed_node_id, status, created_at) VALUES (?, ?, ?, 'pending', ?)`)
      .run(runId, episodeId, failedNodeId, now()).lastInsertRowid,
  )
}

/** Answers that arrived for this run since the last look; each is handed out once. */
export function takeHumanAnswers(db: DB, runId: number): { id: number; reflection: Reflection }[] {
  return writeTransaction(db, () => {
    const rows = db.prepare(`SELECT id, answer FROM reflection_requests WHERE run_id = ? AND status = 'answered'`).all(runId) as { id: number; answer: string }[]
    const mark = db.prepare(`UPDATE reflection_requests SET status = 'taken' WHERE id = ?`)
    for (const r of rows) mark.run(r.id)
    return rows.map((r) => ({ id: r.id, reflection: { ...(JSON.parse(r.answer) as Reflection), source: 'human' as const } }))
  })()
}

/** The ids of this run's requests a person (or a timeout) skipped. */
export function skippedHumanRequests(db: DB, runId: number): Set<number> {
  const rows = db.prepare(`SELECT id FROM reflection_requests WHERE run_id = ? AND status = 'skipped'`).all(runId) as { id: number }[]
  return new Set(rows.map((r) => r.id))
}

/** Stores a person's answer to a pending request; the exploration takes it at its next poll. */
export function recordHumanAnswer(db: DB, requestId: number, reflection: Reflection): void {
  db.prepare(`UPDATE reflection_requests SET status = 'answered', answer = ?, answered_at = ? WHERE id = ? AND status = 'pending'`).run(JSON.stringify(reflection), now(), requestId)
}

export function skipHumanRequest(db: DB, requestId: number): void {
  db.prepare(`UPDATE reflection_requests SET status = 'skipped' WHERE id = ? AND status = 'pending'`).run(requestId)
}
