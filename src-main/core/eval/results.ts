// Pass@k from stored evaluation results: which task sets and checkpoints have (n, c) rows, the
// curves of chosen checkpoints on one of them, and the solved-task comparison of two.
import type { EvalScope, EvalScopeInfo, PassCurveOut, SolvedComparisonOut } from '../../api/contract-data.ts'
import { notFound } from '../errors.ts'
import type { DB } from '../store/db.ts'
import { compareSolved, passCurve, type CurveOptions, type TaskCount } from './passk.ts'

type ScopeRow = { set_id: number | null; set_name: string | null; env: string | null; run_id: number; run_name: string; checkpoint_id: number; name: string; tasks: number; n: number }

/**
 * Task sets with results (through the tasks the rows point at), and eval runs whose rows point
 * at no stored task. Within a task set, a checkpoint evaluated by several runs counts by its
 * latest run: curves never mix samples taken under different settings.
 */
export function evalScopes(db: DB): EvalScopeInfo[] {
  const rows = db
    .prepare(
      `SELECT t.task_set_id AS set_id, ts.name AS set_name, ts.env, er.run_id, r.name AS run_name, er.checkpoint_id, c.name,
              COUNT(*) AS tasks, MIN(er.n) AS n
       FROM eval_results er
       JOIN checkpoints c ON c.id = er.checkpoint_id
       JOIN runs r ON r.id = er.run_id
       LEFT JOIN tasks t ON t.id = er.task_id
       LEFT JOIN task_sets ts ON ts.id = t.task_set_id
       GROUP BY t.task_set_id, er.run_id, er.checkpoint_id
       ORDER BY er.run_id, er.checkpoint_id`,
    )
    .all() as ScopeRow[]
  const scopes = new Map<string, EvalScopeInfo>()
  for (const r of rows) {
    const key = r.set_id !== null ? `set:${r.set_id}` : `run:${r.run_id}`
    let s = scopes.get(key)
    if (!s) {
      s = r.set_id !== null
        ? { scope: { taskSetId: r.set_id }, label: r.set_name!, env: r.env, checkpoints: [] }
        : { scope: { runId: r.run_id }, label: r.run_name || `eval run ${r.run_id}`, env: null, checkpoints: [] }
      scopes.set(key, s)
    }
    // Rows come in run order: a later run of the same checkpoint replaces the earlier one.
    const entry = { id: r.checkpoint_id, name: r.name, tasks: r.tasks, n: r.n, runId: r.run_id }
    const i = s.checkpoints.findIndex((c) => c.id === r.checkpoint_id)
    if (i >= 0) s.checkpoints[i] = entry
    else s.checkpoints.push(entry)
  }
  return [...scopes.values()]
}

/** One checkpoint's (n, c) per task within a scope, and the eval run they come from. */
export function taskCounts(db: DB, scope: EvalScope, checkpointId: number): { runId: number; name: string; counts: TaskCount[] } {
  const cp = db.prepare(`SELECT name FROM checkpoints WHERE id = ?`).get(checkpointId) as { name: string } | undefined
  if (!cp) throw notFound(`Checkpoint ${checkpointId}`)
  let runId: number | null
  let counts: TaskCount[]
  if ('taskSetId' in scope) {
    runId = (
      db
        .prepare(`SELECT MAX(er.run_id) AS r FROM eval_results er JOIN tasks t ON t.id = er.task_id WHERE t.task_set_id = ? AND er.checkpoint_id = ?`)
        .get(scope.taskSetId, checkpointId) as { r: number | null }
    ).r
    counts = runId === null ? [] : (db
      .prepare(
        `SELECT er.task_key AS taskKey, er.n, er.c FROM eval_results er JOIN tasks t ON t.id = er.task_id
         WHERE t.task_set_id = ? AND er.checkpoint_id = ? AND er.run_id = ? ORDER BY er.task_key`,
      )
      .all(scope.taskSetId, checkpointId, runId) as TaskCount[])
  } else {
    runId = scope.runId
    counts = db
      .prepare(`SELECT task_key AS taskKey, n, c FROM eval_results WHERE run_id = ? AND checkpoint_id = ? ORDER BY task_key`)
      .all(scope.runId, checkpointId) as TaskCount[]
  }
  if (runId === null || counts.length === 0) {
    const where = 'taskSetId' in scope ? `task set ${scope.taskSetId}` : `eval run ${scope.runId}`
    throw notFound(`Evaluation results of checkpoint ${checkpointId} (${cp.name}) on ${where}`)
  }
  return { runId, name: cp.name, counts }
}

export function passCurves(db: DB, scope: EvalScope, checkpointIds: number[], opts: CurveOptions): PassCurveOut[] {
  return checkpointIds.map((id) => {
    const { runId, name, counts } = taskCounts(db, scope, id)
    return { checkpointId: id, name, runId, ...passCurve(counts, opts) }
  })
}

export function compareCheckpoints(db: DB, scope: EvalScope, a: number, b: number): SolvedComparisonOut {
  return { a, b, ...compareSolved(taskCounts(db, scope, a).counts, taskCounts(db, scope, b).counts) }
}
