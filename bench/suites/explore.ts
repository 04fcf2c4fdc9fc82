import type { ExploreSummary } from '../../src-main/core/explore/job.ts'
import { quickstartExploreConfig, quickstartSizes } from '../../src-main/core/quickstart/config.ts'
import { bootstrapBase } from '../../src-main/core/train/bootstrap.ts'
import { runJobToEnd, withBenchEngine } from '../engine.ts'
import type { Suite } from './index.ts'

// Issue 5's figures: seconds for LEAFE exploration of 64 training levels with the base policy
// (the quickstart's own base, difficulty and exploration settings), and the share of those levels
// solved by each Stage-1 sampler at the same per-task step budget (the paper's Table 3). The
// base's bootstrap is not timed here (the base suite times it).
export const exploreSuite: Suite = {
  name: 'explore',
  summary: 'LEAFE exploration of 64 Sokoban training levels with the base policy (seconds), and solved share of LEAFE / IR / IS at an equal step budget',
  run: (log) =>
    withBenchEngine('explore', async (engine) => {
      const qs = quickstartSizes('standard')
      const runJob = (kind: string, params: unknown) => runJobToEnd(engine, kind, params, kind)
      const base = await bootstrapBase(engine, { env: qs.env, params: qs.params, ...qs.base, model: qs.base.model as never, evalTasks: 20, seed: qs.seed }, { runJob })
      log(`base checkpoint ${base.checkpointId} in ${base.seconds.toFixed(0)} s`)
      const out: Record<string, number> = {}
      for (const sampler of ['leafe', 'ir', 'is'] as const) {
        const t0 = Date.now()
        const tasks = { split: 'train', count: 64, seed: qs.seed + 1000, params: qs.params }
        const job = await runJob('explore', { config: quickstartExploreConfig(qs, { tasks, checkpoint: base.checkpointId, sampler, buildCorpus: sampler === 'leafe' }) })
        const s = job.result as ExploreSummary
        const seconds = (Date.now() - t0) / 1000
        log(`${sampler}: solved ${s.solved}/${s.tasks} (first attempt ${s.solvedAtFirstAttempt}, by a branch ${s.solvedByBranch}), ${s.stepsUsed} steps, ${seconds.toFixed(1)} s`)
        out[`solved_share_${sampler}`] = Number((s.solved / s.tasks).toFixed(4))
        out[`steps_used_${sampler}`] = s.stepsUsed
        if (sampler === 'leafe') {
          out.explore_64_sokoban_s = Number(seconds.toFixed(1))
          // The first rollout of every task is the base policy alone: what the branches add to.
          out.solved_share_first_attempt = Number((s.solvedAtFirstAttempt / s.tasks).toFixed(4))
          out.branch_events_leafe = s.branchEvents
          out.cf_items_leafe = s.corpusItems.cf
          out.replay_steps_leafe = s.replaySteps
        }
      }
      out.budget_steps_per_task = qs.explore.budget
      return out
    }),
}
