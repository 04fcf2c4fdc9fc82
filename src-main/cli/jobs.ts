import type { Job } from '../api/contract.ts'
import type { Engine } from '../core/engine.ts'
import { ProgressBar } from './progress.ts'

/**
 * Runs one job through the engine's job manager (a worker thread, as under `serve`) with a
 * progress bar; Ctrl-C cancels it. Resolves with the finished job.
 */
export async function runJobWithProgress(engine: Engine, kind: string, params: unknown, label: string, existingId?: number): Promise<Job> {
  const job = existingId ? engine.jobs.get(existingId) : engine.jobs.start(kind, params)
  const bar = new ProgressBar(label)
  const onUpdate = (j: Job) => {
    if (j.id === job.id && j.status === 'running') bar.update(j.progress.done, j.progress.total, j.message, j.progress.rate, j.progress.etaSeconds)
  }
  const onSigint = () => {
    bar.finish('cancelling…')
    engine.jobs.cancel(job.id)
  }
  engine.on('job.updated', onUpdate)
  process.once('SIGINT', onSigint)
  try {
    const end = await engine.jobs.waitFor(job.id)
    bar.finish()
    return end
  } finally {
    engine.off('job.updated', onUpdate)
    process.off('SIGINT', onSigint)
  }
}

/** A failed or cancelled job as a CLI error message; null when it finished. */
export function jobProblem(job: Job): string | null {
  if (job.status === 'done') return null
  if (job.status === 'cancelled') return `job ${job.id} was cancelled; resume it with the UI or \`leafe jobs resume ${job.id}\`.`
  return `job ${job.id} ${job.status}: ${job.error ?? job.message}`
}
