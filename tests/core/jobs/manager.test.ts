import { spawn } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import type { Job } from '../../../src-main/api/contract.ts'
import { Engine } from '../../../src-main/core/engine.ts'
import { EngineError } from '../../../src-main/core/errors.ts'
import { countKind } from '../../fixtures/count-kind.ts'
import { tempDir } from '../../fixtures/tmp.ts'

const engines: Engine[] = []
function engine(dataDir = tempDir()): Engine {
  const e = new Engine({ dataDir, log: () => undefined })
  e.jobs.register(countKind)
  engines.push(e)
  return e
}
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()))
})

describe('JobManager', () => {
  it('registers kinds at run time only under a namespaced name, which no built-in kind can take', () => {
    const e = engine()
    expect(() => e.jobs.register({ ...countKind, kind: 'count' })).toThrow(/^A job kind registered at run time is named <namespace>\.<name> \(got "count"\)\.$/)
    expect(e.jobs.listKinds().map((k) => k.kind)).toContain('test.count')
  })

  it('runs a job in a worker thread and streams progress with rate and ETA', async () => {
    const e = engine()
    const updates: Job[] = []
    e.on('job.updated', (j) => updates.push(j))
    const job = e.jobs.start('test.count', { n: 40, delayMs: 10 })
    expect(job.status).toBe('running')
    const done = await e.jobs.waitFor(job.id)
    expect(done.status).toBe('done')
    expect(done.result).toEqual({ counted: 40, resumedFrom: 0 })
    expect(done.progress).toMatchObject({ done: 40, total: 40 })
    const mid = updates.find((u) => u.status === 'running' && u.progress.rate !== null)
    expect(mid?.progress.rate).toBeGreaterThan(0)
    expect(mid?.progress.etaSeconds).not.toBeNull()
  })

  it('rejects unknown kinds and bad params with a message that says where', () => {
    const e = engine()
    expect(() => e.jobs.start('nope', {})).toThrow(/no job kind "nope"/)
    try {
      e.jobs.start('test.count', { n: -1, delayMs: 0 })
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(EngineError)
      expect((err as Error).message).toMatch(/Invalid parameters for test.count: n:/)
    }
  })

  it('cancels a running job', async () => {
    const e = engine()
    const job = e.jobs.start('test.count', { n: 10_000, delayMs: 5 })
    await new Promise((r) => setTimeout(r, 300))
    e.jobs.cancel(job.id)
    const end = await e.jobs.waitFor(job.id)
    expect(end.status).toBe('cancelled')
    expect(end.progress.done).toBeLessThan(10_000)
  })

  it('queues beyond the concurrency limit and runs the queue in order', async () => {
    const e = engine()
    const a = e.jobs.start('test.count', { n: 10, delayMs: 5 })
    const b = e.jobs.start('test.count', { n: 10, delayMs: 5 })
    expect(e.jobs.get(b.id).status).toBe('queued')
    expect((await e.jobs.waitFor(a.id)).status).toBe('done')
    expect((await e.jobs.waitFor(b.id)).status).toBe('done')
    expect(e.jobs.get(b.id).startedAt! >= e.jobs.get(a.id).endedAt!).toBe(true)
  })

  it('records a failure with its message and refuses impossible cancels and resumes', async () => {
    const e = engine()
    const job = e.jobs.start('test.count', { n: 20, delayMs: 1, failAt: 12 })
    const failed = await e.jobs.waitFor(job.id)
    expect(failed).toMatchObject({ status: 'failed', error: 'failing on purpose at 12' })
    expect(() => e.jobs.resume(999)).toThrow(/not found/)
    expect(() => e.jobs.cancel(job.id)).toThrow(/only queued or running/)
  })

  it('shows a job whose process was SIGKILLed as interrupted, and resumes it where it stopped', async () => {
    const dataDir = tempDir()
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/job-host.ts', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] })
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (d) => {
        const m = [...String(d).matchAll(/progress (\d+)/g)].pop()
        if (m && Number(m[1]) >= 100) {
          child.kill('SIGKILL')
          resolve()
        }
      })
    })
    await new Promise((r) => child.once('exit', r))

    const e = engine(dataDir)
    const [job] = e.jobs.list()
    expect(job).toMatchObject({ status: 'interrupted', kind: 'test.count', resumable: true })
    expect(e.jobs.counts().interrupted).toBe(1)
    e.jobs.resume(job!.id)
    const end = await e.jobs.waitFor(job!.id)
    expect(end.status).toBe('done')
    const { resumedFrom } = end.result as { resumedFrom: number }
    expect(resumedFrom).toBeGreaterThanOrEqual(100)
    expect(end.attempts).toBe(2)
  })
})
