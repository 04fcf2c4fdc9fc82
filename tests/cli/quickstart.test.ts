import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { QuickstartResult } from '../../src-main/shared/jobs/quickstart.ts'
import { tempDir } from '../fixtures/tmp.ts'

describe('leafe quickstart --reduced', () => {
  it('runs base → GRPO → Early Experience → LEAFE → Pass@k end to end and writes the table and the chart', () => {
    const dir = tempDir()
    // --config overrides one field of a section and keeps the rest of the reduced sizes.
    const sizes = join(dir, 'sizes.json')
    writeFileSync(sizes, JSON.stringify({ eval: { n: 6 } }))
    const r = spawnSync(process.execPath, ['bin/leafe.js', 'quickstart', '--reduced', '--config', sizes, '--json', '--data-dir', dir], { encoding: 'utf8', timeout: 600_000 })
    expect(r.status, r.stderr).toBe(0)
    // What it prints is the result its kind declares, whole.
    const out = QuickstartResult.parse(JSON.parse(r.stdout))
    expect(out.rows.map((row) => row.method)).toEqual(['base', 'GRPO', 'Early Experience', 'LEAFE', 'random play'])
    for (const row of out.rows) {
      expect(row.passAt1).toBeGreaterThanOrEqual(0)
      expect(row.passAtN).toBeGreaterThanOrEqual(row.passAt1 - 1e-12)
    }
    // Four distinct checkpoints, LEAFE descending from GRPO, GRPO and Early Experience from the base.
    const ids = out.rows.slice(0, 4).map((row) => row.checkpointId)
    expect(new Set(ids).size).toBe(4)
    expect(out.explore.corpusItems.cf).toBeGreaterThan(0)
    expect(readFileSync(out.files.svg, 'utf8')).toContain('LEAFE')
    expect(readFileSync(out.files.markdown, 'utf8')).toMatch(/\| LEAFE \| [\d.]+ \| [\d.]+ \|/)
    expect(existsSync(out.files.json)).toBe(true)
    // Held-out levels only in the evaluation: its task set is the test split.
    expect(out.config.eval).toMatchObject({ tasks: 8, n: 6, split: 'test' })
    expect(out.n).toBe(6)
  }, 600_000)

  it('names a broken --config file and a bad size before starting anything', () => {
    const dir = tempDir()
    const broken = join(dir, 'broken.json')
    writeFileSync(broken, '{ "eval": ')
    const a = spawnSync(process.execPath, ['bin/leafe.js', 'quickstart', '--config', broken, '--data-dir', dir], { encoding: 'utf8' })
    expect(a.status).toBe(2)
    expect(a.stderr).toContain(`--config ${broken}`)
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, JSON.stringify({ eval: { n: 0 } }))
    const b = spawnSync(process.execPath, ['bin/leafe.js', 'quickstart', '--config', bad, '--data-dir', dir], { encoding: 'utf8' })
    expect(b.status).toBe(2)
    expect(b.stderr).toContain('eval.n')
    expect(existsSync(join(dir, 'quickstart'))).toBe(false)
  })

  it('runs in the household with --env household, and refuses an unknown environment or a Sokoban preset there', () => {
    const dir = tempDir()
    const r = spawnSync(process.execPath, ['bin/leafe.js', 'quickstart', '--reduced', '--env', 'household', '--json', '--data-dir', dir], { encoding: 'utf8', timeout: 600_000 })
    expect(r.status, r.stderr).toBe(0)
    const out = QuickstartResult.parse(JSON.parse(r.stdout))
    expect(out.config).toMatchObject({ env: 'household', base: { model: 'micro-256' } })
    expect(out.rows).toHaveLength(5)
    for (const [args, message] of [
      [['--env', 'chess'], '--env chess: the quickstart has sizes for sokoban and household only.'],
      [['--env', 'household', '--preset', '7x7-1'], "--preset 7x7-1: room presets are Sokoban's"],
    ] as const) {
      const bad = spawnSync(process.execPath, ['bin/leafe.js', 'quickstart', ...args, '--data-dir', join(dir, 'refused')], { encoding: 'utf8' })
      expect(bad.status).toBe(2)
      expect(bad.stderr).toContain(message)
      expect(existsSync(join(dir, 'refused', 'quickstart'))).toBe(false)
    }
  }, 600_000)
})
