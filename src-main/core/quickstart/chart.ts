// The chart a finished quickstart job wrote, read back for the UI's download. Only that job's
// own file inside the data directory is read: the path comes from the stored result, never
// from the caller.
import { readFileSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { EngineError } from '../errors.ts'
import { jobResult, type JobLike } from '../../shared/jobs/kinds.ts'

export function quickstartChart(job: JobLike, dataDir: string): { path: string; svg: string } {
  if (job.kind !== 'quickstart') throw new EngineError('bad_request', `Job ${job.id} is of kind ${job.kind}, not a quickstart.`)
  if (job.status !== 'done') throw new EngineError('conflict', `Quickstart job ${job.id} is ${job.status}: its chart is written when it is done.`)
  const path = jobResult(job, 'quickstart')?.files.svg
  if (path === undefined) throw new EngineError('not_found', `Quickstart job ${job.id} recorded no chart.`)
  const rel = relative(resolve(dataDir), resolve(path))
  if (rel.startsWith('..') || resolve(rel) === rel) throw new EngineError('bad_request', `Quickstart job ${job.id}'s chart lies outside the data directory.`)
  try {
    return { path, svg: readFileSync(path, 'utf8') }
  } catch {
    throw new EngineError('not_found', `The chart of quickstart job ${job.id} (${path}) is no longer there.`)
  }
}
