import { describe, expect, it } from 'vitest'
import { getEnvironment } from '../../../../src-main/core/envs/registry.ts'
import { listDslEnvironment as env } from '../../../../src-main/core/envs/listdsl/environment.ts'
import { dslRenderer } from '../../../../src-main/core/envs/listdsl/renderer.ts'
import { dslMeta } from '../../../../src-main/core/envs/listdsl/tasks.ts'
import type { Step, Task } from '../../../../src-main/core/envs/types.ts'

async function play(t: Task, actions: string[]) {
  const s = await env.open(t)
  const steps: Step[] = [await s.reset()]
  for (const a of actions) steps.push(await s.step(a))
  return { s, steps }
}

// A fixed task whose target is "map *2 a;reverse b".
const task: Task = {
  env: 'listdsl',
  id: 'hand/1',
  split: 'train',
  seed: 1,
  instruction: 'Write a list program that turns each input list into its output.',
  meta: {
    program: 'map *2 a;reverse b',
    length: 2,
    visible: [
      { input: [1, 2, 3], output: [6, 4, 2] },
      { input: [5, 0], output: [0, 10] },
      { input: [-1, 4, 4, 2], output: [4, 8, 8, -2] },
    ],
    hidden: [{ input: [7], output: [14] }, { input: [3, 3, 1], output: [2, 6, 6] }],
  },
}

