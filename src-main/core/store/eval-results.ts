// The eval_results table's writes, and the per-run reads the eval job and the reports share:
// one row per (run, policy, task) with n samples and c successes, written as soon as a task's
// samples are in (so a resumed run redoes only what is missing).
import type { TaskCount } from '../../shared/jobs/quickstart.ts'
import type { DB } from './db.ts'

export type EvalCountRow = { policy: string; checkpointId: number | null; taskId: number | null; taskKey: string; n: number; c: number; errors: number }

/** Writes (or rewrites) a task's counts for one policy of a run; prepare once, call per task. */
export function evalCountsWriter(db: DB): (row: EvalCountRow & { runId: number }) => void {
  const insert = db.prepare(
    `INSERT INTO eval_results (run_id, policy, checkpoint_id, task_id, task_key, n, c, errors) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (run_id, policy, task_key) DO UPDATE SET n = excluded.n, c = excluded.c, errors = excluded.errors`,
  )
  return (r) => void insert.run(r.runId, r.policy, r.checkpointId, r.taskId, r.taskKey, r.n, r.c, r.errors)
}

/** The (policy, task) pairs a run has counts for. */
export function evaluatedPairs(db: DB, runId: number): { policy: string; taskKey: string }[] {
  return db.prepare('SELECT policy, task_key AS taskKey FROM eval_results WHERE run_id = ?').all(runId) as { policy: string; taskKey: string }[]
}

/** Every count of a run. */
export function runEvalCounts(db: DB, runId: number): { policy: string; n: number; c: number; errors: number }[] {
  return db.prepare('SELECT policy, n, c, errors FROM eval_results WHERE run_id = ?').all(runId) as { policy: string; n: number; c: number; errors: number }[]
}

/** One policy's (n, c) per task of a run, by task key: what Pass@k and any comparison are computed from. */
export function policyTaskCounts(db: DB, runId: number, policy: string): TaskCount[] {
  return db.prepare('SELECT task_key AS taskKey, n, c FROM eval_results WHERE run_id = ? AND policy = ? ORDER BY task_key').all(runId, policy) as TaskCount[]
}
