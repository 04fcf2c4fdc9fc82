// Pass@k from stored evaluation results: which task sets have (n, c) rows for which policies
// (checkpoints and baselines such as random play), the curves of chosen policies on one of them,
// and the solved-task comparison of two.
import type { EvalScope, EvalScopeInfo, PassCurveOut, SolvedComparisonOut } from '../../api/contract-eval.ts'
import { taskSetLabel } from '../../shared/format.ts'
import { notFound } from '../errors.ts'
import type { DB } from '../store/db.ts'
import { pairedBootstrap } from './paired-bootstrap.ts'
import { compareSolved, kGrid, passAtK, passCurve, type CurveOptions, type TaskCount } from './passk.ts'

type ScopeRow = {
  set_id: number | null
  set_name: string | null
  set_split: string | null
  set_source: string | null
  set_params: string | null
  set_count: number | null
  env: string | null
  run_id: number
  run_name: string
  policy: string
  checkpoint_id: number | null
  name: string
  tasks: number
  n: number
}

/**
 * Task sets with results (through the tasks the rows point at), and eval runs whose rows point
 * at no stored task. Within a task set, a policy evaluated by several runs counts by its latest
 * run: curves never mix samples taken under different settings.
 */
export function evalScopes(db: DB): EvalScopeInfo[] {
  const rows = db
    .prepare(
      `SELECT t.task_set_id AS set_id, ts.name AS set_name, ts.split AS set_split, ts.source AS set_source, ts.params AS set_params,
              (SELECT COUNT(*) FROM tasks x WHERE x.task_set_id = ts.id) AS set_count, ts.env, er.run_id, r.name AS run_name, er.policy, er.checkpoint_id,
              COALESCE(c.name, er.policy) AS name, COUNT(*) AS tasks, MIN(er.n) AS n
       FROM eval_results er
       JOIN runs r ON r.id = er.run_id
       LEFT JOIN checkpoints c ON c.id = er.checkpoint_id
       LEFT JOIN tasks t ON t.id = er.task_id
       LEFT JOIN task_sets ts ON ts.id = t.task_set_id
       GROUP BY t.task_set_id, er.run_id, er.policy
       ORDER BY er.run_id, er.checkpoint_id IS NOT NULL, er.checkpoint_id, er.policy`,
    )
    .all() as ScopeRow[]
  const scopes = new Map<string, EvalScopeInfo>()
  for (const r of rows) {
    const key = r.set_id !== null ? `set:${r.set_id}` : `run:${r.run_id}`
    let s = scopes.get(key)
    if (!s) {
      s = r.set_id !== null
        ? {
            scope: { taskSetId: r.set_id },
            label: taskSetLabel({ name: r.set_name!, env: r.env!, split: r.set_split!, source: r.set_source!, params: JSON.parse(r.set_params!), count: r.set_count! }),
            name: r.set_name,
            env: r.env,
            policies: [],
          }
        : { scope: { runId: r.run_id }, label: r.run_name || `eval run ${r.run_id}`, name: null, env: null, policies: [] }
      scopes.set(key, s)
    }
    // Rows come in run order: a later run of the same policy replaces the earlier one.
    const entry = { policy: r.policy, name: r.name, checkpointId: r.checkpoint_id, tasks: r.tasks, n: r.n, runId: r.run_id }
    const i = s.policies.findIndex((p) => p.policy === r.policy)
    if (i >= 0) s.policies[i] = entry
    else s.policies.push(entry)
  }
  return [...scopes.values()]
}

export type PolicyCounts = { runId: number; name: string; checkpointId: number | null; counts: TaskCount[] }

/** One policy's (n, c) per task within a scope, and the eval run they come from. */
export function taskCounts(db: DB, scope: EvalScope, policy: string): PolicyCounts {
  let runId: number | null
  let rows: (TaskCount & { checkpointId: number | null; name: string })[]
  const columns = `er.task_key AS taskKey, er.n, er.c, er.checkpoint_id AS checkpointId, COALESCE(cp.name, er.policy) AS name`
  if ('taskSetId' in scope) {
    runId = (
      db
        .prepare(`SELECT MAX(er.run_id) AS r FROM eval_results er JOIN tasks t ON t.id = er.task_id WHERE t.task_set_id = ? AND er.policy = ?`)
        .get(scope.taskSetId, policy) as { r: number | null }
    ).r
    rows = runId === null ? [] : (db
      .prepare(
        `SELECT ${columns} FROM eval_results er JOIN tasks t ON t.id = er.task_id LEFT JOIN checkpoints cp ON cp.id = er.checkpoint_id
         WHERE t.task_set_id = ? AND er.policy = ? AND er.run_id = ? ORDER BY er.task_key`,
      )
      .all(scope.taskSetId, policy, runId) as typeof rows)
  } else {
    runId = scope.runId
    rows = db
      .prepare(`SELECT ${columns} FROM eval_results er LEFT JOIN checkpoints cp ON cp.id = er.checkpoint_id WHERE er.run_id = ? AND er.policy = ? ORDER BY er.task_key`)
      .all(scope.runId, policy) as typeof rows
  }
  if (runId === null || rows.length === 0) {
    const where = 'taskSetId' in scope ? `task set ${scope.taskSetId}` : `eval run ${scope.runId}`
    throw notFound(`Evaluation results of policy "${policy}" on ${where}`)
  }
  return { runId, name: rows[0]!.name, checkpointId: rows[0]!.checkpointId, counts: rows.map(({ taskKey, n, c }) => ({ taskKey, n, c })) }
}

export function passCurves(db: DB, scope: EvalScope, policies: string[], opts: CurveOptions): PassCurveOut[] {
  return policies.map((policy) => {
    const { runId, name, checkpointId, counts } = taskCounts(db, scope, policy)
    return { policy, name, checkpointId, runId, ...passCurve(counts, opts) }
  })
}

export function comparePolicies(db: DB, scope: EvalScope, a: string, b: string): SolvedComparisonOut {
  const ca = taskCounts(db, scope, a).counts
  const cb = taskCounts(db, scope, b).counts
  return { a, b, ...compareSolved(ca, cb), paired: pairedPassAtK(ca, cb) }
}

/**
 * b − a in Pass@k on the tasks both were evaluated on, per k on the grid up to the smallest n of
 * either, with the paired bootstrap over those tasks (seeded: the same rows give the same interval).
 */
export function pairedPassAtK(a: TaskCount[], b: TaskCount[]): SolvedComparisonOut['paired'] {
  const inB = new Map(b.filter((t) => t.n > 0).map((t) => [t.taskKey, t]))
  const pairs = a.filter((t) => t.n > 0 && inB.has(t.taskKey)).map((t) => [t, inB.get(t.taskKey)!] as const)
  if (pairs.length === 0) return []
  const n = Math.min(...pairs.map(([x, y]) => Math.min(x.n, y.n)))
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length
  return kGrid(n).map((k) => {
    const va = pairs.map(([x]) => passAtK(x.n, x.c, k))
    const vb = pairs.map(([, y]) => passAtK(y.n, y.c, k))
    const r = pairedBootstrap(vb, va, { seed: 0 })
    return { k, a: mean(va), b: mean(vb), diff: r.mean, lo: r.lo, hi: r.hi }
  })
}
