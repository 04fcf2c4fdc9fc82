import type { z } from 'zod'
import type { Job } from '../api/contract.ts'
import type { Engine } from '../core/engine.ts'
import { EngineError } from '../core/errors.ts'
import { UsageError } from './args.ts'
import { ProgressBar } from './progress.ts'

/** The flag that sets each job-config path (the longest matching prefix wins). */
const FLAG_OF: Record<string, string> = {
  'config.env': '--env', 'config.policy': '--policy', 'config.policies': '--policies', 'config.from': '--from',
  'config.reference': '--reference', 'config.llm': '--reflector-endpoint', 'config.tasks.count': '--tasks', 'config.tasks.taskSet': '--task-set',
  'config.tasks.split': '--split', 'config.tasks.params.preset': '--preset', 'config.tasks.params': '--preset', 'config.budget': '--budget',
  'config.maxDepth': '--max-depth', 'config.branchesPerEvent': '--branches', 'config.temperature': '--temperature', 'config.n': '--n',
  'config.beta': '--beta', 'config.seed': '--seed', 'config.sampler': '--sampler', 'config.reflector': '--reflector', 'config.rollback': '--rollback',
}

function flagOf(path: string): string | undefined {
  const key = Object.keys(FLAG_OF).filter((k) => path === k || path.startsWith(`${k}.`)).sort((a, b) => b.length - a.length)[0]
  return key && FLAG_OF[key]
}

/**
 * A config the schema refused, as one line that names what to fix: the flag that set the field
 * when there is one, else the field's path in `source` (e.g. a --config file), and for keys the
 * schema does not know, the keys themselves.
 */
export function configUsage(error: z.ZodError, source = 'config'): UsageError {
  const issue = error.issues[0]!
  const path = issue.path.join('.')
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${path ? `${path}.` : ''}${k}"`).join(', ')
    return new UsageError(`${source}: unknown key${issue.keys.length === 1 ? '' : 's'} ${keys}; check the spelling.`)
  }
  const flag = flagOf(`config.${path}`)
  return new UsageError(`${flag ?? `${source}${path ? ` ${path}` : ''}`}: ${issue.message}`)
}

/** Starts a job; parameters the engine refuses (a missing checkpoint, an unknown environment) are a usage error naming the flag, and no job is created. */
export function startJob(engine: Engine, kind: string, params: unknown): Job {
  try {
    return engine.jobs.start(kind, params)
  } catch (err) {
    const m = err instanceof EngineError && err.code === 'bad_request' ? /^Invalid parameters for [\w-]+: ([\w.]+): ([\s\S]*)$/.exec(err.message) : null
    if (!m) throw err
    throw new UsageError(`${flagOf(m[1]!) ?? m[1]}: ${m[2]}`)
  }
}

/**
 * Runs one job through the engine's job manager (a worker thread, as under `serve`) with a
 * progress bar; Ctrl-C cancels it. Resolves with the finished job.
 */
export async function runJobWithProgress(engine: Engine, kind: string, params: unknown, label: string, existingId?: number): Promise<Job> {
  const job = existingId ? engine.jobs.get(existingId) : startJob(engine, kind, params)
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
