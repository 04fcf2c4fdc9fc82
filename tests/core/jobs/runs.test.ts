import { describe, expect, it } from 'vitest'
import { closeRun, failRun, openRun } from '../../../src-main/core/jobs/runs.ts'
import { JobCancelled, type JobContext } from '../../../src-main/core/jobs/types.ts'
import { openStore, type DB } from '../../../src-main/core/store/db.ts'
import { insertJob } from '../../../src-main/core/store/jobs.ts'

function context(db: DB, abort = new AbortController()): JobContext<unknown> {
  return {
    jobId: insertJob(db, { kind: 'eval', title: 't', params: {}, owner: 'here:1' }), params: {}, state: null, dataDir: '/nowhere', signal: abort.signal,
    progress: () => undefined, saveState: () => undefined, log: () => undefined, db: () => db,
  }
}
const row = (db: DB, id: number) =>
  db.prepare('SELECT job_id, kind, name, status, summary, ended_at FROM runs WHERE id = ?').get(id) as { job_id: number; kind: string; name: string; status: string; summary: string | null; ended_at: string | null }

describe('a job’s run', () => {
  it('opens a new run for the job, closes it done with the result, and a resumed job reopens the same run', () => {
    const { db } = openStore(':memory:')
    const ctx = context(db)
    const id = openRun(ctx, { resume: undefined, kind: 'eval', name: 'eval · x', config: { n: 2 } })
    expect(row(db, id)).toMatchObject({ job_id: ctx.jobId, kind: 'eval', name: 'eval · x', status: 'running', ended_at: null })
    failRun(ctx, id, new Error('the disk is full'))
    expect(row(db, id)).toMatchObject({ status: 'failed', summary: JSON.stringify({ error: 'the disk is full' }) })
    expect(row(db, id).ended_at).not.toBeNull()
    // Resumed: the same row runs again, its end cleared, until the job closes it.
    expect(openRun(ctx, { resume: id, kind: 'eval', name: 'ignored', config: {} })).toBe(id)
    expect(row(db, id)).toMatchObject({ status: 'running', ended_at: null, name: 'eval · x' })
    expect(closeRun(ctx, id, { passAt1: 0.5 })).toEqual({ passAt1: 0.5 })
    expect(row(db, id)).toMatchObject({ status: 'done', summary: JSON.stringify({ passAt1: 0.5 }) })
  })

  it('ends cancelled when the user cancelled, whatever error the cancel surfaced as', () => {
    const { db } = openStore(':memory:')
    const ctx = context(db)
    const a = openRun(ctx, { resume: null, kind: 'sft', name: 'a', config: {} })
    failRun(ctx, a, new JobCancelled())
    expect(row(db, a).status).toBe('cancelled')
    const abort = new AbortController()
    const cancelled = context(db, abort)
    const b = openRun(cancelled, { resume: null, kind: 'sft', name: 'b', config: {} })
    abort.abort()
    failRun(cancelled, b, new Error('request aborted'))
    expect(row(db, b).status).toBe('cancelled')
  })
})
