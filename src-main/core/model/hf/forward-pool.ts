import * as tf from '@tensorflow/tfjs-core'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Worker } from 'node:worker_threads'
import { shardsOf, spawnWorker, threadsFor, WorkerCalls } from '../../jobs/threads.ts'
import type { BackendId } from '../backend.ts'
import { leftPad, paddedBatch } from '../batch.ts'
import { rowSums } from '../score.ts'
import type { EncodedExample } from '../tokenizer.ts'
import { loadHfFolder, modelFromSafetensors } from './checkpoint.ts'
import { parseHfConfig } from './config.ts'
import { hfLabelLogProbs } from './generate.ts'
import { hfForward, type HfModel, type LoraOnModel } from './model.ts'

// Forwards of an imported model over several threads. tfjs-wasm computes on one thread per
// instance in Node, so a batch uses a second core only when it is cut into shards: consecutive
// rows per thread, the calling thread computing the first shard on its own copy of the model and
// each helper thread the next on a copy it loaded from the same files. The answers are
// concatenated in shard order, so they are the one-thread answers whichever thread finishes
// first. Only forwards: gradients (LoRA training) stay in the calling thread.

/** An imported checkpoint folder (its adapter included), or a bare snapshot (config.json + model.safetensors, the bench's random models). */
export type HfSource = { folder: string } | { snapshot: string }
export type HfPoolInit = { source: HfSource; backend: BackendId }
/** A model with the adapter it scores with. */
export type HfScorer = { model: HfModel; lora?: LoraOnModel }

/** Rows per thread below which a helper does not pay: the message and per-op overhead dominate. */
export const MIN_ROWS_PER_THREAD = 8
const THREADS_VAR = 'LEAFE_HF_THREADS'

/** How many threads score a batch of `rows`: `requested`, else LEAFE_HF_THREADS, else as threadsFor (jobs/threads.ts) chooses. */
export function hfThreads(requested: number | undefined, rows: number, backend: BackendId, env: NodeJS.ProcessEnv = process.env, cores?: number): number {
  return threadsFor({ requested, items: rows, minPerThread: MIN_ROWS_PER_THREAD, backend, envVar: THREADS_VAR, env, ...(cores !== undefined ? { cores } : {}) })
}

/** Σ log p(target tokens) per example, in padded batches of `batchSize`: how HfPolicy scores choices. */
export function labelLogProbSums(s: HfScorer, examples: EncodedExample[], batchSize: number): number[] {
  const out: number[] = []
  for (let i = 0; i < examples.length; i += batchSize) {
    const batch = paddedBatch(examples.slice(i, i + batchSize))
    out.push(...rowSums(batch, () => hfLabelLogProbs(s.model, batch, s.lora)))
  }
  return out
}

/** Logits at every position of sequences of one length, flat [B·T·V]: a whole-sequence forward, as the bench times it. */
export function forwardLogits(s: HfScorer, seqs: number[][]): Float32Array {
  if (!seqs.length) return new Float32Array(0)
  if (seqs.some((q) => q.length !== seqs[0]!.length)) throw new Error('forwardLogits takes sequences of one length.')
  const h = leftPad(seqs)
  const logits = tf.tidy(() => hfForward(s.model, { B: h.B, T: h.Tq, ids: h.ids, pos: h.pos, mask: tf.tensor4d(h.mask, [h.B, 1, h.Tq, h.Tk]) }, s.lora ? { lora: s.lora } : {}).logits)
  const flat = logits.dataSync() as Float32Array
  logits.dispose()
  return flat
}

export function loadScorer(source: HfSource): HfScorer {
  if ('folder' in source) {
    const m = loadHfFolder(source.folder)
    return { model: m.model, ...(m.lora ? { lora: m.lora.lora } : {}) }
  }
  const config = parseHfConfig(JSON.parse(readFileSync(join(source.snapshot, 'config.json'), 'utf8')) as Record<string, unknown>)
  return { model: modelFromSafetensors(config, join(source.snapshot, 'model.safetensors')) }
}

