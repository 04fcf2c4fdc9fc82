// The `eval` job: for each policy, n samples per task; (n, c) per task stored in eval_results as
// soon as a task's samples are in, so a resumed run only redoes what was not finished.
import { getEnvironment } from '../envs/registry.ts'
import { resolveTasks } from '../envs/tasksets.ts'
import { createRun, finishRun } from '../explore/recorder.ts'
import { JobCancelled, type JobContext } from '../jobs/types.ts'
import { createPolicy } from '../policies/factory.ts'
import { EvalConfig, policyKey } from './config.ts'
import { samplePassAtK } from './sampler.ts'

export type EvalSummary = {
  runId: number
  taskSet: string
  tasks: number
  n: number
  /** Per policy: Pass@1 = mean c/n, Pass@n = share of tasks solved at least once (both exact from (n, c)). */
  policies: { policy: string; passAt1: number; passAtN: number }[]
  seconds: number
}

export async function run(ctx: JobContext<unknown>): Promise<EvalSummary> {
  const config = EvalConfig.parse((ctx.params as { config: unknown }).config)
  const db = ctx.db()
  const env = getEnvironment(config.env)
  const { set, tasks: all } = resolveTasks(db, env, config.tasks)
  const tasks = config.limit ? all.slice(0, config.limit) : all
  const saved = ctx.state as { runId?: number } | null
  const runId = saved?.runId ?? createRun(db, 'eval', `eval · ${set.name} · n=${config.n}`, { ...config, taskSetName: set.name }, ctx.jobId)
  ctx.saveState({ runId })

  const stored = db.prepare('SELECT policy, task_key FROM eval_results WHERE run_id = ?').all(runId) as { policy: string; task_key: string }[]
  const have = new Set(stored.map((r) => `${r.policy}\u0000${r.task_key}`))
  const insert = db.prepare(
    `INSERT INTO eval_results (run_id, policy, checkpoint_id, task_id, task_key, n, c) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (run_id, policy, task_key) DO UPDATE SET n = excluded.n, c = excluded.c`,
  )
  const total = config.policies.length * tasks.length * config.n
  let done = have.size * config.n
  const started = Date.now()
  try {
    for (const spec of config.policies) {
      const key = policyKey(spec)
      const todo = tasks.filter((t) => !have.has(`${key}\u0000${t.id}`))
      if (todo.length === 0) continue
      const policy = await createPolicy(spec, env, { dataDir: ctx.dataDir })
      const base = done
      try {
        await samplePassAtK({
          env, policy, policyKey: key, tasks: todo, n: config.n, temperature: config.temperature, topP: config.topP, seed: config.seed, signal: ctx.signal,
          onTaskDone: (r) => insert.run(runId, key, spec.kind === 'checkpoint' ? spec.id : null, r.task.rowId ?? null, r.task.id, r.n, r.c),
          onProgress: (episodes) => ctx.progress(base + episodes, total, `${key}: ${episodes}/${todo.length * config.n} episodes`),
        })
      } finally {
        await policy.close?.()
      }
      done = base + todo.length * config.n
    }
  } catch (err) {
    finishRun(db, runId, err instanceof JobCancelled ? 'cancelled' : 'failed', { error: (err as Error).message })
    throw err
  }
  const rows = db.prepare('SELECT policy, n, c FROM eval_results WHERE run_id = ?').all(runId) as { policy: string; n: number; c: number }[]
  const summary: EvalSummary = {
    runId,
    taskSet: set.name,
    tasks: tasks.length,
    n: config.n,
    policies: config.policies.map((spec) => {
      const mine = rows.filter((r) => r.policy === policyKey(spec))
      return {
        policy: policyKey(spec),
        passAt1: mine.reduce((a, r) => a + r.c / r.n, 0) / Math.max(1, mine.length),
        passAtN: mine.filter((r) => r.c > 0).length / Math.max(1, mine.length),
      }
    }),
    seconds: (Date.now() - started) / 1000,
  }
  finishRun(db, runId, 'done', summary)
  return summary
}
