import { QuickstartConfig, quickstartSizes, quickstartTrainTasks } from '../../src-main/shared/jobs/quickstart.ts'
import { doneJobResult } from '../../src-main/shared/jobs/kinds.ts'
import { runJobToEnd, withBenchEngine } from '../engine.ts'
import type { Suite } from './index.ts'

// Where the standard Sokoban quickstart's base leaves its loss plateau, per seed. Early in
// training the loss sits at ln 2 ≈ 0.69: the EOS after a move is certain and the move is uniform
// over four (ln 4 / 2), i.e. the model has not yet learnt to read the grid. When that ends decides
// how much of the cosine schedule is left for learning to play, and so how strong the base is.
// `escape_step_s<seed>`: the first step after which the 50-step running mean of the training loss
// stays below 0.6 (-1: never); `final_loss_s<seed>`: that mean at the end; `eval_loss_s<seed>`: the
// held-out loss; `threads_s<seed>`: the training threads the run recorded. Each variant of the
// base sizes gets its own keys, prefixed by its label (`current`: the quickstart's own; a variant
// such as {"lr": 0.006} is `lr_0.006`). LEAFE_PLATEAU_SEEDS (default 0,1,2,3);
// LEAFE_PLATEAU_VARIANTS, a JSON list of overrides (default [{}, {"lr": 2 × the quickstart's}]);
// LEAFE_TRAIN_THREADS as everywhere.

const ESCAPE_BELOW = 0.6
const WINDOW = 50

type Plateau = { escape: number; steps: number; finalLoss: number; evalLoss: number; threads: number; seconds: number }

/** One base job of the standard Sokoban quickstart for `seed`, with `variant` merged into its sizes. */
async function basePlateau(seed: number, variant: Record<string, unknown>): Promise<Plateau> {
  const cfg = QuickstartConfig.parse({ ...quickstartSizes('standard', 'sokoban'), seed })
  const { tasks: _count, ...sizes } = { ...cfg.base, ...variant }
  const t0 = Date.now()
  return withBenchEngine(`plateau-s${seed}`, async (engine) => {
    const r = doneJobResult(await runJobToEnd(engine, 'base', { config: { env: 'sokoban', tasks: quickstartTrainTasks(cfg, 'base'), ...sizes, seed } }, `base seed ${seed}`), 'base')
    const rows = engine.db.prepare(`SELECT step, value FROM train_metrics WHERE run_id = ? AND name = 'loss' AND split = 'train' ORDER BY step`).all(r.runId) as { step: number; value: number }[]
    const mean = rows.map((_, i) => {
      const w = rows.slice(Math.max(0, i - WINDOW + 1), i + 1)
      return w.reduce((a, b) => a + b.value, 0) / w.length
    })
    const lastAbove = mean.findLastIndex((m) => m >= ESCAPE_BELOW)
    // The training thread count the SFT run recorded in its config.
    const config = JSON.parse((engine.db.prepare('SELECT config FROM runs WHERE id = ?').get(r.runId) as { config: string }).config) as { trainThreads?: number }
    return {
      escape: lastAbove === mean.length - 1 ? -1 : rows[lastAbove + 1]!.step,
      steps: r.steps,
      finalLoss: Number(mean.at(-1)!.toFixed(4)),
      evalLoss: Number((r.evalLoss ?? NaN).toFixed(4)),
      threads: config.trainThreads ?? 1,
      seconds: Math.round((Date.now() - t0) / 1000),
    }
  })
}

export const plateauSuite: Suite = {
  name: 'plateau',
  summary: "the Sokoban quickstart base's loss plateau: the step where it ends and the final loss, per seed and variant of its sizes",
  async run(log) {
    const seeds = (process.env.LEAFE_PLATEAU_SEEDS ?? '0,1,2,3').split(',').map(Number)
    const standard = quickstartSizes('standard', 'sokoban')
    const variants = JSON.parse(process.env.LEAFE_PLATEAU_VARIANTS ?? JSON.stringify([{}, { lr: 2 * standard.base.lr }])) as Record<string, unknown>[]
    const out: Record<string, number | string> = { base_sizes: JSON.stringify(standard.base) }
    for (const variant of variants) {
      const label = Object.keys(variant).length ? Object.entries(variant).map(([k, v]) => `${k}_${String(v)}`).join('_') : 'current'
      for (const seed of seeds) {
        const p = await basePlateau(seed, variant)
        out[`${label}_escape_step_s${seed}`] = p.escape
        out[`${label}_steps_s${seed}`] = p.steps
        out[`${label}_final_loss_s${seed}`] = p.finalLoss
        out[`${label}_eval_loss_s${seed}`] = p.evalLoss
        out[`${label}_threads_s${seed}`] = p.threads
        out[`${label}_seconds_s${seed}`] = p.seconds
        log(`${label}, seed ${seed}: the plateau ends at step ${p.escape} of ${p.steps}; final loss ${p.finalLoss}, held-out ${p.evalLoss} (${p.threads} training threads, ${p.seconds} s)`)
      }
    }
    return out
  },
}