type SumsRequest = { kind: 'sums'; examples: EncodedExample[]; batchSize: number }
type LogitsRequest = { kind: 'logits'; seqs: number[][] }
export type HfRequest = SumsRequest | LogitsRequest
type HfResult = { sums: number[] } | { logits: Float32Array }

/** What a forward thread does with one request (the logits travel back without a copy). */
export function serveHf(s: HfScorer, req: HfRequest): { result: HfResult; transfer: ArrayBuffer[] } {
  if (req.kind === 'sums') return { result: { sums: labelLogProbSums(s, req.examples, req.batchSize) }, transfer: [] }
  const logits = forwardLogits(s, req.seqs)
  return { result: { logits }, transfer: [logits.buffer as ArrayBuffer] }
}

function workerEntry(): URL {
  // Under Electron the bundle's own entry (set by src-main/index.ts); from source, the .ts file.
  const built = process.env.LEAFE_HF_WORKER
  return built ? pathToFileURL(built) : new URL('./forward-worker.ts', import.meta.url)
}

/** The calling thread and `helpers` threads, each with its own copy of one imported model. */
export class HfForwardPool {
  private constructor(private readonly calls: WorkerCalls<HfRequest, HfResult>) {}

  /** Starts the helpers and waits until each has loaded the model (a load error surfaces here). */
  static async open(source: HfSource, helpers: number, backend: BackendId): Promise<HfForwardPool> {
    const workers = Array.from({ length: Math.max(0, helpers) }, () => spawnWorker(workerEntry(), { workerData: { source, backend } satisfies HfPoolInit }))
    const pool = new HfForwardPool(new WorkerCalls<HfRequest, HfResult>(workers, 'forward'))
    try {
      await Promise.all(workers.map((w) => pool.calls.send(w, { kind: 'sums', examples: [], batchSize: 1 })))
    } catch (err) {
      await pool.close()
      throw err
    }
    return pool
  }

  /** Threads that compute, the calling thread's included. */
  get threads(): number {
    return this.calls.workers.length + 1
  }

  /** labelLogProbSums over `threads` (at most this pool's) consecutive shards; `local` is the calling thread's copy of the model. */
  async labelLogProbSums(local: HfScorer, examples: EncodedExample[], batchSize: number, threads = this.threads): Promise<number[]> {
    const shards = await this.fanOut(examples, threads, (shard) => ({ kind: 'sums', examples: shard, batchSize }), (shard) => ({ sums: labelLogProbSums(local, shard, batchSize) }))
    return shards.flatMap((r) => (r as { sums: number[] }).sums)
  }

  /** forwardLogits over `threads` (at most this pool's) consecutive shards, one flat array per shard in order. */
  async forwardLogits(local: HfScorer, seqs: number[][], threads = this.threads): Promise<Float32Array[]> {
    const shards = await this.fanOut(seqs, threads, (shard) => ({ kind: 'logits', seqs: shard }), (shard) => ({ logits: forwardLogits(local, shard) }))
    return shards.map((r) => (r as { logits: Float32Array }).logits)
  }

  async close(): Promise<void> {
    await this.calls.close()
  }

  // The helpers' shards go out first, then the calling thread computes the first one meanwhile.
  private async fanOut<T>(items: T[], threads: number, request: (shard: T[]) => HfRequest, here: (shard: T[]) => HfResult): Promise<HfResult[]> {
    if (this.calls.isClosed) throw new Error('The forward threads are closed.')
    const [mine = [], ...theirs] = shardsOf(items, Math.min(threads, this.threads))
    const replies = theirs.map((shard, i) => this.calls.send(this.calls.workers[i] as Worker, request(shard)))
    // A helper that fails while the calling thread computes must not surface as an unhandled rejection.
    replies.forEach((r) => r.catch(() => {}))
    const first = here(mine)
    return [first, ...(await Promise.all(replies))]
  }
}
