import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker, type WorkerOptions } from 'node:worker_threads'
import type { BackendId } from '../model/backend.ts'

/**
 * Starts a worker thread on an engine module. Inside the Electron bundle the entry is already
 * JavaScript. From source (CLI, `serve`, tests) it is a .ts file: the thread first loads tsx's
 * API and imports the entry through it — on Node 20, loader hooks passed as `--import` in a
 * worker's execArgv do not reach the worker's own entry module.
 */
export function spawnWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options)
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'))
  const api = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href
  const boot = `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))`
  return new Worker(boot, { ...options, eval: true })
}

/**
 * How many threads share a batch of `items`: `requested` wins, then the environment variable
 * `envVar`; else one per core where the backend computes on one thread (wasm and cpu in Node),
 * as many as give every thread at least `minPerThread` items — and 1 on the backends that use
 * every core themselves (libtensorflow, GPUs).
 */
export function threadsFor(o: { requested: number | undefined; items: number; minPerThread: number; backend: BackendId; envVar: string; env?: NodeJS.ProcessEnv; cores?: number }): number {
  if (o.requested !== undefined) return o.requested
  const fromEnv = (o.env ?? process.env)[o.envVar]
  if (fromEnv !== undefined && fromEnv !== '') {
    const n = Number(fromEnv)
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`${o.envVar} must be a whole number from 1 to 64 (it is "${fromEnv}").`)
    return n
  }
  if (o.backend !== 'wasm' && o.backend !== 'cpu') return 1
  return Math.max(1, Math.min(o.cores ?? availableParallelism(), Math.floor(o.items / o.minPerThread)))
}

/** Consecutive, nearly equal groups of items, one per thread that gets any (at most `threads`). */
export function shardsOf<T>(items: T[], threads: number): T[][] {
  const k = Math.min(threads, items.length)
  return Array.from({ length: k }, (_, t) => items.slice(Math.floor((t * items.length) / k), Math.floor(((t + 1) * items.length) / k)))
}

type Reply<R> = ({ ok: true } & R) | { ok: false; error: string }

/**
 * Request/reply calls to a set of worker threads: each request carries an id, each reply
 * (`{ id, ok: true, ...result }` or `{ id, ok: false, error }`) settles its request; a thread
 * that fails or exits before close() fails every call still waiting.
 */
export class WorkerCalls<Req extends object, Res extends object> {
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (r: Res) => void; reject: (e: Error) => void }>()
  private closed = false

  constructor(
    readonly workers: Worker[],
    private readonly what: string,
  ) {
    for (const w of workers) {
      w.on('message', (r: { id: number } & Reply<Res>) => {
        const p = this.pending.get(r.id)
        this.pending.delete(r.id)
        if (r.ok) p?.resolve(r as unknown as Res)
        else p?.reject(new Error(r.error))
      })
      w.on('error', (err) => this.failAll(err))
      w.on('exit', (code) => {
        if (!this.closed) this.failAll(new Error(`A ${what} thread exited (code ${code}).`))
      })
    }
  }

  get isClosed(): boolean {
    return this.closed
  }

  send(w: Worker, req: Req, transfer: ArrayBuffer[] = []): Promise<Res> {
    if (this.closed) return Promise.reject(new Error(`The ${this.what} threads are closed.`))
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      w.postMessage({ id, ...req }, transfer)
    })
  }

  /** Stops every thread; calls still waiting fail. */
  async close(): Promise<void> {
    this.closed = true
    await Promise.all(this.workers.map((w) => w.terminate()))
    this.failAll(new Error(`The ${this.what} threads were closed.`))
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err)
    this.pending.clear()
  }
}

/** What a worker thread's entry does with each request: `serve`'s result as the reply, an error as a one-line message. */
export function answerRequests<Req extends { id: number }>(port: import('node:worker_threads').MessagePort, serve: (req: Req) => Promise<{ result: object; transfer?: ArrayBuffer[] }>): void {
  port.on('message', async (req: Req) => {
    try {
      const r = await serve(req)
      port.postMessage({ id: req.id, ok: true, ...r.result }, r.transfer ?? [])
    } catch (err) {
      port.postMessage({ id: req.id, ok: false, error: (err as Error)?.message ?? String(err) })
    }
  })
}
