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
// held-out loss. LEAFE_PLATEAU_SEEDS (default 0,1,2,3); LEAFE_PLATEAU_BASE, JSON merged into the
// base sizes, for a variant (e.g. {"batchSize": 32}); LEAFE_TRAIN_THREADS as everywhere.

const ESCAPE_BELOW = 0.6
const WINDOW = 50

export const plateauSuite: Suite = {
  name: 'plateau',
  summary: "the Sokoban quickstart base's loss plateau: the step where it ends and the final loss, per seed",
  async run(log) {
    const seeds = (process.env.LEAFE_PLATEAU_SEEDS ?? '0,1,2,3').split(',').map(Number)
    const variant = JSON.parse(process.env.LEAFE_PLATEAU_BASE ?? '{}') as Record<string, unknown>
    const out: Record<string, number | string> = { variant: JSON.stringify(variant) }
    for (const seed of seeds) {
      const cfg = QuickstartConfig.parse({ ...quickstartSizes('standard', 'sokoban'), seed })
      const { tasks: _count, ...sizes } = { ...cfg.base, ...variant }
      const t0 = Date.now()
      await withBenchEngine(`plateau-s${seed}`, async (engine) => {
        const r = doneJobResult(await runJobToEnd(engine, 'base', { config: { env: 'sokoban', tasks: quickstartTrainTasks(cfg, 'base'), ...sizes, seed } }, `base seed ${seed}`), 'base')
        const losses = (engine.db.prepare(`SELECT value FROM train_metrics WHERE run_id = ? AND name = 'loss' AND split = 'train' ORDER BY step`).all(r.runId) as { value: number }[]).map((x) => x.value)
        // The training thread count the SFT run recorded in its config.
        const config = JSON.parse((engine.db.prepare('SELECT config FROM runs WHERE id = ?').get(r.runId) as { config: string }).config) as { trainThreads?: number }
        out[`threads_s${seed}`] = config.trainThreads ?? 1
        const steps = (engine.db.prepare(`SELECT step FROM train_metrics WHERE run_id = ? AND name = 'loss' AND split = 'train' ORDER BY step`).all(r.runId) as { step: number }[]).map((x) => x.step)
        const mean = losses.map((_, i) => {
          const w = losses.slice(Math.max(0, i - WINDOW + 1), i + 1)
          return w.reduce((a, b) => a + b, 0) / w.length
        })
        const lastAbove = mean.findLastIndex((m) => m >= ESCAPE_BELOW)
        const escape = lastAbove === mean.length - 1 ? -1 : steps[lastAbove + 1]!
        out[`escape_step_s${seed}`] = escape
        out[`steps_s${seed}`] = r.steps
        out[`final_loss_s${seed}`] = Number(mean.at(-1)!.toFixed(4))
        out[`eval_loss_s${seed}`] = Number((r.evalLoss ?? NaN).toFixed(4))
        out[`seconds_s${seed}`] = Math.round((Date.now() - t0) / 1000)
        log(`seed ${seed}: the plateau ends at step ${escape} of ${r.steps}; final loss ${mean.at(-1)!.toFixed(3)}, held-out ${r.evalLoss?.toFixed(3)}`)
      })
    }
    return out
  },
}
