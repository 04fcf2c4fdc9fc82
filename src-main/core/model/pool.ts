import { availableParallelism } from 'node:os'
import { pathToFileURL } from 'node:url'
import type { Worker } from 'node:worker_threads'
import { spawnWorker, WorkerCalls } from '../jobs/threads.ts'
import { deriveSeed } from '../random.ts'
import { ensureBackend, type BackendPreference } from './backend.ts'
import { readCheckpoint } from './checkpoint.ts'
import { generate, type Constraint, type GenerateOptions, type Generated } from './sampling.ts'
import { scoreTargets } from './score.ts'
import { disposeModel, importWeights, type Model, type ModelConfig } from './transformer.ts'

// Sampling in as many worker threads as there are cores: tfjs-wasm runs one thread in Node, so
// parallelism comes from threads that each hold their own copy of the weights. Requests are cut
// into fixed chunks of rows, each with its precomputed per-row seeds, so the samples do not
// depend on the number of threads or on which thread runs which chunk.

export type PoolSource = { checkpointPath: string } | { config: ModelConfig; weights: Float32Array }
export type PoolInit = { source: PoolSource; backend: BackendPreference }

type GenerateRequest = { kind: 'generate'; prompts: number[][]; constraints: (Constraint | undefined)[]; opts: GenerateOptions }
type ScoreRequest = { kind: 'score'; pairs: { prompt: string; target: string }[] }
type WeightsRequest = { kind: 'weights'; weights: Float32Array }
type PoolRequestBody = GenerateRequest | ScoreRequest | WeightsRequest
export type PoolRequest = { id: number } & PoolRequestBody

export function loadPoolModel(source: PoolSource): { model: Model } {
  if ('checkpointPath' in source) {
    const ck = readCheckpoint(source.checkpointPath)
    return { model: importWeights(ck.config, ck.weights) }
  }
  return { model: importWeights(source.config, source.weights) }
}

/** What a sampling thread (or the calling thread, with threads = 0) does with one request. */
export function serveRequest(holder: { model: Model }, req: GenerateRequest | ScoreRequest | WeightsRequest): unknown {
  switch (req.kind) {
    case 'generate':
      return generate(holder.model, req.prompts, req.constraints, req.opts)
    case 'score':
      return scoreTargets(holder.model.params, holder.model.config, req.pairs)
    case 'weights': {
      const next = importWeights(holder.model.config, req.weights)
      disposeModel(holder.model)
      holder.model = next
      return null
    }
  }
}

function workerEntry(): URL {
  // Under Electron the bundle's own entry (set by src-main/index.ts); from source, the .ts file.
  const built = process.env.LEAFE_SAMPLER_WORKER
  return built ? pathToFileURL(built) : new URL('./sampler-worker.ts', import.meta.url)
}

type Slot = { worker: Worker; busy: boolean }

export type PoolOptions = {
  /** Worker threads; 0 runs in the calling thread. Default: one per core. */
  threads?: number
  backend?: BackendPreference
  /** Rows per request sent to one thread. */
  chunk?: number
}

export class SamplerPool {
  private readonly waiting: (() => void)[] = []
  private readonly calls: WorkerCalls<PoolRequestBody, { result: unknown }>

  private constructor(
    private readonly slots: Slot[],
    private readonly local: { model: Model } | null,
    readonly config: ModelConfig,
    private readonly chunk: number,
  ) {
    this.calls = new WorkerCalls(slots.map((s) => s.worker), 'sampling')
  }

  static async open(source: PoolSource, opts: PoolOptions = {}): Promise<SamplerPool> {
    const threads = opts.threads ?? availableParallelism()
    const backend = opts.backend ?? 'auto'
    const config = 'checkpointPath' in source ? readCheckpoint(source.checkpointPath).config : source.config
    const chunk = opts.chunk ?? 256
    if (threads === 0) {
      await ensureBackend(backend)
      return new SamplerPool([], loadPoolModel(source), config, chunk)
    }
    const slots = Array.from({ length: threads }, () => ({ worker: spawnWorker(workerEntry(), { workerData: { source, backend } satisfies PoolInit }), busy: false }))
    const pool = new SamplerPool(slots, null, config, chunk)
    // A first request on every thread surfaces a load error (bad checkpoint, missing backend) here.
    await Promise.all(slots.map((s) => pool.send(s, { kind: 'score', pairs: [] })))
    return pool
  }

  get threads(): number {
    return this.slots.length
  }

  /** Continues every prompt; see sampling.ts. Row i's seed is opts.seeds[i] ?? deriveSeed(opts.seed, i). */
  async generate(prompts: number[][], constraints: (Constraint | undefined)[], opts: GenerateOptions): Promise<Generated[]> {
    const seeds = prompts.map((_, i) => opts.seeds?.[i] ?? deriveSeed(opts.seed, i))
    const parts = await this.fanOut(prompts.length, (a, b) => ({
      kind: 'generate',
      prompts: prompts.slice(a, b),
      constraints: constraints.slice(a, b),
      opts: { ...opts, seeds: seeds.slice(a, b) },
    }))
    return (parts as Generated[][]).flat()
  }

  /** Σ log p(target + EOS | prompt) per pair. */
  async score(pairs: { prompt: string; target: string }[]): Promise<number[]> {
    const parts = await this.fanOut(pairs.length, (a, b) => ({ kind: 'score', pairs: pairs.slice(a, b) }))
    return (parts as number[][]).flat()
  }

  /** Replaces the weights in every thread (GRPO samples with the policy it is training). */
  async setWeights(weights: Float32Array): Promise<void> {
    if (this.local) serveRequest(this.local, { kind: 'weights', weights })
    await Promise.all(this.slots.map((s) => this.send(s, { kind: 'weights', weights })))
  }

  async close(): Promise<void> {
    if (this.local) disposeModel(this.local.model)
    await this.calls.close()
  }

  private async fanOut(n: number, make: (a: number, b: number) => GenerateRequest | ScoreRequest): Promise<unknown[]> {
    if (this.calls.isClosed) throw new Error('The sampling threads are closed.')
    const ranges: [number, number][] = []
    for (let a = 0; a < n; a += this.chunk) ranges.push([a, Math.min(n, a + this.chunk)])
    if (this.local) return ranges.map(([a, b]) => serveRequest(this.local!, make(a, b)))
    return Promise.all(
      ranges.map(async ([a, b]) => {
        const slot = await this.acquire()
        try {
          return await this.send(slot, make(a, b))
        } finally {
          this.release(slot)
        }
      }),
    )
  }

  private async send(slot: Slot, req: PoolRequestBody): Promise<unknown> {
    return (await this.calls.send(slot.worker, req)).result
  }

  private async acquire(): Promise<Slot> {
    for (;;) {
      const free = this.slots.find((s) => !s.busy)
      if (free) {
        free.busy = true
        return free
      }
      await new Promise<void>((r) => this.waiting.push(r))
    }
  }

  private release(slot: Slot): void {
    slot.busy = false
    this.waiting.shift()?.()
  }

}
