import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { JobLike } from '../../../src-main/shared/jobs/kinds.ts'
import { quickstartChart } from '../../../src-main/core/quickstart/chart.ts'
import { quickstartResult } from '../../fixtures/job-results.ts'

const job = (over: Partial<JobLike>): JobLike => ({ id: 7, kind: 'quickstart', status: 'done', result: null, ...over })

describe('quickstartChart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'leafe-qs-chart-'))
  const svgPath = join(dataDir, 'quickstart', 'job-7', 'passk.svg')
  mkdirSync(join(dataDir, 'quickstart', 'job-7'), { recursive: true })
  writeFileSync(svgPath, '<svg><title>Pass@k</title></svg>')
  const written = (svg: string) => quickstartResult({ svg, json: join(dataDir, 'results.json'), markdown: join(dataDir, 'results.md') })

  it("returns the SVG a finished quickstart wrote", () => {
    expect(quickstartChart(job({ result: written(svgPath) }), dataDir)).toEqual({ path: svgPath, svg: '<svg><title>Pass@k</title></svg>' })
  })

  it('refuses other kinds, unfinished jobs, files outside the data directory and missing files, saying which', () => {
    expect(() => quickstartChart(job({ kind: 'eval' }), dataDir)).toThrow(/Job 7 is of kind eval, not a quickstart/)
    expect(() => quickstartChart(job({ status: 'running' }), dataDir)).toThrow(/is running: its chart is written when it is done/)
    expect(() => quickstartChart(job({ result: written('/etc/passwd') }), dataDir)).toThrow(/outside the data directory/)
    expect(() => quickstartChart(job({ result: written(join(dataDir, '..', 'x.svg')) }), dataDir)).toThrow(/outside the data directory/)
    expect(() => quickstartChart(job({ result: written(join(dataDir, 'gone.svg')) }), dataDir)).toThrow(/is no longer there/)
    expect(() => quickstartChart(job({ result: {} }), dataDir)).toThrow(/recorded no chart/)
  })
})
