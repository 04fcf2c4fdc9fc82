import { describe, expect, it } from 'vitest'
import { doneJobResult, jobResult } from '../../../src-main/shared/jobs/kinds.ts'
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
