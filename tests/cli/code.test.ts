import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openStore } from '../../src-main/core/store/db.ts'
import { listTaskSets } from '../../src-main/core/store/tasks.ts'
import { tempDir } from '../fixtures/tmp.ts'

const leafe = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['bin/leafe.js', ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } })
const sets = (dir: string) => {
  const { db } = openStore(join(dir, 'leafe.sqlite'))
  try {
    return listTaskSets(db)
  } finally {
    db.close()
  }
}

describe('leafe code', () => {
  it('imports an MBPP file, and a broken one imports nothing and names the line', () => {
    const dir = tempDir()
    const broken = leafe(['code', 'import', 'tests/fixtures/code/mbpp-missing-field.jsonl', '--format', 'mbpp', '--data-dir', dir])
    expect(broken.status).toBe(1)
    expect(broken.stderr).toContain('leafe code: Line 2: field "test_list" is missing')
    expect(sets(dir)).toEqual([])
    const ok = leafe(['code', 'import', 'tests/fixtures/code/mbpp-valid.jsonl', '--format', 'mbpp', '--name', 'mbpp-mini', '--data-dir', dir])
    expect(ok.stderr).toMatch(/Checking the reference solutions of \d+ problems in the sandbox/)
    expect(ok.stdout).toContain('Imported 4 Python tasks into task set "mbpp-mini"')
    expect(ok.status).toBe(0)
    expect(sets(dir)).toMatchObject([{ name: 'mbpp-mini', env: 'code', count: 4, source: 'imported' }])
  })

  it('stores the built-in problems as a task set', () => {
    const dir = tempDir()
    const r = leafe(['code', 'builtin', '--lang', 'js', '--split', 'test', '--data-dir', dir])
    expect(r.stdout).toContain('Stored 11 built-in JavaScript problems as task set "code-builtin-js-test"')
    expect(sets(dir)).toMatchObject([{ name: 'code-builtin-js-test', split: 'test', source: 'generated', count: 11 }])
  })

  it('shows the sandbox isolation, and says what was wrong on bad usage', () => {
    const s = leafe(['code', 'status', '--json'])
    expect(s.status).toBe(0)
    expect(JSON.parse(s.stdout).js).toMatchObject({ available: true, level: expect.any(String) })
    expect(leafe(['code', 'status']).stdout).toMatch(/^JavaScript +\w+ — /)
    const bad = leafe(['code', 'import', 'x.jsonl', '--format', 'csv'])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/--format must be one of mbpp, humaneval, humaneval-x \(got "csv"\)/)
    expect(leafe(['code', 'frob']).stderr).toMatch(/unknown subcommand "frob"/)
    const bogus = leafe(['code', 'status'], { LEAFE_SANDBOX: 'bogus' })
    expect(bogus.status).toBe(2)
    expect(bogus.stderr).toMatch(/LEAFE_SANDBOX must be one of bwrap, permission, rlimits \(got "bogus"\)/)
    const pyPermission = JSON.parse(leafe(['code', 'status', '--json'], { LEAFE_SANDBOX: 'permission' }).stdout).py
    expect(pyPermission.summary).toMatch(/permission: that level is Node's permission model, for JavaScript only/)
    expect(leafe(['code', 'import', '--format', 'mbpp']).stderr).toMatch(/give exactly one FILE/)
  })
})
