// A job's row in `runs`: every job kind that records a run opens and closes it here, so that a
// resumed job's run is running again, a finished one holds the job's result, and one that ended
// in an error is cancelled or failed by the same rule (jobs/types.ts `wasCancelled`).
import { createRun, finishRun, reopenRun } from '../store/runs.ts'
import { wasCancelled, type JobContext } from './types.ts'

/** The job's run: the one it saved (`resume`, when resumed), running again, or a new one. */
export function openRun(ctx: JobContext<unknown>, o: { resume: number | null | undefined; kind: string; name: string; config: unknown }): number {
  const db = ctx.db()
  if (o.resume) {
    reopenRun(db, o.resume)
    return o.resume
  }
  return createRun(db, o.kind, o.name, o.config, ctx.jobId)
}

/** Marks the run done with what the job returns, and returns it. */
export function closeRun<T>(ctx: JobContext<unknown>, runId: number, result: T): T {
  finishRun(ctx.db(), runId, 'done', result)
  return result
}

/** Marks the run cancelled or failed with the error's message (the caller rethrows the error). */
export function failRun(ctx: JobContext<unknown>, runId: number, err: unknown): void {
  finishRun(ctx.db(), runId, wasCancelled(err, ctx.signal) ? 'cancelled' : 'failed', { error: err instanceof Error ? err.message : String(err) })
}
