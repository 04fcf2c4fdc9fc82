import { describe, expect, it } from 'vitest'
import { plan } from '../../../../src-main/core/envs/household/planner.ts'
import { householdTasks, splitKey, taskWorld } from '../../../../src-main/core/envs/household/tasks.ts'
import type { Task } from '../../../../src-main/core/envs/types.ts'
import type { HouseholdTaskMeta } from '../../../../src-main/core/envs/household/tasks.ts'

const metaOf = (t: Task) => t.meta as HouseholdTaskMeta

/** Every state the expert's plan passes through (its start included), as one string each. */
function pathStates(t: Task): string[] {
  const { world } = taskWorld(t)
  const { house, goal } = metaOf(t)
  // A state is the house's fixed part, its objects and the world's mutable arrays.
  const key = () => JSON.stringify({ fixed: splitKey(house, goal), objects: house.objects.map((o) => [o.kind, o.n]), s: world.snapshot() }, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v))
  const out = [key()]
  for (const command of plan(world) ?? []) {
    expect(world.step(command).ok).toBe(true)
    out.push(key())
  }
  expect(world.isGoal()).toBe(true)
  return out
}

describe('household splits', () => {
  it('split by the house layout and the goal: held-out tasks share neither with training tasks, nor any state on the expert path', () => {
    // One-room houses: few enough layouts that seeds repeat them across splits unless the key is
    // the layout and goal alone.
    const params = { rooms: 1 }
    const sets = { train: householdTasks('train', 2000, 0, params), valid: householdTasks('valid', 256, 0, params), test: householdTasks('test', 256, 0, params) }
    const keyOf = (t: Task) => splitKey(metaOf(t).house, metaOf(t).goal)
    const trainKeys = new Set(sets.train.map(keyOf))
    const trainStates = new Set(sets.train.flatMap(pathStates))
    for (const split of ['valid', 'test'] as const) {
      expect(sets[split].filter((t) => trainKeys.has(keyOf(t))).map((t) => t.id), `${split} tasks with a training task's layout and goal`).toEqual([])
      expect(sets[split].flatMap(pathStates).filter((s) => trainStates.has(s)).length, `${split} path states that are training states`).toBe(0)
    }
    const validKeys = new Set(sets.valid.map(keyOf))
    expect(sets.test.filter((t) => validKeys.has(keyOf(t)))).toEqual([])
  })

  it('the split key leaves out what commands change: where objects lie and where the agent starts', () => {
    const [t] = householdTasks('train', 1, 0)
    const { house, goal } = metaOf(t!)
    const moved = { ...house, start: (house.start + 1) % house.rooms.length, objects: house.objects.map((o) => ({ ...o, at: (o.at + 1) % house.receptacles.length })) }
    expect(splitKey(moved, goal)).toBe(splitKey(house, goal))
    expect(splitKey({ ...house, receptacles: house.receptacles.slice(1) }, goal)).not.toBe(splitKey(house, goal))
    expect(splitKey(house, { ...goal, target: null })).not.toBe(splitKey(house, goal))
  })
})
