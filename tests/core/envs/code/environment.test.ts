import { describe, expect, it } from 'vitest'
import { codeEnvironment as env } from '../../../../src-main/core/envs/code/environment.ts'
import { codeRenderer } from '../../../../src-main/core/envs/code/renderer.ts'
import { builtinTasks, codeMeta } from '../../../../src-main/core/envs/code/tasks.ts'
import type { Step, Task } from '../../../../src-main/core/envs/types.ts'
import { python } from '../../../fixtures/python.ts'

const task = (slug: string, lang: 'js' | 'py' = 'py'): Task => builtinTasks(lang).find((t) => t.id === `${slug}.${lang}`)!
const fence = (code: string, tag = 'python') => `Here is my program:\n\`\`\`${tag}\n${code}\n\`\`\`\nIt should work.`

async function play(t: Task, actions: string[]) {
  const s = await env.open(t)
  const steps: Step[] = [await s.reset()]
  for (const a of actions) steps.push(await s.step(a))
  return { s, steps }
}

describe.skipIf(!python)('code environment, Python', () => {
  it('gives compile errors, failing visible tests with input, expected and actual, and accepts a right program', async () => {
    const t = task('running-sum')
    const { steps } = await play(t, [
      fence('def running_sum(nums)\n    return nums'),
      fence('def running_sum(nums):\n    return nums'),
      fence(codeMeta(t).reference),
    ])
    expect(steps[1]).toMatchObject({ valid: true, done: false, success: false, reward: 0 })
    expect(steps[1]!.feedback).toMatch(/^The program does not compile: SyntaxError: expected ':' \(solution\.py, line 1\)/)
    expect(steps[2]!.feedback).toContain('1 of 2 visible tests pass.\nTest 1 failed:\n  input:    running_sum([1, 2, 3, 4])\n  expected: [1, 3, 6, 10]\n  actual:   [1, 2, 3, 4]')
    expect(steps[2]!.observation).toBe('Submission 2 of 4: 1/2 visible pass.')
    expect(steps[3]).toMatchObject({ done: true, success: true, reward: 1, feedback: 'All tests pass: the program is accepted.' })
  })

  it('ends after four submissions, counting an answer without a program', async () => {
    const t = task('gcd')
    const { steps, s } = await play(t, ['  \n', fence('def gcd(a, b):\n    return 1'), fence('def gcd(a, b):\n    return a'), fence('def gcd(a, b):\n    return b')])
    expect(steps[1]).toMatchObject({ valid: false, done: false })
    expect(steps[1]!.feedback).toMatch(/No program was found/)
    expect(steps[4]).toMatchObject({ done: true, success: false })
    expect(steps[4]!.observation).toMatch(/No submissions left/)
    const after = await s.step(fence(codeMeta(t).reference))
    expect(after).toMatchObject({ valid: false, success: false })
  })

  it('names runtime errors, reports a hidden-test failure without revealing it, and truncates long values', async () => {
    const t = task('sum-of-evens')
    const { steps } = await play(t, [
      fence('def sum_of_evens(nums):\n    return nums[0] // 0'),
      fence('def sum_of_evens(nums):\n    return 6 if nums[0] == 1 else 0'),
      fence("def sum_of_evens(nums):\n    return 'x' * 5000"),
    ])
    expect(steps[1]!.feedback).toContain('Test 1 raised an error:\n  input:    sum_of_evens([1, 2, 3, 4])\n  expected: 6\n  error:    ZeroDivisionError: integer division or modulo by zero (solution.py, line 2)')
    expect(steps[2]!.feedback).toMatch(/^All 2 visible tests pass, but the program is not accepted: it fails hidden tests/)
    expect(steps[2]!.feedback).not.toContain('[10, 11, 12, 13, 14]')
    expect(steps[3]!.feedback).toMatch(/actual: {3}'x{299}… \(4702 more characters\)/)
  })

  it('reports an infinite loop as a time limit and names the visible test, but not a hidden one', async () => {
    const t = { ...task('clamp'), meta: { ...codeMeta(task('clamp')) } }
    const { steps } = await play(t, [fence('def clamp(x, lo, hi):\n    while True:\n        pass')])
    expect(steps[1]!.feedback).toMatch(/^Time limit exceeded: .* while running test 1 \(clamp\(5, 1, 10\)\)\./)
    const hiddenLoop = await play(t, [fence('def clamp(x, lo, hi):\n    while x == 12:\n        pass\n    return max(lo, min(x, hi))')])
    expect(hiddenLoop.steps[1]!.feedback).toMatch(/^Time limit exceeded: .* while running a hidden test\.\n2 of 2 visible tests passed before that\./)
  }, 60_000)

  it('keeps the tests off disk: a program cannot read the expected answers', async () => {
    const t = task('gcd')
    const { steps } = await play(t, [fence("import os, sys\ndef gcd(a, b):\n    return [sorted(os.listdir('.')), sys.stdin.read()]")])
    expect(steps[1]!.feedback).toContain("actual:   [['harness.py', 'solution.py'], '']")
  })

  it('restores a snapshot exactly and replays a trajectory to the same steps (rollback = submission history)', async () => {
    const t = task('two-sum')
    const actions = [fence('def two_sum(nums, target):\n    return [0, 1]'), fence('def two_sum(nums, target):\n    return None'), fence(codeMeta(t).reference)]
    const first = await play(t, actions.slice(0, 2))
    const snap = first.s.snapshot!()
    const third = await first.s.step(actions[2]!)
    await first.s.restore!(snap)
    expect(await first.s.step(actions[2]!)).toEqual(third)
    const replay = await play(t, actions)
    expect(replay.steps.slice(0, 3)).toEqual(first.steps)
    expect(replay.steps[3]).toEqual(third)
  })

  it('the expert solves each task it is asked for in one submission', async () => {
    for (const t of env.tasks('test', 3, 7, { lang: 'py' })) {
      const demo = await env.expert!(t)
      const { steps } = await play(t, demo!)
      expect(steps[1]).toMatchObject({ success: true, done: true })
    }
  })

  it('the critic rolls back to where progress stopped, grounded in visible feedback, and avoids the failed program', async () => {
    const t = task('two-sum')
    const good = 'def two_sum(nums, target):\n    return [0, 1]'
    const worse = 'def two_sum(nums, target):\n    return None'
    const { steps } = await play(t, [fence(good), fence(worse), fence(worse)])
    const r = await env.critic!(t, [fence(good), fence(worse), fence(worse)], steps.slice(1))
    expect(r).toMatchObject({ rollbackStep: 2, source: 'critic', avoid: [worse + '\n'] })
    expect(r!.experience).toMatch(/^Submission 2 passed 0 of 2 visible tests; on two_sum\(\[2, 7, 11, 15\], 9\) it returned None instead of \[0, 1\]/)
    const compile = await play(t, [fence('def two_sum(nums, target)\n  x')])
    const r2 = await env.critic!(t, [fence('def two_sum(nums, target)\n  x')], compile.steps.slice(1))
    expect(r2).toMatchObject({ rollbackStep: 1 })
    expect(r2!.experience).toMatch(/did not compile \(SyntaxError/)
    const solved = await play(t, [fence(codeMeta(t).reference)])
    expect(await env.critic!(t, [fence(codeMeta(t).reference)], solved.steps.slice(1))).toBeNull()
  })
})

describe('code environment', () => {
  it('JavaScript: HumanEval-style console.assert tests fail a wrong solution', async () => {
    const t: Task = {
      env: 'code',
      id: 'asserts.js',
      split: 'test',
      seed: 0,
      instruction: 'Write add(a, b).',
      meta: {
        lang: 'js',
        entry: 'add',
        visible: [{ kind: 'code', code: 'const t = () => {\n  console.assert(add(1, 2) === 3)\n}\nt()' }],
        hidden: [{ kind: 'code', code: 'const t = () => {\n  console.assert(add(1, 2) === 3)\n  console.assert(\n    add(-1, 1) === 0\n  )\n}\nt()' }],
        reference: 'const add = (a, b) => a + b',
        source: 'humaneval-x',
      },
    }
    const wrong = await play(t, [fence('const add = (a, b) => a - b', 'javascript')])
    expect(wrong.steps[1]!.success).toBe(false)
    expect(wrong.steps[1]!.feedback).toContain('Test 1 failed:\n  input:    add(1, 2)\n  expected: 3\n  actual:   -1')
    const halfRight = await play(t, [fence('const add = (a, b) => (a === 1 ? 3 : 7)', 'js')])
    expect(halfRight.steps[1]).toMatchObject({ success: false })
    expect(halfRight.steps[1]!.feedback).toMatch(/fails hidden tests/)
    const right = await play(t, [fence('const add = (a, b) => a + b', 'js')])
    expect(right.steps[1]).toMatchObject({ success: true })
  })

  it('tasks are deterministic per seed, split honestly, and refuse unknown splits and languages', () => {
    const a = env.tasks('train', 10, 1, { lang: 'js' })
    expect(env.tasks('train', 10, 1, { lang: 'js' })).toEqual(a)
    expect(env.tasks('train', 10, 2, { lang: 'js' }).map((t) => t.id)).not.toEqual(a.map((t) => t.id))
    expect(a.every((t) => t.split === 'train' && t.id.endsWith('.js'))).toBe(true)
    expect(env.tasks('test', 100, 1).length).toBe(11)
    expect(env.tasks('train', 5, 1, { maxTurns: 2 }).every((t) => codeMeta(t).maxTurns === 2)).toBe(true)
    expect(() => env.tasks('valid', 1, 1)).toThrow(/splits train, test, all \(got "valid"\)/)
    expect(() => env.tasks('train', 1, 1, { lang: 'rust' })).toThrow(/lang must be "js" or "py" \(got "rust"\)/)
  })

  it('renders the statement, every submission with its feedback and the experience; reads programs out of answers', async () => {
    const t = task('gcd', 'js')
    const { steps } = await play(t, [fence('function gcd(a, b) { return 1 }', 'javascript')])
    const text = codeRenderer.render({ task: t, initial: steps[0]!, history: [{ action: fence('function gcd(a, b) { return 1 }', 'javascript'), step: steps[1]! }], experience: 'Use Euclid.' }, 'compact')
    expect(text).toContain(t.instruction)
    expect(text).toContain('Submission 1:\n```javascript\nfunction gcd(a, b) { return 1 }\n```\nResult: 1 of 2 visible tests pass.')
    expect(text).toContain('Advice from reviewing an earlier attempt: Use Euclid.')
    expect(text).toMatch(/Write the complete program \(submission 2 of 4\)\.$/)
    expect(codeRenderer.system(t)).toMatch(/JavaScript programmer/)
    expect(codeRenderer.parseAction('```js\nlet a\n```\nthen\n```python\nx = 1\n```', 'readable')).toBe('x = 1\n')
    expect(codeRenderer.parseAction('no fences here', 'readable')).toBe('no fences here\n')
    expect(codeRenderer.formatAction('```python\nx = 1\n```', 'readable')).toBe('```\nx = 1\n```')
  })

  it('reports the sandbox isolation through status()', async () => {
    const s = await env.status!()
    expect(s.available).toBe(true)
    expect(s.summary).toMatch(/^JavaScript: \S+/)
    expect(s.details!.js).toMatchObject({ available: true, level: expect.stringMatching(/^(bwrap|permission|rlimits)$/) })
  })

  it('says in plain words when Python is unavailable', async () => {
    const saved = process.env.LEAFE_PYTHON
    process.env.LEAFE_PYTHON = '/nonexistent/python3'
    try {
      await expect(env.open(task('gcd'))).rejects.toThrow(
        'Cannot run Python task "gcd.py": Python is unavailable: LEAFE_PYTHON (/nonexistent/python3) is not a working Python 3. Install Python 3 to run Python tasks.',
      )
      const s = await env.status!()
      expect(s.summary).toMatch(/Python: unavailable — Python is unavailable/)
    } finally {
      if (saved === undefined) delete process.env.LEAFE_PYTHON
      else process.env.LEAFE_PYTHON = saved
    }
  })
})
