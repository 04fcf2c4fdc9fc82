// The `eval` job: for each policy, n samples per task; (n, c) per task stored in eval_results as
// soon as a task's samples are in, so a resumed run only redoes what was not finished.
import { resolveEnvironment } from '../envs/resolve.ts'
import { resolveTasks } from '../envs/tasksets.ts'
import { closeRun, failRun, openRun } from '../jobs/runs.ts'
import type { JobContext } from '../jobs/types.ts'
import { createPolicy, pinPolicySpec } from '../policies/factory.ts'
import { EvalParams, policyKey } from '../../shared/jobs/eval.ts'
import { savedJobState } from '../../shared/jobs/kinds.ts'
import { evalCountsWriter, evaluatedPairs, runEvalCounts } from '../store/eval-results.ts'
import { samplePassAtK } from './sampler.ts'

import type { EvalSummary } from '../../shared/jobs/eval.ts'
export type { EvalSummary }

/** How many fault reasons a summary keeps; the count covers them all. */
const ERRORS_KEPT = 20

export async function run(ctx: JobContext<unknown>): Promise<EvalSummary> {
  const config = EvalParams.parse(ctx.params).config
  const db = ctx.db()
  const env = resolveEnvironment(db, config.env)
  const { set, tasks: all } = resolveTasks(db, env, config.tasks)
  const tasks = config.limit ? all.slice(0, config.limit) : all
  const saved = savedJobState('eval', ctx.state)
  // Pinned at the first start, so that a resumed run keeps asking the same models.
  const policies = saved?.policies ?? config.policies.map((p) => pinPolicySpec(db, p))
  const runId = openRun(ctx, { resume: saved?.runId, kind: 'eval', name: `eval · ${set.name} · n=${config.n}`, config: { ...config, policies, taskSetName: set.name } })
  const errorSamples = saved?.errorSamples ?? []
  ctx.saveState({ runId, policies, errorSamples })

  const have = new Set(evaluatedPairs(db, runId).map((r) => `${r.policy}\u0000${r.taskKey}`))
  const saveCounts = evalCountsWriter(db)
  const total = policies.length * tasks.length * config.n
  let done = have.size * config.n
  const started = Date.now()
  try {
    for (const spec of policies) {
      const key = policyKey(spec)
      const todo = tasks.filter((t) => !have.has(`${key}\u0000${t.id}`))
      if (todo.length === 0) continue
      const policy = await createPolicy(spec, env, { dataDir: ctx.dataDir, db })
      const base = done
      try {
        await samplePassAtK({
          env, policy, policyKey: key, tasks: todo, n: config.n, temperature: config.temperature, topP: config.topP, seed: config.seed, signal: ctx.signal,
          onTaskDone: (r) => {
            saveCounts({ runId, policy: key, checkpointId: spec.kind === 'checkpoint' ? spec.id : null, taskId: r.task.rowId ?? null, taskKey: r.task.id, n: r.n, c: r.c, errors: r.errors })
            // The reasons travel with the resume state, written once the task's counts are stored.
            if (r.errors) ctx.saveState({ runId, policies, errorSamples })
          },
          onError: (e) => {
            if (errorSamples.length < ERRORS_KEPT) errorSamples.push({ policy: key, task: e.task.id, sample: e.sample, message: e.message })
            ctx.log(`${key} on ${e.task.id}, sample ${e.sample}: ${e.message}`)
          },
          onProgress: (episodes) => ctx.progress(base + episodes, total, `${key}: ${episodes}/${todo.length * config.n} episodes`),
        })
      } finally {
        await policy.close?.()
      }
      done = base + todo.length * config.n
    }
  } catch (err) {
    failRun(ctx, runId, err)
    throw err
  }
  const rows = runEvalCounts(db, runId)
  const summary: EvalSummary = {
    runId,
    taskSet: set.name,
    tasks: tasks.length,
    n: config.n,
    policies: policies.map((spec) => {
      const mine = rows.filter((r) => r.policy === policyKey(spec))
      return {
        policy: policyKey(spec),
        passAt1: mine.reduce((a, r) => a + r.c / r.n, 0) / Math.max(1, mine.length),
        passAtN: mine.filter((r) => r.c > 0).length / Math.max(1, mine.length),
        errors: mine.reduce((a, r) => a + r.errors, 0),
      }
    }),
    errors: rows.reduce((a, r) => a + r.errors, 0),
    errorSamples,
    seconds: (Date.now() - started) / 1000,
  }
  return closeRun(ctx, runId, summary)
}
