import { describe, expect, it } from 'vitest'
import { World, type Goal, type HouseSpec } from '../../../../src-main/core/envs/household/world.ts'
import { household } from '../../../../src-main/core/envs/household/environment.ts'
import { FAMILIES } from '../../../../src-main/core/envs/household/catalog.ts'
import { Random } from '../../../../src-main/core/random.ts'
import type { Step } from '../../../../src-main/core/envs/types.ts'

// A small hand-made house: kitchen (0) and bedroom (1).
const house: HouseSpec = {
  rooms: ['kitchen', 'bedroom'],
  receptacles: [
    { kind: 'fridge', n: 1, room: 0 }, // 0
    { kind: 'countertop', n: 1, room: 0 }, // 1
    { kind: 'microwave', n: 1, room: 0 }, // 2
    { kind: 'sinkbasin', n: 1, room: 0 }, // 3
    { kind: 'cabinet', n: 1, room: 0 }, // 4
    { kind: 'desk', n: 1, room: 1 }, // 5
    { kind: 'drawer', n: 1, room: 1 }, // 6
  ],
  objects: [
    { kind: 'apple', n: 1, at: 0 },
    { kind: 'mug', n: 1, at: 1 },
    { kind: 'book', n: 1, at: 5 },
    { kind: 'desklamp', n: 1, at: 5 },
  ],
  start: 0,
}
const world = (goal: Goal = { family: 'pick_heat_then_place', object: 'apple', target: 'countertop' }) => new World(house, goal)

