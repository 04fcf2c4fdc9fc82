import type { z } from 'zod'
import type { DB } from '../store/db.ts'

/** What a job's code gets while it runs inside its worker thread. */
export interface JobContext<P> {
  jobId: number
  params: P
  /** What this job saved with saveState before it was cut off; null on a first start. */
  state: unknown
  dataDir: string
  /** Aborted when the user cancels; long loops check it between units of work. */
  signal: AbortSignal
  /** done/total in the job's own units (steps, tasks, samples); streamed to every client. */
  progress(done: number, total?: number | null, message?: string): void
  /** Persists resume state at once, with the worker's own connection. */
  saveState(state: unknown): void
  log(message: string): void
  /** The worker's own connection to the store (opened once, closed when the job ends). */
  db(): DB
}

export type JobModule = { run(ctx: JobContext<unknown>): Promise<unknown> }

export type JobKind<S extends z.ZodType = z.ZodType> = {
  kind: string
  /** What the UI calls this kind of work. */
  label: string
  params: S
  title(params: z.output<S>): string
  /** Whether resume continues from saved state (otherwise resume starts it over). */
  resumable: boolean
  /**
   * Checks what the parameters name against the store (environment, checkpoints, endpoints)
   * before the job is created; throws an EngineError naming the parameter (references.ts).
   */
  check?(params: z.output<S>, db: DB): void
  /** Built-in kinds: a static import the bundler can follow. */
  load?: () => Promise<JobModule>
  /** Kinds registered at run time (tests, plugins): a module URL the worker imports. */
  moduleUrl?: string
  /** Files named by the params that the job will read, with where each is named (for confinement). */
  filesRead?(params: z.output<S>): { where: string; path: string }[]
}

export class JobCancelled extends Error {
  constructor() {
    super('Cancelled by the user.')
    this.name = 'JobCancelled'
  }
}

/**
 * Throws JobCancelled once the job's signal is aborted: every job and every loop a job runs
 * (demonstrations, sampling, exploration, training steps) calls it between units of work, so a
 * cancel always ends a job with the same error. Without a signal (a caller outside a job) it
 * never throws.
 */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new JobCancelled()
}

/** Whether an error ended a job because the user cancelled it (the error may come from deeper down, e.g. an aborted request). */
export function wasCancelled(err: unknown, signal: AbortSignal): boolean {
  return err instanceof JobCancelled || signal.aborted
}
