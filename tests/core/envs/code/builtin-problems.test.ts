// The built-in problems are data under resources/code-problems/: found from the source tree and
// read whole, and a damaged file is refused with its path and what is wrong in it.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { builtinProblems, loadProblems } from '../../../../src-main/core/envs/code/builtin-problems.ts'
import { resourcePath } from '../../../../src-main/core/paths.ts'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** A copy of resources/code-problems/ to damage. */
function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'leafe-problems-'))
  dirs.push(dir)
  cpSync(resourcePath('code-problems'), dir, { recursive: true })
  return dir
}

describe('built-in problem files', () => {
  it('reads every problem with both reference solutions, in the order of problems.json', () => {
    const problems = builtinProblems()
    const listed = (JSON.parse(readFileSync(resourcePath('code-problems', 'problems.json'), 'utf8')) as { slug: string }[]).map((p) => p.slug)
    expect(problems.map((p) => p.slug)).toEqual(listed)
    for (const p of problems) {
      expect(p.py).toContain(`def ${p.fn}(`)
      expect(p.js).toMatch(/^function \w+\(/m)
    }
  })

  it('names the file and the field that is wrong', () => {
    const dir = copy()
    const list = JSON.parse(readFileSync(join(dir, 'problems.json'), 'utf8')) as Record<string, unknown>[]
    list[2]!.difficulty = 7
    writeFileSync(join(dir, 'problems.json'), JSON.stringify(list))
    expect(() => loadProblems(dir)).toThrow(`${join(dir, 'problems.json')}: 2.difficulty:`)
    writeFileSync(join(dir, 'problems.json'), '[{"slug": ')
    expect(() => loadProblems(dir)).toThrow(`${join(dir, 'problems.json')}: `)
  })

  it('names a missing solution file', () => {
    const dir = copy()
    const slug = loadProblems(dir)[0]!.slug
    rmSync(join(dir, `${slug}.py`))
    expect(() => loadProblems(dir)).toThrow(`Cannot read the built-in coding problem file ${join(dir, `${slug}.py`)}`)
  })
})
