import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Job } from '../../src-main/api/contract.ts'
import { Engine } from '../../src-main/core/engine.ts'
import type { ExploreSummary } from '../../src-main/core/explore/job.ts'
import { quickstartSizes } from '../../src-main/core/quickstart/config.ts'
import { bootstrapBase } from '../../src-main/core/train/bootstrap.ts'
import type { Suite } from './index.ts'

// Issue 5's figures: seconds for LEAFE exploration of 64 training levels with the base policy
// (the quickstart's own base, difficulty and exploration settings), and the share of those levels
// solved by each Stage-1 sampler at the same per-task step budget (the paper's Table 3). The
// base's bootstrap is not timed here (the base suite times it).
export const exploreSuite: Suite = {
  name: 'explore',
  summary: 'LEAFE exploration of 64 Sokoban training levels with the base policy (seconds), and solved share of LEAFE / IR / IS at an equal step budget',
  async run(log) {
    const dataDir = mkdtempSync(join(tmpdir(), 'leafe-bench-explore-'))
    const engine = new Engine({ dataDir, log: () => undefined })
    const qs = quickstartSizes('standard')
    const runJob = async (kind: string, params: unknown): Promise<Job> => {
      const job = engine.jobs.start(kind, params)
      const end = await engine.jobs.waitFor(job.id)
      if (end.status !== 'done') throw new Error(`${kind} job ${end.id} ${end.status}: ${end.error ?? end.message}`)
      return end
    }
    try {
      const base = await bootstrapBase(engine, { env: qs.env, params: qs.params, ...qs.base, model: qs.base.model as never, evalTasks: 20, seed: qs.seed }, { runJob })
      log(`base checkpoint ${base.checkpointId} in ${base.seconds.toFixed(0)} s`)
      const out: Record<string, number> = {}
      for (const sampler of ['leafe', 'ir', 'is'] as const) {
        const { tasks: _t, onlySucceeded, rehearsalShare, ...rest } = qs.explore
        const t0 = Date.now()
        const job = await runJob('explore', {
          config: {
            env: qs.env, tasks: { split: 'train', count: 64, seed: qs.seed + 1000, params: qs.params }, policy: { kind: 'checkpoint', id: base.checkpointId },
            sampler, reflector: 'critic', seed: qs.seed, ...rest, corpus: { build: sampler === 'leafe', onlySucceeded, maxEventsPerTask: 3, rehearsalShare },
          },
        })
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
    } finally {
      await engine.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  },
}
