import { describe, expect, it } from 'vitest'
import { FAMILIES } from '../../../../src-main/core/envs/household/catalog.ts'
import { household } from '../../../../src-main/core/envs/household/environment.ts'
import { plan } from '../../../../src-main/core/envs/household/planner.ts'
import { taskWorld } from '../../../../src-main/core/envs/household/tasks.ts'
import type { World } from '../../../../src-main/core/envs/household/world.ts'

/** The true fewest commands: breadth-first over every admissible command and the whole state. */
function bruteForce(world: World, limit: number): number {
  const key = () => {
    const s = world.snapshot()
    return `${s.room},${s.at},${s.held}|${s.open.join('')}|${s.loc.join(',')}|${s.flags.join('')}`
  }
  if (world.isGoal()) return 0
  const seen = new Set([key()])
  let frontier = [world.snapshot()]
  for (let depth = 1; depth <= limit && frontier.length; depth++) {
    const next = []
    for (const s of frontier) {
      world.restore(s)
      for (const a of world.admissible()) {
        world.restore(s)
        world.step(a)
        if (world.isGoal()) return depth
        const k = key()
        if (seen.has(k)) continue
        seen.add(k)
        next.push(world.snapshot())
      }
    }
    frontier = next
  }
  return -1
}

describe('household planner', () => {
  it('solves every generated task of each family; its plans replay to success within the step limit', async () => {
    for (const family of FAMILIES) {
      for (const split of ['train', 'test']) {
        for (const task of household.tasks(split, 30, 0, { family })) {
          const expert = await household.expert!(task)
          expect(expert, task.id).not.toBeNull()
          const s = household.openSync(task)
          await s.reset()
          let last
          for (const a of expert!) {
            last = await s.step(a)
            expect(last.valid, `${task.id}: ${a} → ${last.feedback}`).toBe(true)
          }
          expect(last?.success, task.id).toBe(true)
          expect(expert!.length).toBe(task.meta!.optimalSteps)
        }
      }
    }
  })

  it('finds the fewest commands: the pruned search matches breadth-first search over everything', () => {
    let compared = 0
    for (const family of FAMILIES) {
      for (const task of household.tasks('valid', 6, 0, { family, rooms: 1 })) {
        const world = taskWorld(task).world
        const p = plan(world)!
        if (p.length > 6) continue // brute force grows too fast beyond this
        expect(bruteForce(world, p.length), `${task.id}: ${p.join(' / ')}`).toBe(p.length)
        compared++
      }
    }
    expect(compared).toBeGreaterThan(12)
  })

  it('plans from any state (mid-episode), e.g. holding the wrong thing', () => {
    const [task] = household.tasks('train', 1, 0, { family: 'pick_heat_then_place' })
    const world = taskWorld(task!).world
    const before = world.snapshot()
    const full = plan(world)!
    expect(world.snapshot()).toEqual(before) // planning leaves the world as it was
    world.step(full[0]!)
    expect(plan(world)!.length).toBe(full.length - 1)
  })
})
