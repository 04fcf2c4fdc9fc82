import { bootstrapBase } from '../../src-main/core/train/bootstrap.ts'
import { BASE_DEFAULTS } from '../../src-main/shared/jobs/train.ts'
import { withBenchEngine } from '../engine.ts'
import type { Suite } from './index.ts'

// `leafe train base --env sokoban` with its defaults, in a fresh data directory: how long it takes
// and what the base reaches — greedy Pass@1 on held-out levels against random play and the solver.
// LEAFE_BASE_PRESET picks the Sokoban preset (default: the environment's own, 7x7-2).
export const baseSuite: Suite = {
  name: 'base',
  summary: 'Base bootstrap on Sokoban: minutes, and greedy Pass@1 of base vs random vs solver on held-out levels',
  run: (log) =>
    withBenchEngine('base', async (engine) => {
      const preset = process.env.LEAFE_BASE_PRESET
      const r = await bootstrapBase(
        { env: 'sokoban', params: preset ? { preset } : {}, ...BASE_DEFAULTS, seed: 0 },
        {
          runJob: async (kind, params) => {
            const job = engine.jobs.start(kind, params)
            const end = await engine.jobs.waitFor(job.id)
            log(`${kind}: ${end.status} in ${((Date.parse(end.endedAt ?? '') - Date.parse(end.startedAt ?? '')) / 1000).toFixed(0)} s`)
            return end
          },
        },
      )
      log(`held-out greedy Pass@1: base ${r.heldOut.base}, random ${r.heldOut.random}, solver ${r.heldOut.solver}`)
      return {
        base_pass1_heldout: r.heldOut.base,
        random_pass1_heldout: r.heldOut.random,
        solver_pass1_heldout: r.heldOut.solver,
        heldout_tasks: r.heldOut.tasks,
        demonstration_steps: r.demonstrations.steps,
        injected_mistakes: r.demonstrations.mistakes,
        sft_steps: r.sft.steps,
        sft_eval_loss: Number((r.sft.evalLoss ?? NaN).toFixed(4)),
        sft_seconds: Math.round(r.sft.seconds),
        total_seconds: Math.round(r.seconds),
      }
    }),
}
