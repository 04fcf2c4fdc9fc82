// What the suites that drive whole jobs share: an engine on a fresh data directory that is
// removed afterwards, and running one job to its end (an error unless it finished).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Job } from '../src-main/api/contract.ts'
import { jobProblem } from '../src-main/cli/jobs.ts'
import { Engine } from '../src-main/core/engine.ts'

export async function withBenchEngine<T>(name: string, body: (engine: Engine) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), `leafe-bench-${name}-`))
  const engine = new Engine({ dataDir, log: () => undefined })
  try {
    return await body(engine)
  } finally {
    await engine.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** Starts a job and waits for it; `onUpdate` sees its progress events. Throws unless it finished. */
export async function runJobToEnd(engine: Engine, kind: string, params: unknown, label: string, onUpdate?: (job: Job) => void): Promise<Job> {
  const job = engine.jobs.start(kind, params)
  const listener = (j: Job) => {
    if (j.id === job.id) onUpdate?.(j)
  }
  engine.on('job.updated', listener)
  try {
    const end = await engine.jobs.waitFor(job.id)
    const problem = jobProblem(end)
    if (problem) throw new Error(`${label}: ${problem}`)
    return end
  } finally {
    engine.off('job.updated', listener)
  }
}

/** Progress of a long job on stderr, every 30 s at most. */
export function every30s(label: string): (job: Job) => void {
  let last = 0
  return (j) => {
    if (Date.now() - last < 30_000) return
    last = Date.now()
    console.error(`  ${label}: ${j.message ?? ''}`)
  }
}

/** A method's name as a figure's key: "Early Experience" → early_experience. */
export const methodKey = (method: string): string => method.toLowerCase().replace(/[^a-z]+/g, '_')
