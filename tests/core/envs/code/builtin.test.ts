import { availableParallelism } from 'node:os'
import { describe, expect, it } from 'vitest'
import { builtinProblems } from '../../../../src-main/core/envs/code/builtin-problems.ts'
import { grade } from '../../../../src-main/core/envs/code/grade.ts'
import { builtinTasks, codeMeta } from '../../../../src-main/core/envs/code/tasks.ts'
import type { Lang } from '../../../../src-main/core/sandbox/limits.ts'
import { mapPool } from '../../../../src-main/core/pool.ts'
import { python } from '../../../fixtures/python.ts'

const problems = builtinProblems()

// Wrong in the most trivial ways: return nothing, echo the first argument.
const WRONG: Record<Lang, ((entry: string) => string)[]> = {
  py: [(f) => `def ${f}(*args):\n    return None\n`, (f) => `def ${f}(*args):\n    return args[0]\n`],
  js: [(f) => `function ${f}(...args) {\n  return undefined\n}\n`, (f) => `function ${f}(...args) {\n  return args[0]\n}\n`],
}

describe('built-in coding problems', () => {
  it('has at least 40 problems over five difficulties, and held-out problems at every difficulty', () => {
    expect(problems.length).toBeGreaterThanOrEqual(40)
    expect(new Set(problems.map((p) => p.slug)).size).toBe(problems.length)
    expect(new Set(problems.map((p) => p.difficulty))).toEqual(new Set([1, 2, 3, 4, 5]))
    const train = builtinTasks('js', 'train')
    const test = builtinTasks('js', 'test')
    expect(train.length + test.length).toBe(problems.length)
    const slug = (id: string) => id.split('.')[0]
    expect(train.filter((t) => test.some((u) => slug(u.id) === slug(t.id)))).toEqual([])
    expect(new Set(test.map((t) => codeMeta(t).difficulty))).toEqual(new Set([1, 2, 3, 4, 5]))
    // Both languages of a problem share a split.
    expect(builtinTasks('py', 'test').map((t) => slug(t.id))).toEqual(test.map((t) => slug(t.id)))
    for (const t of builtinTasks('py')) {
      const m = codeMeta(t)
      expect(m.hidden.length).toBeGreaterThan(m.visible.length)
      expect(m.hidden.slice(0, m.visible.length)).toEqual(m.visible)
    }
  })

  for (const lang of ['js', 'py'] as const) {
    it.skipIf(lang === 'py' && !python)(`${lang}: every reference solution passes, trivial wrong solutions fail`, { timeout: 300_000 }, async () => {
      const tasks = builtinTasks(lang)
      const jobs = tasks.flatMap((t) => {
        const m = codeMeta(t)
        return [{ t, program: m.reference, right: true }, ...WRONG[lang].map((w) => ({ t, program: w(m.entry), right: false }))]
      })
      const outcomes = await mapPool(jobs, availableParallelism(), async (j) => {
        const g = await grade(codeMeta(j.t), j.program)
        return { id: j.t.id, right: j.right, accepted: g.accepted, feedback: g.feedback }
      })
      const wrongOutcomes = outcomes.filter((o) => o.accepted !== o.right).map((o) => `${o.id} (${o.right ? 'reference' : 'wrong'}): ${o.feedback}`)
      expect(wrongOutcomes).toEqual([])
    })
  }
})
