// Data-parallel training over worker threads. tfjs-wasm runs one thread per instance in Node,
// so a step uses more than one core only when the batch is cut into shards, one per training
// thread, each thread holding its own backend and its own copy of the weights. The calling
// thread computes the first shard itself; helper threads compute the others. Each shard returns
// Σ share·∇loss over its parts (a part's share: its tokens over the batch's), the calling thread
// adds them up in shard order and applies AdamW once, then sends the new weights with the next
// step's shards. The shards together hold exactly the single-thread batch, each example once, so
// one thread and several take the same step up to float rounding, and for a given thread count
// the sum is the same whichever thread finishes first.
import * as tf from '@tensorflow/tfjs-core'
import { availableParallelism } from 'node:os'
import { pathToFileURL } from 'node:url'
import type { Worker } from 'node:worker_threads'
import { shardsOf, spawnWorker, threadsFor, WorkerCalls } from '../jobs/threads.ts'
import type { BackendId } from '../model/backend.ts'
import type { TargetBatch } from '../model/batch.ts'
import { targetLoss } from '../model/score.ts'
import { exportWeights, paramShapes, type Model, type ModelConfig } from '../model/transformer.ts'
import type { GrpoConfig } from '../../shared/jobs/train.ts'
import { minibatchObjective, type Row } from './grpo-batch.ts'
import { accumulatedGradients, applyGradients, type AdamW } from './optimizer.ts'

/** Adds `share`·value to a named side figure of the step (GRPO's KL and clipped share). */
type Note = (name: string, value: number) => void

/** A part of a GRPO minibatch, with the objective's settings. */
export type GrpoPart = { rows: Row[]; objective: Pick<GrpoConfig, 'temperature' | 'clip' | 'klBeta'> }

/**
 * The losses a training thread can compute, by name: each runs inside the gradient tape on
 * inputs that can be posted to a thread (typed arrays, plain objects), and is the part's mean.
 */
export const shardLosses = {
  /** SFT: Σ weight·NLL over the part's target tokens ÷ its target tokens. */
  target: (m: Model, batch: TargetBatch, _note: Note): tf.Scalar => targetLoss(m.params, m.config, batch),
  /** GRPO's clipped objective; its fixed inputs are created inside the tape, whose scope frees them. */
  grpo: (m: Model, part: GrpoPart, note: Note): tf.Scalar => {
    const out = minibatchObjective(m, part.rows, part.objective).loss()
    note('kl', out.kl.dataSync()[0]!)
    note('clipped', out.clipped.dataSync()[0]!)
    return out.loss
  },
}
export type LossName = keyof typeof shardLosses
export type LossInput<L extends LossName> = Parameters<(typeof shardLosses)[L]>[1]
/** One part of a step's batch: its loss input and its share of the batch (the shares sum to 1). */
export type Part<L extends LossName> = { input: LossInput<L>; share: number }

export type StepResult = { loss: number; gradNorm: number; notes: Record<string, number> }

/** Examples per thread below which a second thread does not pay: per-op overhead and the weight copy dominate. */
export const MIN_EXAMPLES_PER_THREAD = 8
const THREADS_VAR = 'LEAFE_TRAIN_THREADS'

/** How many threads train: the run's config, else LEAFE_TRAIN_THREADS, else as threadsFor (jobs/threads.ts) chooses for the step's examples. */
export function trainThreads(requested: number | undefined, examplesPerStep: number, backend: BackendId, env: NodeJS.ProcessEnv = process.env, cores = availableParallelism()): number {
  return threadsFor({ requested, items: examplesPerStep, minPerThread: MIN_EXAMPLES_PER_THREAD, backend, envVar: THREADS_VAR, env, cores })
}

/** One thread's parts on its own model: Σ share·∇loss by parameter name, Σ share·loss and the notes. */
function shardGradients<L extends LossName>(loss: L, model: Model, parts: Part<L>[]): { grads: Record<string, tf.Tensor>; loss: number; notes: Record<string, number> } {
  const notes: Record<string, number> = {}
  const f = shardLosses[loss] as (m: Model, input: LossInput<L>, note: Note) => tf.Scalar
  const r = accumulatedGradients(
    model.params,
    parts.map((p) => ({ share: p.share, loss: () => f(model, p.input, (name, v) => (notes[name] = (notes[name] ?? 0) + p.share * v)) })),
  )
  return { ...r, notes }
}

// What travels between the calling thread and a helper. Gradients come back flat, in
// paramShapes order, as the weights go out.
export type HelperInit = { loss: LossName; config: ModelConfig; backend: BackendId }
type ShardRequest = { id: number; weights: Float32Array; parts: Part<LossName>[] }
type ShardResult = { grads: Float32Array; loss: number; notes: Record<string, number> }

