import { describe, expect, it } from 'vitest'
import { FAMILIES } from '../../../../src-main/core/envs/household/catalog.ts'
import { household } from '../../../../src-main/core/envs/household/environment.ts'
import { householdRenderer as r } from '../../../../src-main/core/envs/household/prompt.ts'
import { Random } from '../../../../src-main/core/random.ts'
import type { Context } from '../../../../src-main/core/envs/types.ts'

async function played(family: (typeof FAMILIES)[number], seed: number, commands: (admissible: string[], i: number) => string, n: number): Promise<Context> {
  const [task] = household.tasks('test', 1, seed, { family })
  const s = household.openSync(task!)
  const initial = await s.reset()
  const history = []
  for (let i = 0; i < n; i++) {
    const action = commands(s.validActions(), i)
    history.push({ action, step: await s.step(action) })
  }
  return { task: task!, initial, history, validActions: s.validActions() }
}

describe('household prompts', () => {
  it('compact: goal, room, place, what is in sight, what is held, where goal objects were seen — at most a few hundred bytes', async () => {
    const rng = new Random(1)
    for (const family of FAMILIES) {
      for (let seed = 0; seed < 10; seed++) {
        const ctx = await played(family, seed, (adm) => rng.pick(adm), 15)
        const text = r.render(ctx, 'compact')
        expect(text.length, text).toBeLessThanOrEqual(401)
        expect(text).toMatch(/^G:[^|]+\|R:[a-z+,]+\|A:[^|]+\|S:[^|]*\|H:[^|>]+(\|K:[^|>]+)?>$/)
        expect(text).not.toContain('\n')
      }
    }
    const [task] = household.tasks('test', 1, 0, { family: 'pick_heat_then_place' })
    const object = (task!.meta!.goal as { object: string }).object
    const expert = (await household.expert!(task!))!
    const take = expert.findIndex((a) => a.startsWith('take '))
    const ctx = await played('pick_heat_then_place', 0, (_, i) => expert[i]!, take)
    const text = r.render(ctx, 'compact')
    // Standing where the goal object lies: it is in sight and remembered there.
    expect(text).toContain(`|K:${/take (\S+ \d+) from (.+)$/.exec(expert[take]!)!.slice(1).join('@')}`)
    expect(text).toContain(object)
    // An experience code goes after the state, however long the state is.
    const coded = r.render({ ...ctx, code: { blamed: 'look', place: 'kitchen/-', fix: 'go to fridge 1' } }, 'compact')
    expect(coded).toBe(text.slice(0, -1) + '|X:look|F:go to fridge 1>')
    expect(r.render({ ...ctx, code: { blamed: 'look', place: 'kitchen/-' } }, 'compact')).toBe(text.slice(0, -1) + '|X:look>')
  })

  it('readable: the task, the opening text, recent commands with feedback, the experience, the observation, admissible commands', async () => {
    const ctx = await played('pick_clean_then_place', 2, (adm, i) => (i === 1 ? 'dance' : adm[0]!), 12)
    const text = r.render({ ...ctx, experience: 'Clean it at the sinkbasin 1 first.' }, 'readable')
    expect(text.startsWith(`${ctx.initial.feedback}\n`)).toBe(true)
    expect(ctx.initial.feedback.endsWith(`Your task is to: ${ctx.task.instruction}`)).toBe(true)
    expect(text).toContain('(2 earlier commands not shown)')
    expect(text).toContain(`12. > ${ctx.history[11]!.action}\n${ctx.history[11]!.step.feedback}`)
    expect(text).toContain('Experience from an earlier attempt: Clean it at the sinkbasin 1 first.')
    expect(text).toContain(`Now:\n${ctx.history[11]!.step.observation}\n`)
    expect(text).toContain(`Admissible commands: ${ctx.validActions!.join(', ')}`)
    expect(text.endsWith('Your next command:')).toBe(true)
    expect(r.system(ctx.task)).toContain(ctx.task.instruction)
  })

  it('parses commands out of what a model wrote', () => {
    expect(r.parseAction('  Go To Fridge 1. ', 'readable')).toBe('go to fridge 1')
    expect(r.parseAction('The apple must be cold.\nAction: cool apple 1 with fridge 1', 'readable')).toBe('cool apple 1 with fridge 1')
    expect(r.parseAction('I think so.\n> open drawer 2', 'readable')).toBe('open drawer 2')
    expect(r.parseAction('take mug 1 from countertop 1\nmore text', 'compact')).toBe('take mug 1 from countertop 1')
    expect(r.formatAction('LOOK', 'compact')).toBe('look')
  })
})
