import { EventEmitter } from 'node:events'
import { hostname } from 'node:os'
import type { Worker } from 'node:worker_threads'
import { jobFromStore, RegisteredKindName, type Job } from '../../shared/jobs/kinds.ts'
import { EngineError, notFound } from '../errors.ts'
import { isInsideDir } from '../paths.ts'
import type { DB } from '../store/db.ts'
import {
  activeJobs, beatJobs, claimJob, endJob, insertJob, interruptJob, interruptQueued, jobCountsByStatus, jobRow, jobRows, queuedJobs, requeueJob, setJobMessage, writeJobProgress,
  type JobRow,
} from '../store/jobs.ts'
import { tryStore } from '../store/failures.ts'
import type { ToParent, ToWorker, WorkerInput } from './protocol.ts'
import { builtinJobKinds } from './registry.ts'
import { spawnWorker } from './threads.ts'
import type { JobKind } from './types.ts'

type Live = {
  worker: Worker
  cancelRequested: boolean
  killTimer?: NodeJS.Timeout
  samples: { t: number; done: number }[]
  lastWrite: number
  pending?: { done: number; total: number | null; message: string | null }
}

export type JobManagerOptions = {
  db: DB
  dbPath: string
  dataDir: string
  /** The worker thread entry: worker-entry.ts from source, the bundled file under Electron. */
  workerEntry: URL
  maxConcurrent: () => number
  /** How long a cancelled job may take to stop on its own before its thread is terminated. */
  cancelGraceMs?: number
  log?: (message: string) => void
  /**
   * Variables a job's thread sees besides the process's own: the desktop keychain's API keys
   * (endpoints/keys.ts), which must reach the thread without passing through params or the store.
   */
  workerEnv?: () => Record<string, string>
}

const HEARTBEAT_MS = 5_000
const STALE_MS = 30_000
const WRITE_EVERY_MS = 250
/** How soon a final status or a queue step that met a locked or full store is tried again. */
const RETRY_MS = 1_000

export const ownerId = (): string => `${hostname()}:${process.pid}`

function ownerIsAlive(owner: string | null, heartbeatAt: string | null): boolean {
  if (!owner) return false
  const [host, pidText] = owner.split(':')
  if (host === hostname()) {
    const pid = Number(pidText)
    if (pid === process.pid) return true
    try {
      process.kill(pid, 0)
    } catch {
      return false
    }
  }
  return heartbeatAt !== null && Date.now() - Date.parse(heartbeatAt) < STALE_MS
}

/**
 * Runs long work in worker threads: a queue with a concurrency limit, progress with rate and
 * ETA streamed as 'job.updated' events, cancel, and status kept in SQLite so that a job cut off
 * by a crash shows as interrupted and can be resumed.
 */
export class JobManager extends EventEmitter<{ 'job.updated': [Job] }> {
  private readonly kinds = new Map<string, JobKind>()
  private readonly live = new Map<number, Live>()
  private readonly owner = ownerId()
  private readonly heartbeat: NodeJS.Timeout
  private closed = false
  /** What is failing to reach the store right now (each logged once until it works again). */
  private readonly failing = new Set<string>()
  private readonly retries = new Set<NodeJS.Timeout>()

