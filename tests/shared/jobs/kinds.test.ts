import { describe, expect, it } from 'vitest'
import { doneJobResult, Job, jobFromStore, jobResult, RegisteredKindName, savedJobState } from '../../../src-main/shared/jobs/kinds.ts'
import { QUICKSTART_PHASES } from '../../../src-main/shared/jobs/quickstart.ts'
import { exploreSummary, quickstartResult } from '../../fixtures/job-results.ts'

const job = (over: { kind?: string; status?: string; result?: unknown } = {}) => ({ id: 9, kind: 'explore', status: 'done', result: exploreSummary(), ...over })

describe('jobResult', () => {
  it("returns a done job's result as its kind declares it, keeping what the kind does not declare", () => {
    const withExtra = { ...exploreSummary({ solved: 3 }), accepted: 4 }
    const r = jobResult(job({ result: withExtra }), 'explore')
    expect(r?.solved).toBe(3)
    // Nothing is dropped: the CLI's --json and the quickstart's nested summary keep every field.
    expect(r).toEqual(withExtra)
  })

  it('is null for no job, another kind, a job not done, or a result of another shape', () => {
    expect(jobResult(undefined, 'explore')).toBeNull()
    expect(jobResult(job({ kind: 'eval' }), 'explore')).toBeNull()
    expect(jobResult(job({ status: 'running' }), 'explore')).toBeNull()
    expect(jobResult(job({ result: { runId: 3 } }), 'explore')).toBeNull()
    expect(jobResult(job({ result: null }), 'explore')).toBeNull()
  })

  it('checks the nested parts of a quickstart result too', () => {
    const files = { svg: '/d/passk.svg', json: '/d/results.json', markdown: '/d/results.md' }
    const qs = job({ kind: 'quickstart', result: quickstartResult(files) })
    expect(jobResult(qs, 'quickstart')?.files.svg).toBe('/d/passk.svg')
    const { reading: _, ...missingPhase } = quickstartResult(files).phaseSeconds
    expect(jobResult({ ...qs, result: quickstartResult(files, { phaseSeconds: missingPhase as never }) }, 'quickstart')).toBeNull()
    expect(jobResult({ ...qs, result: quickstartResult(files, { explore: { runId: 1 } as never }) }, 'quickstart')).toBeNull()
  })
})

describe('doneJobResult', () => {
  it('returns the result, or throws one line naming the job when it has none of its kind', () => {
    expect(doneJobResult(job(), 'explore').runId).toBe(3)
    expect(() => doneJobResult(job({ result: {} }), 'explore')).toThrow(/^Job 9 \(explore, done\) holds no explore result of the shape its kind declares\.$/)
    expect(() => doneJobResult(job({ status: 'failed' }), 'explore')).toThrow(/Job 9 \(explore, failed\)/)
  })
})

describe('QUICKSTART_PHASES', () => {
  it('names each phase once, in the order the quickstart runs them', () => {
    expect(QUICKSTART_PHASES.map((p) => p.phase)).toEqual(['base', 'reading', 'grpo', 'early_experience', 'explore', 'leafe', 'eval'])
    expect(new Set(QUICKSTART_PHASES.map((p) => p.label)).size).toBe(QUICKSTART_PHASES.length)
  })
})

const stored = (over: Record<string, unknown>) => ({
  id: 5, title: 't', status: 'done' as const, progress: { done: 1, total: 1, rate: null, etaSeconds: null }, message: '', error: null,
  resumable: true, attempts: 1, createdAt: '', startedAt: null, endedAt: null, kind: 'explore', params: exploreParams, result: exploreSummary(), ...over,
})
const exploreParams = { config: { env: 'sokoban', tasks: { split: 'valid', count: 2 }, policy: { kind: 'random' } } }

describe('Job (the wire type)', () => {
  it("types a built-in kind's params and result by its declarations, and narrows on kind", () => {
    const job = Job.parse(stored({}))
    if (job.kind !== 'explore') throw new Error('not narrowed')
    // The params come back parsed by the kind's schema, defaults filled in.
    expect(job.params.config.sampler).toBe('leafe')
    expect(job.result?.solved).toBe(exploreSummary().solved)
    expect(Job.safeParse(stored({ params: { config: { env: 'sokoban' } } })).success).toBe(false)
    expect(Job.safeParse(stored({ result: { runId: 1 } })).success).toBe(false)
  })

  it('takes any params and result for a kind registered at run time, whose name is namespaced', () => {
    expect(Job.parse(stored({ kind: 'test.count', params: { n: 3 }, result: { counted: 3 } })).params).toEqual({ n: 3 })
    expect(Job.safeParse(stored({ kind: 'count', params: { n: 3 } })).success).toBe(false)
    expect(RegisteredKindName.safeParse('test.count').success).toBe(true)
    expect(RegisteredKindName.safeParse('sft').success).toBe(false)
  })
})

describe('jobFromStore', () => {
  it('shows a stored result of another shape as none, and names a job whose params its kind refuses', () => {
    expect(jobFromStore(stored({ result: { runId: 1 } })).result).toBeNull()
    expect(() => jobFromStore(stored({ params: { config: {} } }))).toThrow(/^Job 5 \(explore\) is stored in a shape its kind does not accept: params\.config\.env: /)
  })
})

describe('savedJobState', () => {
  it('is null on a first start, the state as declared on a resume, and one line for a state of another shape', () => {
    expect(savedJobState('sft', null)).toBeNull()
    expect(savedJobState('sft', { runId: 2, checkpointId: null, epoch: 1, step: 10 })).toEqual({ runId: 2, checkpointId: null, epoch: 1, step: 10 })
    expect(() => savedJobState('sft', { runId: 2 })).toThrow(/^The saved state of this sft job does not have the shape its kind declares .*; start the job again instead of resuming it\.$/)
    expect(savedJobState('quickstart', { done: { base: { checkpointId: 1, demonstrations: 5, seconds: 2 } } })?.done.base).toEqual({ checkpointId: 1, demonstrations: 5, seconds: 2 })
  })
})