describe('household world', () => {
  it('rejects impossible commands with "Nothing happens." and the precise reason, changing nothing', () => {
    const w = world()
    const cases: [string[], string, string][] = [
      [[], 'take apple 1 from fridge 1', 'You are not at the fridge 1; go to it first.'],
      [['go to fridge 1'], 'take apple 1 from fridge 1', 'The fridge 1 is closed; open it first.'],
      [['go to fridge 1'], 'go to fridge 1', 'You are already at the fridge 1.'],
      [['go to fridge 1'], 'close fridge 1', 'The fridge 1 is already closed.'],
      [['go to fridge 1', 'open fridge 1'], 'open fridge 1', 'The fridge 1 is already open.'],
      [['go to countertop 1'], 'open countertop 1', 'The countertop 1 cannot be opened or closed.'],
      [['go to countertop 1'], 'take apple 1 from countertop 1', 'There is no apple 1 on the countertop 1.'],
      [['go to countertop 1', 'take mug 1 from countertop 1'], 'take mug 1 from countertop 1', 'There is no mug 1 on the countertop 1.'],
      [['go to fridge 1', 'open fridge 1', 'take apple 1 from fridge 1', 'go to countertop 1'], 'take mug 1 from countertop 1', 'You are already holding the apple 1; you can carry one thing at a time. Put it down first.'],
      [['go to countertop 1'], 'put mug 1 on countertop 1', 'You are not holding the mug 1.'],
      [['go to countertop 1', 'take mug 1 from countertop 1'], 'heat mug 1 with countertop 1', 'You can only heat things with a microwave or a stoveburner, not with the countertop 1.'],
      [['go to countertop 1', 'take mug 1 from countertop 1'], 'heat mug 1 with microwave 1', 'You are not at the microwave 1; go to it first.'],
      [['go to countertop 1', 'take mug 1 from countertop 1', 'go to sinkbasin 1', 'clean mug 1 with sinkbasin 1'], 'clean mug 1 with sinkbasin 1', 'The mug 1 is already clean.'],
      [[], 'go to desk 1', 'The desk 1 is in the bedroom; you are in the kitchen. Go to the bedroom first.'],
      [[], 'go to kitchen', 'You are already in the kitchen.'],
      [[], 'use desklamp 1', 'The desklamp 1 stands on the desk 1 in the bedroom; you are in the kitchen.'],
      [['go to bedroom'], 'use desklamp 1', 'The desklamp 1 stands on the desk 1; go to the desk 1 first.'],
      [['go to bedroom', 'go to desk 1'], 'take desklamp 1 from desk 1', 'The desklamp 1 cannot be picked up; use it where it stands.'],
      [['go to bedroom', 'go to desk 1', 'take book 1 from desk 1'], 'clean book 1 with sinkbasin 1', 'The sinkbasin 1 is in the kitchen; you are in the bedroom.'],
      [['go to bedroom', 'go to desk 1', 'take book 1 from desk 1', 'go to kitchen', 'go to sinkbasin 1'], 'clean book 1 with sinkbasin 1', 'The book 1 cannot be cleaned.'],
      [[], 'use fridge 1', 'You cannot use the fridge 1; only a lamp can be used.'],
      [[], 'examine apple 1', 'You do not see the apple 1 here.'],
      [[], 'take fridge 1 from kitchen', 'The fridge 1 cannot be moved; it is a receptacle.'],
      [[], 'go to fridge 7', 'There is no "fridge 7" in this house (expected a room or a receptacle, named like "fridge 1").'],
      [[], 'dance', '"dance" is not a command. Commands: go to, open, close, take … from, put … in/on, clean/heat/cool … with, use, examine, inventory, look.'],
    ]
    for (const [setup, command, reason] of cases) {
      w.restore(world().snapshot())
      for (const c of setup) expect(w.step(c).ok, `${c} (setup for ${command})`).toBe(true)
      const before = w.snapshot()
      const r = w.step(command)
      expect(r, command).toEqual({ ok: false, feedback: `Nothing happens. ${reason}` })
      expect(w.snapshot()).toEqual(before)
    }
  })

  it('carries out ALFWorld commands with ALFWorld-style feedback, in any case and with unnumbered unique names', () => {
    const w = world()
    expect(w.step('Go to Fridge').feedback).toBe('You arrive at the fridge 1. The fridge 1 is closed.')
    expect(w.step('open fridge 1').feedback).toBe('You open the fridge 1. The fridge 1 is open. In the fridge 1, you see an apple 1.')
    expect(w.step('take apple 1 from fridge 1').feedback).toBe('You pick up the apple 1 from the fridge 1.')
    expect(w.step('inventory').feedback).toBe('You are carrying: an apple 1.')
    expect(w.step('go to microwave 1').ok).toBe(true)
    expect(w.step('heat apple 1 with microwave 1').feedback).toBe('You heat the apple 1 using the microwave 1. It is hot now.')
    expect(w.step('examine apple 1').feedback).toBe('This is a hot apple 1.')
    expect(w.step('go to fridge 1').ok).toBe(true)
    expect(w.step('cool apple 1 with fridge 1').feedback).toBe('You cool the apple 1 using the fridge 1. It is cool now.')
    expect(w.step('examine apple 1').feedback).toBe('This is a cool apple 1.') // cooling undoes heating
    expect(w.step('go to countertop 1').ok).toBe(true)
    expect(w.step('put apple 1 in countertop 1').feedback).toBe('You put the apple 1 on the countertop 1.')
    expect(w.isGoal()).toBe(false) // it is cool, not hot
    expect(w.describe()).toBe('Room: kitchen (other rooms: bedroom)\nAt: countertop 1\nOn it: apple 1, mug 1\nHolding: nothing')
    expect(w.step('go to bedroom').feedback).toBe('You are in the middle of the bedroom. Looking around, you see desk 1 and drawer 1. Other rooms: kitchen.')
  })

  it('recognises each family\'s goal', () => {
    const light = world({ family: 'look_at_obj_in_light', object: 'book', target: null })
    for (const c of ['go to bedroom', 'go to desk 1', 'take book 1 from desk 1']) light.step(c)
    expect(light.isGoal()).toBe(false)
    expect(light.step('use desklamp 1').feedback).toBe('You turn on the desklamp 1.')
    expect(light.isGoal()).toBe(true)
    const two = new World({ ...house, objects: [...house.objects, { kind: 'mug', n: 2, at: 4 }] }, { family: 'pick_two_obj_and_place', object: 'mug', target: 'countertop' })
    for (const c of ['go to cabinet 1', 'open cabinet 1', 'take mug 2 from cabinet 1', 'go to countertop 1']) two.step(c)
    expect(two.isGoal()).toBe(false)
    two.step('put mug 2 on countertop 1')
    expect(two.isGoal()).toBe(true)
    const clean = world({ family: 'pick_clean_then_place', object: 'mug', target: 'cabinet' })
    for (const c of ['go to countertop 1', 'take mug 1 from countertop 1', 'go to cabinet 1', 'open cabinet 1', 'put mug 1 in cabinet 1']) expect(clean.step(c).ok).toBe(true)
    expect(clean.isGoal()).toBe(false)
    for (const c of ['take mug 1 from cabinet 1', 'go to sinkbasin 1', 'clean mug 1 with sinkbasin 1', 'go to cabinet 1', 'put mug 1 in cabinet 1']) expect(clean.step(c).ok).toBe(true)
    expect(clean.isGoal()).toBe(true)
  })

  it('every admissible command succeeds, and snapshot/restore and replay are exact (random command sequences)', async () => {
    const rng = new Random(5)
    for (const family of FAMILIES) {
      for (const task of household.tasks('train', 4, 0, { family })) {
        const s = household.openSync(task)
        await s.reset()
        const actions: string[] = []
        const steps: Step[] = []
        const snaps: unknown[] = [s.snapshot()]
        for (let i = 0; i < 40; i++) {
          const admissible = s.validActions()
          for (const a of admissible) {
            const probe = s.snapshot()
            expect((await s.step(a)).valid, `${task.id}: admissible "${a}"`).toBe(true)
            await s.restore(probe)
          }
          const a = rng.chance(0.8) ? rng.pick(admissible) : rng.pick(['jump', 'take mug 9 from fridge 1', 'open sofa 1', 'look'])
          actions.push(a)
          steps.push(await s.step(a))
          snaps.push(s.snapshot())
        }
        for (let probe = 0; probe < 5; probe++) {
          const k = rng.int(actions.length)
          await s.restore(snaps[k])
          const replay = household.openSync(task)
          await replay.reset()
          for (const a of actions.slice(0, k)) await replay.step(a)
          expect(replay.snapshot()).toEqual(snaps[k])
          for (let j = k; j < actions.length; j++) {
            expect(await s.step(actions[j]!)).toEqual(steps[j])
            expect(await replay.step(actions[j]!)).toEqual(steps[j])
          }
        }
      }
    }
  })
})
