// The epochs of a supervised fine-tune, whatever the model (the byte-level transformer or a LoRA
// adapter on an imported model): seeded batches per epoch, the schedule, metrics per step, the
// eval loss per epoch, a checkpoint at the end of every epoch and the job state that a resumed run
// continues from. The callers supply the loss, the eval loss and how a checkpoint is saved.
import type * as tf from '@tensorflow/tfjs-core'
import { throwIfCancelled, type JobContext } from '../jobs/types.ts'
import { packedBatch, paddedBatch, type TargetBatch } from '../model/batch.ts'
import type { Params } from '../model/transformer.ts'
import type { DB } from '../store/db.ts'
import { insertMetrics, type MetricRow } from '../store/train-metrics.ts'
import type { SftConfig } from '../../shared/jobs/train.ts'
import { epochBatches, loadExamples, splitHeldOut, weighDatasets, type Example } from './data.ts'
import type { DataParallel } from './data-parallel.ts'
import { accumulatedStep, lrAt, type AdamW } from './optimizer.ts'

// What an SFT run saves and returns is declared with the job kind, for the CLI and the UI too.
import type { SftResult, SftState } from '../../shared/jobs/train.ts'
export type { SftResult, SftState }

/** The datasets of a config, split into train and held-out, weighed as `datasetWeighting` says; `encode` tokenises (default: the byte-level model's). */
export function loadSftData(cfg: SftConfig, contextLength: number, encode?: Parameters<typeof loadExamples>[3]): { train: Example[]; heldOut: Example[] } {
  const trainSets: Example[][] = []
  const heldOut: Example[] = []
  cfg.datasets.forEach((d, i) => {
    const all = loadExamples(d.path, d.weight, contextLength, encode)
    const split = 'share' in cfg.eval ? splitHeldOut(all, cfg.eval.share, cfg.seed + i) : { train: all, heldOut: [] }
    trainSets.push(split.train)
    heldOut.push(...split.heldOut)
  })
  if ('path' in cfg.eval) heldOut.push(...loadExamples(cfg.eval.path, 1, contextLength, encode))
  return { train: weighDatasets(trainSets, cfg.datasetWeighting).flat(), heldOut }
}

/** Buffers train_metrics rows and writes them in one transaction every two seconds (and at flush). */
export class MetricsWriter {
  private rows: MetricRow[] = []
  private last = Date.now()
  constructor(
    private readonly db: DB,
    private readonly runId: number,
  ) {}
  add(step: number, epoch: number, split: 'train' | 'eval', name: string, value: number): void {
    if (Number.isFinite(value)) this.rows.push([step, epoch, split, name, value])
    if (Date.now() - this.last > 2000) this.flush()
  }
  flush(): void {
    insertMetrics(this.db, this.runId, this.rows)
    this.rows = []
    this.last = Date.now()
  }
}

export type SftEpochs = {
  ctx: JobContext<unknown>
  cfg: SftConfig
  runId: number
  metrics: MetricsWriter
  train: Example[]
  /** Packed rows are this long. */
  rowLength: number
  params: Params
  adam: AdamW
  evalLoss: () => number | null
  /** Saves the epoch's checkpoint as a child of `parentId`; returns its id. */
  save: (o: { epoch: number; step: number; parentId: number | null; trainLoss: number | null; evalLoss: number | null }) => number
  /** Where to continue: the epoch and step reached, the last checkpoint (null on a first start) and the parent of the next. */
  epoch: number
  step: number
  checkpointId: number | null
  parentId: number | null
} & (
  | {
      /** The mean loss of one part of step `step`'s batch (`part` counts the microbatches from 0), in the calling thread. */
      loss: (batch: TargetBatch, step: number, part: number) => tf.Scalar
      parallel?: never
    }
  | {
      /** The byte-level model's training threads: every batch is cut into a shard per thread. */
      parallel: DataParallel<'target'>
      loss?: never
    }
)

export async function runSftEpochs(o: SftEpochs): Promise<{ checkpointId: number | null; steps: number; evalLoss: number | null }> {
  const { ctx, cfg, metrics, train } = o
  const perEpoch = Math.ceil(train.length / cfg.batchSize)
  const total = perEpoch * cfg.epochs
  const schedule = { lr: cfg.lr, warmupSteps: cfg.warmupSteps, decay: cfg.decay, minLrRatio: cfg.minLrRatio }
  let { epoch, step, checkpointId, parentId } = o
  let evalLoss: number | null = null
  for (; epoch < cfg.epochs; epoch++) {
    let smoothed: number | null = null
    for (const examples of epochBatches(train, cfg.batchSize, cfg.seed, epoch)) {
      throwIfCancelled(ctx.signal)
      const parts = stepParts(examples, cfg.microBatch, o.parallel?.threads ?? 1).map((xs) => {
        const weights = xs.map((e) => e.weight)
        return cfg.packing ? packedBatch(xs, o.rowLength, weights) : paddedBatch(xs, weights)
      })
      const tokens = parts.reduce((a, b) => a + b.tokens, 0)
      const share = (batch: TargetBatch) => batch.tokens / Math.max(1, tokens)
      const lr = lrAt(step, total, schedule)
      const at = step
      const r = o.parallel
        ? await o.parallel.step(o.adam, parts.map((batch) => ({ input: batch, share: share(batch) })), lr, cfg.gradClip)
        : accumulatedStep(o.params, o.adam, parts.map((batch, i) => ({ loss: () => o.loss(batch, at, i), share: share(batch) })), lr, cfg.gradClip)
      if (!Number.isFinite(r.loss)) throw new Error(`The loss became ${r.loss} at step ${step + 1}; lower the learning rate.`)
      step++
      smoothed = smoothed === null ? r.loss : 0.9 * smoothed + 0.1 * r.loss
      const fractional = epoch + (step - epoch * perEpoch) / perEpoch
      metrics.add(step, fractional, 'train', 'loss', r.loss)
      metrics.add(step, fractional, 'train', 'lr', lr)
      metrics.add(step, fractional, 'train', 'grad_norm', r.gradNorm)
      ctx.progress(step, total, `epoch ${epoch + 1}/${cfg.epochs} · loss ${smoothed.toFixed(4)}`)
    }
    evalLoss = o.evalLoss()
    if (evalLoss !== null) metrics.add(step, epoch + 1, 'eval', 'loss', evalLoss)
    metrics.flush()
    parentId = checkpointId = o.save({ epoch: epoch + 1, step, parentId, trainLoss: smoothed, evalLoss })
    ctx.saveState({ runId: o.runId, checkpointId, epoch: epoch + 1, step } satisfies SftState)
    ctx.progress(step, total, `epoch ${epoch + 1}/${cfg.epochs} saved${evalLoss !== null ? ` · eval loss ${evalLoss.toFixed(4)}` : ''}`)
  }
  return { checkpointId, steps: step, evalLoss }
}

/**
 * A step's batch in parts of at most `microBatch` examples, and with several training threads at
 * least one part per thread (parts of at most ⌈B / threads⌉): the batch's examples, each once.
 */
export function stepParts<T>(xs: T[], microBatch: number | undefined, threads: number): T[][] {
  return microBatches(xs, threads > 1 ? Math.min(microBatch ?? xs.length, Math.ceil(xs.length / threads)) : microBatch)
}

/** A batch in consecutive parts of at most `size` examples (one part without a size). */
export function microBatches<T>(xs: T[], size: number | undefined): T[][] {
  if (!size || size >= xs.length) return [xs]
  const out: T[][] = []
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size))
  return out
}

