import type { JobContext } from './types.ts'

/**
 * Runs another job kind's code as one phase of a larger job, in the same worker thread: the
 * phase gets its own params, its own slot of resume state, and a share of the parent's progress
 * bar. Pipelines (quickstart, Early Experience = data + SFT, LEAFE Stage 2 = corpus files + SFT)
 * are built from the same job modules the user can run alone.
 */
export function phaseContext<P>(
  parent: JobContext<unknown>,
  opts: {
    params: P
    /** This phase's saved state (from the parent's state), or null on a first start. */
    state: unknown
    /** Persists the phase's state inside the parent's. */
    saveState: (state: unknown) => void
    /** Maps the phase's own progress to the parent's. */
    progress: (done: number, total: number | null, message: string | undefined) => void
  },
): JobContext<P> {
  return {
    jobId: parent.jobId,
    params: opts.params,
    state: opts.state,
    dataDir: parent.dataDir,
    signal: parent.signal,
    progress: (done, total, message) => opts.progress(done, total ?? null, message),
    saveState: opts.saveState,
    log: parent.log,
    db: parent.db,
  }
}
