import { describe, expect, it } from 'vitest'
import { FAMILIES } from '../../../../src-main/core/envs/household/catalog.ts'
import { household } from '../../../../src-main/core/envs/household/environment.ts'
import { householdRenderer as r } from '../../../../src-main/core/envs/household/renderer.ts'
import { codeOf } from '../../../../src-main/core/envs/household/compact.ts'
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
  it('compact, in codes: goal, room, place, what a receptacle holds, what is held and its state, where goal objects were seen — 120 bytes at most before the code', async () => {
    const rng = new Random(1)
    for (const family of FAMILIES) {
      for (let seed = 0; seed < 10; seed++) {
        const ctx = await played(family, seed, (adm) => rng.pick(adm), 15)
        const text = r.render(ctx, 'compact')
        expect(text.length, text).toBeLessThanOrEqual(121)
        if (text.length < 121) expect(text).toMatch(/^G:[pwhcl2][a-z]{2}(>[a-z]{2})?\|R:[a-z]{2}(\+[a-z,]+)?\|A:(-|[a-z]{2}\d+( open| closed)?)(\|S:[^|]*)?\|H:[^|>]+(\|K:[^|>]+)?>$/)
        // A receptacle's contents are shown where the agent stands at one; the room's receptacles are not.
        expect(text.includes('|A:-|S:')).toBe(false)
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
    expect(text).toContain(`|K:${/^t([a-z]{2}\d+)([a-z]{2}\d+)$/.exec(r.formatAction(expert[take]!, 'compact'))!.slice(1).join('@')}`)
    expect(text).toContain(codeOf(object))
    // An experience code goes after the state, however long the state is.
    const coded = r.render({ ...ctx, code: { blamed: 'look', place: 'kitchen/-', fix: 'go to fridge 1' } }, 'compact')
    expect(coded).toBe(text.slice(0, -1) + '|X:l|F:gfr1>')
    expect(r.render({ ...ctx, code: { blamed: 'look', place: 'kitchen/-' } }, 'compact')).toBe(text.slice(0, -1) + '|X:l>')

    // Holding the object before and after heating it are two states, and read as two.
    const heat = expert.findIndex((a) => a.startsWith('heat '))
    const before = r.render(await played('pick_heat_then_place', 0, (_, i) => expert[i]!, heat), 'compact')
    const after = r.render(await played('pick_heat_then_place', 0, (_, i) => expert[i]!, heat + 1), 'compact')
    expect(before).toMatch(new RegExp(`\\|H:${codeOf(object)}\\d+[|>]`))
    expect(after).toMatch(new RegExp(`\\|H:${codeOf(object)}\\d+ hot[|>]`))
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
    expect(r.parseAction('tmu1ct1\nmore text', 'compact')).toBe('take mug 1 from countertop 1')
    expect(r.formatAction('LOOK', 'compact')).toBe('l')
  })
})