describe('list-DSL environment', () => {
  it('is registered, generates tasks deterministically per seed and split, and checks its parameters', () => {
    expect(getEnvironment('listdsl')).toBe(env)
    expect(getEnvironment('code').id).toBe('code')
    const a = env.tasks('train', 5, 3)
    expect(env.tasks('train', 5, 3)).toEqual(a)
    expect(a.map((t) => t.id)).not.toEqual(env.tasks('test', 5, 3).map((t) => t.id))
    expect(env.tasks('test', 4, 3, { length: 2 }).every((t) => t.split === 'test' && dslMeta(t).length === 2)).toBe(true)
    expect(env.tasks('valid', 2, 1).every((t) => t.split === 'valid')).toBe(true)
    expect(() => env.tasks('dev', 1, 1)).toThrow('Generated tasks come in splits train, valid, test; "dev" is not one of them.')
    expect(() => env.tasks('train', 1, 1, { length: 9 })).toThrow(/length must be a number of statements from 1 to 6/)
  })

  it('gives the failing examples as feedback, refuses what does not parse, accepts a right program', async () => {
    const { steps } = await play(task, ['mapp *2 a', 'map *2 a', '```\nb = map *2 a\nc = reverse b\n```'])
    expect(steps[1]).toMatchObject({ valid: false, done: false })
    expect(steps[1]!.feedback).toMatch(/^The program does not parse: statement 1 \("mapp \*2 a"\): unknown function "mapp"/)
    expect(steps[2]!.feedback).toBe(
      [
        '0 of 3 examples right.',
        'Example 1: input [1,2,3], expected [6,4,2], got [2,4,6].',
        'Example 2: input [5,0], expected [0,10], got [10,0].',
        'Example 3: input [-1,4,4,2], expected [4,8,8,-2], got [-2,8,8,4].',
      ].join('\n'),
    )
    expect(steps[2]!.observation).toBe('Submission 2 of 4: 0/3 examples right.')
    expect(steps[3]).toMatchObject({ success: true, done: true, reward: 1 })
  })

  it('a program that only fits the visible examples is not accepted', async () => {
    const overfit: Task = { ...task, meta: { ...dslMeta(task), hidden: [{ input: [2, 1], output: [9, 9] }] } }
    const { steps } = await play(overfit, ['map *2 a;reverse b'])
    expect(steps[1]!.feedback).toMatch(/^All 3 examples are right, but the program is not accepted: it fails hidden examples/)
  })

  it('snapshot and replay give identical steps', async () => {
    const actions = ['sort a', 'map *2 a', 'map *2 a;reverse b']
    const first = await play(task, actions.slice(0, 2))
    const snap = first.s.snapshot!()
    const third = await first.s.step(actions[2]!)
    await first.s.restore!(snap)
    expect(await first.s.step(actions[2]!)).toEqual(third)
    const replay = await play(task, actions)
    expect(replay.steps.slice(0, 3)).toEqual(first.steps)
  })

  it('the expert (the synthesiser) solves generated tasks in one step', async () => {
    for (const t of env.tasks('train', 10, 11)) {
      const demo = await env.expert!(t)
      const { steps } = await play(t, demo!)
      expect(steps[1], `${t.id}: ${demo}`).toMatchObject({ success: true })
    }
  })

  it('the critic picks the attempt to redo, grounds the experience in a failing example, and avoids that program', async () => {
    const actions = ['map *2 a', 'sort a', 'sort a']
    const { steps } = await play(task, actions)
    const r = env.critic!(task, actions, steps.slice(1)) as ReturnType<NonNullable<typeof env.critic>>
    // map *2 a fits the hidden [7] → [14]; the sorts fit nothing: progress stopped at attempt 2.
    expect(r).toEqual({
      rollbackStep: 2,
      experience: 'On [1,2,3] it gives [1,2,3], not [6,4,2]. Try map.',
      avoid: ['sort a'],
      source: 'critic',
    })
    const one = env.critic!(task, ['map *2 a'], steps.slice(1, 2)) as { experience: string; rollbackStep: number }
    expect(one).toMatchObject({ rollbackStep: 1, experience: 'On [1,2,3] it gives [2,4,6], not [6,4,2]. Right numbers, wrong order: sort or reverse.' })
    const typeErr = env.critic!(task, ['sum a'], steps.slice(1, 2)) as { experience: string }
    expect(typeErr.experience).toBe('On [1,2,3] it gives 6, not [6,4,2]. The answer is a list: do not end with a number.')
    const parseErr = env.critic!(task, ['sort b'], steps.slice(1, 2)) as { experience: string }
    expect(parseErr.experience).toMatch(/^Fix the syntax: statement 1 \("sort b"\): b is not defined yet/)
    const solved = await play(task, ['map *2 a;reverse b'])
    expect(env.critic!(task, ['map *2 a;reverse b'], solved.steps.slice(1))).toBeNull()
  })

  it('the compact prompt is a few hundred bytes: the examples, the last program and its results, the experience', async () => {
    const { steps } = await play(task, ['sort a', 'map *2 a'])
    const ctx = { task, initial: steps[0]!, history: [{ action: 'sort a', step: steps[1]! }, { action: 'map *2 a', step: steps[2]! }], experience: 'Reverse it.' }
    expect(dslRenderer.render(ctx, 'compact')).toBe('[1,2,3]>[6,4,2]\n[5,0]>[0,10]\n[-1,4,4,2]>[4,8,8,-2]\nP map *2 a\nF [2,4,6] [10,0] [-2,8,8,4]\nX Reverse it.\n>')
    let longest = 0
    for (const t of env.tasks('train', 200, 5, { length: [1, 4] })) {
      const s = await env.open(t)
      const initial = await s.reset()
      const wrong = 'sort a;reverse b'
      const step = await s.step(wrong)
      const text = dslRenderer.render({ task: t, initial, history: [{ action: wrong, step }], experience: 'x'.repeat(500) }, 'compact')
      longest = Math.max(longest, Buffer.byteLength(text))
    }
    expect(longest).toBeLessThanOrEqual(320)
    const readable = dslRenderer.render(ctx, 'readable')
    expect(readable).toContain('Attempt 2: map *2 a\nResult: 0 of 3 examples right.')
    expect(dslRenderer.system(task)).toMatch(/Functions: head L, last L, min L, max L, sum L, reverse L, sort L, take N L/)
    expect(dslRenderer.parseAction('The answer:\n```\nb = map *2 a\nc = reverse b\n```', 'readable')).toBe('map *2 a;reverse b')
    expect(dslRenderer.formatAction('map  *2 a ;  reverse b', 'compact')).toBe('map *2 a;reverse b')
  })
})