  constructor(private readonly opts: JobManagerOptions) {
    super()
    for (const k of builtinJobKinds) this.kinds.set(k.kind, k)
    this.recoverOrphans()
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS)
    this.heartbeat.unref()
  }

  /** Adds a kind at run time (tests; later, plugins): its name is namespaced, `<namespace>.<name>`. */
  register(kind: JobKind): void {
    if (!RegisteredKindName.safeParse(kind.kind).success) throw new Error(`A job kind registered at run time is named <namespace>.<name> (got "${kind.kind}").`)
    this.kinds.set(kind.kind, kind)
  }

  listKinds(): { kind: string; title: string; resumable: boolean }[] {
    return [...this.kinds.values()].map((k) => ({ kind: k.kind, title: k.label, resumable: k.resumable }))
  }

  /** Jobs whose process died (SIGKILL, power loss) are marked interrupted: resumable, never silently lost. */
  recoverOrphans(): number {
    const orphans = activeJobs(this.opts.db).filter((r) => !ownerIsAlive(r.owner, r.heartbeat_at))
    for (const r of orphans) interruptJob(this.opts.db, r.id, 'Interrupted: the process running it stopped.')
    return orphans.length
  }

  /**
   * Queues a job. `confineFilesTo`: callers from outside (the API) may only make a job read files
   * inside this folder — otherwise its error messages would show any server file's first bytes
   * and tell which files exist. The CLI passes none: there the user named the files.
   */
  start(kindName: string, rawParams: unknown, opts: { confineFilesTo?: string } = {}): Job {
    const kind = this.kinds.get(kindName)
    if (!kind) {
      const known = [...this.kinds.keys()].join(', ') || 'none'
      throw new EngineError('bad_request', `There is no job kind "${kindName}" (known: ${known}).`)
    }
    const parsed = kind.params.safeParse(rawParams)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      throw new EngineError('bad_request', `Invalid parameters for ${kindName}: ${issue.path.join('.') || '(params)'}: ${issue.message}`)
    }
    const confine = opts.confineFilesTo
    const outside = confine === undefined ? undefined : kind.filesRead?.(parsed.data).find((f) => !isInsideDir(confine, f.path))
    if (outside) {
      throw new EngineError(
        'bad_request',
        `Invalid parameters for ${kindName}: ${outside.where}: only files inside the data directory (${confine}) may be named here; copy the file there or use the CLI.`,
      )
    }
    try {
      kind.check?.(parsed.data, this.opts.db)
    } catch (err) {
      if (err instanceof EngineError) throw new EngineError(err.code, `Invalid parameters for ${kindName}: ${err.message}`)
      throw err
    }
    const id = insertJob(this.opts.db, { kind: kindName, title: kind.title(parsed.data), params: parsed.data, owner: this.owner })
    this.emitJob(id)
    this.pump()
    return this.get(id)
  }

  get(id: number): Job {
    const row = this.row(id)
    if (!row) throw notFound(`Job ${id}`)
    return this.toJob(row)
  }

  list(opts: { status?: Job['status']; limit?: number } = {}): Job[] {
    const limit = opts.limit ?? 100
    return jobRows(this.opts.db, { ...(opts.status ? { status: opts.status } : {}), limit }).map((r) => this.toJob(r))
  }

  counts(): { queued: number; running: number; interrupted: number } {
    const rows = jobCountsByStatus(this.opts.db)
    const n = (s: string) => rows.find((r) => r.status === s)?.n ?? 0
    return { queued: n('queued'), running: n('running'), interrupted: n('interrupted') }
  }

  cancel(id: number): Job {
    const row = this.row(id)
    if (!row) throw notFound(`Job ${id}`)
    const live = this.live.get(id)
    if (live) {
      live.cancelRequested = true
      live.worker.postMessage({ type: 'cancel' } satisfies ToWorker)
      live.killTimer ??= setTimeout(() => void live.worker.terminate(), this.opts.cancelGraceMs ?? 15_000)
      this.setMessage(id, 'Cancelling…')
    } else if (row.status === 'queued') {
      this.finish(id, 'cancelled', { message: 'Cancelled before it started.' })
    } else if (row.status === 'running') {
      throw new EngineError('conflict', `Job ${id} is running in another process (${row.owner}); cancel it there.`)
    } else {
      throw new EngineError('conflict', `Job ${id} is ${row.status}; only queued or running jobs can be cancelled.`)
    }
    return this.get(id)
  }

  resume(id: number): Job {
    const row = this.row(id)
    if (!row) throw notFound(`Job ${id}`)
    if (!['interrupted', 'failed', 'cancelled'].includes(row.status)) {
      throw new EngineError('conflict', `Job ${id} is ${row.status}; only interrupted, failed or cancelled jobs can be resumed.`)
    }
    if (!this.kinds.has(row.kind)) throw new EngineError('conflict', `Job ${id} is of kind "${row.kind}", which this engine does not know.`)
    requeueJob(this.opts.db, id, this.owner)
    this.emitJob(id)
    this.pump()
    return this.get(id)
  }

  /** Resolves when the job reaches a final status. */
  waitFor(id: number): Promise<Job> {
    return new Promise((resolve) => {
      const check = (job: Job) => {
        if (job.id === id && !['queued', 'running'].includes(job.status)) {
          this.off('job.updated', check)
          resolve(job)
        }
      }
      this.on('job.updated', check)
      check(this.get(id))
    })
  }

  async close(): Promise<void> {
    this.closed = true
    clearInterval(this.heartbeat)
    for (const t of this.retries) clearTimeout(t)
    // Our running jobs end as interrupted, so that they can be resumed by the next start.
    await Promise.all(
      [...this.live.entries()].map(async ([id, live]) => {
        live.cancelRequested = false
        this.live.delete(id)
        await live.worker.terminate()
        this.finish(id, 'interrupted', { message: 'Interrupted: the engine shut down.' })
      }),
    )
    interruptQueued(this.opts.db, this.owner, 'Interrupted: the engine shut down before it started.')
  }

  // -------------------------------------------------------------------------------------------

  /** Timers and worker events write through here: a locked or full store must not end the process. */
  private tryStore(what: string, fn: () => void): boolean {
    return tryStore(what, fn, this.opts.log ?? ((m) => console.error(m)), this.failing)
  }

  private retryLater(fn: () => void): void {
    if (this.closed) return
    const t = setTimeout(() => {
      this.retries.delete(t)
      fn()
    }, RETRY_MS)
    this.retries.add(t)
  }

  private pump(): void {
    if (this.closed) return
    if (!this.tryStore('job queue', () => this.pumpOnce())) this.retryLater(() => this.pump())
  }

  private pumpOnce(): void {
    const free = this.opts.maxConcurrent() - this.live.size
    if (free <= 0) return
    for (const row of queuedJobs(this.opts.db, this.owner, free)) this.launch(row)
  }

  private launch(row: JobRow): void {
    const kind = this.kinds.get(row.kind)!
    if (!claimJob(this.opts.db, row.id)) return
    const input: WorkerInput = {
      jobId: row.id,
      kind: row.kind,
      params: JSON.parse(row.params),
      state: kind.resumable && row.state ? JSON.parse(row.state) : null,
      dataDir: this.opts.dataDir,
      dbPath: this.opts.dbPath,
      ...(kind.moduleUrl ? { moduleUrl: kind.moduleUrl } : {}),
    }
    const extra = this.opts.workerEnv?.() ?? {}
    const worker = spawnWorker(this.opts.workerEntry, { workerData: input, ...(Object.keys(extra).length ? { env: { ...process.env, ...extra } } : {}) })
    const live: Live = { worker, cancelRequested: false, samples: [{ t: Date.now(), done: row.progress_done }], lastWrite: 0 }
    this.live.set(row.id, live)
    let settled = false
    const settle = (status: Job['status'], fields: { result?: unknown; error?: string; message?: string }) => {
      if (settled) return
      settled = true
      clearTimeout(live.killTimer)
      this.flushProgress(row.id, live)
      this.live.delete(row.id)
      this.finish(row.id, status, fields)
      this.pump()
    }
    worker.on('message', (m: ToParent) => {
      switch (m.type) {
        case 'progress':
          this.onProgress(row.id, live, m)
          break
        case 'log':
          this.opts.log?.(`[job ${row.id}] ${m.message}`)
          break
        case 'result':
          settle('done', { result: m.result, message: 'Done.' })
          break
        case 'cancelled':
          settle('cancelled', { message: 'Cancelled by the user.' })
          break
        case 'error':
          this.opts.log?.(`[job ${row.id}] failed: ${m.stack || m.message}`)
          settle('failed', { error: m.message, message: 'Failed.' })
          break
      }
    })
    worker.on('error', (err) => settle('failed', { error: err.message, message: 'Failed.' }))
    worker.on('exit', (code) => {
      if (!this.live.has(row.id)) return // closed by close()
      if (live.cancelRequested) settle('cancelled', { message: 'Cancelled by the user (stopped after the grace period).' })
      else settle('failed', { error: `The job's thread exited (code ${code}) without a result.`, message: 'Failed.' })
    })
    this.emitJob(row.id)
  }

  private onProgress(id: number, live: Live, p: NonNullable<Live['pending']>): void {
    live.pending = p
    const t = Date.now()
    live.samples.push({ t, done: p.done })
    while (live.samples.length > 2 && t - live.samples[0]!.t > 20_000) live.samples.shift()
    if (t - live.lastWrite >= WRITE_EVERY_MS) this.flushProgress(id, live)
  }

  /** Progress is worth little once stale: a write that fails is dropped unless nothing newer came. */
  private flushProgress(id: number, live: Live): void {
    const p = live.pending
    if (!p) return
    live.pending = undefined
    live.lastWrite = Date.now()
    const written = this.tryStore(`job ${id} progress`, () => {
      writeJobProgress(this.opts.db, id, p)
    })
    if (written) this.emitJob(id)
    else live.pending ??= p
  }

  /** A final status must land: it is retried until the store takes it (or the engine closes). */
  private finish(id: number, status: Job['status'], fields: { result?: unknown; error?: string; message?: string }): void {
    const written = this.tryStore(`job ${id} ${status}`, () => {
      endJob(this.opts.db, id, status, fields)
    })
    if (written) this.emitJob(id)
    else this.retryLater(() => this.finish(id, status, fields))
  }

  private setMessage(id: number, message: string): void {
    setJobMessage(this.opts.db, id, message)
    this.emitJob(id)
  }

  /** The next beat is the retry: one missed beat is far inside STALE_MS. */
  private beat(): void {
    this.tryStore('heartbeat', () => {
      beatJobs(this.opts.db, this.owner)
    })
  }

  private row(id: number): JobRow | undefined {
    return jobRow(this.opts.db, id)
  }

  private emitJob(id: number): void {
    this.tryStore(`job ${id} event`, () => {
      const row = this.row(id)
      if (row) this.emit('job.updated', this.toJob(row))
    })
  }

  private toJob(row: JobRow): Job {
    const live = this.live.get(row.id)
    let rate: number | null = null
    if (live && live.samples.length >= 2) {
      const a = live.samples[0]!
      const b = live.samples[live.samples.length - 1]!
      if (b.t > a.t && b.done > a.done) rate = ((b.done - a.done) * 1000) / (b.t - a.t)
    }
    const eta = rate && row.progress_total !== null ? Math.max(0, (row.progress_total - row.progress_done) / rate) : null
    return jobFromStore({
      id: row.id,
      kind: row.kind,
      title: row.title,
      status: row.status,
      params: JSON.parse(row.params),
      progress: { done: row.progress_done, total: row.progress_total, rate, etaSeconds: eta },
      message: row.message,
      error: row.error,
      result: row.result === null ? null : JSON.parse(row.result),
      resumable: this.kinds.get(row.kind)?.resumable ?? false,
      attempts: row.attempts,
      createdAt: row.created_at,
      startedAt: row.started_at,
      endedAt: row.ended_at,
    })
  }
}