/** What a helper thread does with one request: the weights set, its shard's gradients flattened. */
export function serveShard(init: HelperInit, holder: { model: Model | null }, req: ShardRequest): ShardResult {
  holder.model ??= { config: init.config, params: Object.fromEntries(paramShapes(init.config).map(([name, shape]) => [name, tf.variable(tf.zeros(shape), true)])) }
  const model = holder.model
  let at = 0
  for (const [name, shape] of paramShapes(model.config)) {
    const n = shape.reduce((a, b) => a * b, 1)
    tf.tidy(() => model.params[name]!.assign(tf.tensor(req.weights.subarray(at, at + n), shape)))
    at += n
  }
  if (!req.parts.length) return { grads: new Float32Array(0), loss: 0, notes: {} }
  const r = shardGradients(init.loss, model, req.parts)
  const grads = new Float32Array(req.weights.length)
  at = 0
  for (const [name] of paramShapes(model.config)) {
    const g = r.grads[name]!.dataSync() as Float32Array
    grads.set(g, at)
    at += g.length
  }
  tf.dispose(r.grads)
  return { grads, loss: r.loss, notes: r.notes }
}

function helperEntry(): URL {
  // Under Electron the bundle's own entry (set by src-main/index.ts); from source, the .ts file.
  const built = process.env.LEAFE_TRAIN_WORKER
  return built ? pathToFileURL(built) : new URL('./train-worker.ts', import.meta.url)
}

/** The training threads of one run: the calling thread and `threads - 1` helpers, for one loss. */
export class DataParallel<L extends LossName> {
  private readonly calls: WorkerCalls<Omit<ShardRequest, 'id'>, ShardResult>

  private constructor(
    private readonly loss: L,
    private readonly model: Model,
    private readonly helpers: Worker[],
  ) {
    this.calls = new WorkerCalls(helpers, 'training')
  }

  /** Training threads for `model` (whose parameters the steps update); 1 thread starts none. */
  static async open<L extends LossName>(loss: L, model: Model, threads: number, backend: BackendId): Promise<DataParallel<L>> {
    const init: HelperInit = { loss, config: model.config, backend }
    const dp = new DataParallel(loss, model, Array.from({ length: Math.max(0, threads - 1) }, () => spawnWorker(helperEntry(), { workerData: init })))
    // An empty shard on every helper surfaces a start error (missing backend) here, not mid-run.
    try {
      await Promise.all(dp.helpers.map((w) => dp.send(w, { weights: exportWeights(model), parts: [] })))
    } catch (err) {
      await dp.close()
      throw err
    }
    return dp
  }

  get threads(): number {
    return this.helpers.length + 1
  }

  /** One optimisation step on the parts of a batch (their shares sum to 1), spread over the threads. */
  async step(opt: AdamW, parts: Part<L>[], lr: number, clipNorm: number | null): Promise<StepResult> {
    if (this.calls.isClosed) throw new Error('The training threads are closed.')
    const [mine = [], ...theirs] = shardsOf(parts, this.threads)
    const weights = theirs.length ? exportWeights(this.model) : null
    const replies = theirs.map((shard, i) => this.send(this.helpers[i]!, { weights: weights!, parts: shard }))
    const local = shardGradients(this.loss, this.model, mine)
    let results: ShardResult[]
    try {
      results = await Promise.all(replies)
    } catch (err) {
      tf.dispose(local.grads)
      throw err
    }
    let grads = local.grads
    if (results.length) {
      grads = tf.tidy(() => {
        const sum: Record<string, tf.Tensor> = {}
        let at = 0
        for (const [name, shape] of paramShapes(this.model.config)) {
          const n = shape.reduce((a, b) => a * b, 1)
          sum[name] = results.reduce((acc, r) => tf.add(acc, tf.tensor(r.grads.subarray(at, at + n), shape)), local.grads[name]!)
          at += n
        }
        return sum
      })
      tf.dispose(local.grads)
    }
    const notes = { ...local.notes }
    let loss = local.loss
    for (const r of results) {
      loss += r.loss
      for (const [k, v] of Object.entries(r.notes)) notes[k] = (notes[k] ?? 0) + v
    }
    return { loss, gradNorm: applyGradients(opt, grads, lr, clipNorm), notes }
  }

  async close(): Promise<void> {
    await this.calls.close()
  }

  private send(w: Worker, req: Omit<ShardRequest, 'id'>): Promise<ShardResult> {
    return this.calls.send(w, req)
  }
}
