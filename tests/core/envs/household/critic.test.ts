import { describe, expect, it } from 'vitest'
import { FAMILIES } from '../../../../src-main/core/envs/household/catalog.ts'
import { household } from '../../../../src-main/core/envs/household/environment.ts'
import { plan } from '../../../../src-main/core/envs/household/planner.ts'
import { taskWorld } from '../../../../src-main/core/envs/household/tasks.ts'
import { Random } from '../../../../src-main/core/random.ts'
import type { Task } from '../../../../src-main/core/envs/types.ts'

const withLimit = (task: Task, maxSteps: number): Task => ({ ...task, meta: { ...task.meta, maxSteps } })

describe('household critic', () => {
  it('names the injected wasted step (failed command, idle look, useless trip) when the episode ran out of steps', () => {
    const rng = new Random(3)
    let trips = 0
    for (const family of FAMILIES) {
      for (const task of household.tasks('test', 8, 0, { family })) {
        const optimal = task.meta!.optimalSteps as number
        const tight = withLimit(task, optimal) // no slack: one wasted step loses the episode
        const world = taskWorld(task).world
        const expert = plan(world)!
        const k = rng.int(expert.length) + 1
        for (const a of expert.slice(0, k - 1)) world.step(a)
        const before = plan(world)!.length
        // A useless trip if there is one (a receptacle in this room that leaves the distance as it was), else an idle or failed command.
        const trip = world.admissible().find((a) => {
          if (!a.startsWith('go to ') || a === expert[k - 1]) return false
          const probe = world.snapshot()
          world.step(a)
          const d = plan(world)!.length
          world.restore(probe)
          return d >= before
        })
        const injected = trip && rng.chance(0.5) ? trip : rng.pick(['look', 'inventory', 'take unicorn 1 from fridge 1', 'open sofa 1'])
        if (injected === trip) trips++
        world.step(injected)
        const actions = [...expert.slice(0, k - 1), injected, ...plan(world)!].slice(0, optimal)
        const verdict = household.diagnose(tight, actions)
        expect(verdict.reflection, `${task.id} (${injected} at ${k}): ${verdict.reason}`).not.toBeNull()
        const r = verdict.reflection!
        expect(r).toMatchObject({ rollbackStep: k, avoid: [injected], source: 'critic' })
        expect(r.experience.startsWith(`At step ${k}, "${injected}" `)).toBe(true)
        expect(r.experience).toContain(`Instead, ${expert[k - 1]}`.slice(0, 12))
        // The advice is the planner's next command from the state before the wasted step.
        const w2 = taskWorld(task).world
        for (const a of expert.slice(0, k - 1)) w2.step(a)
        expect(r.experience).toContain(`Instead, ${plan(w2)![0]}`)
        // The same as fields for the compact prompt: the blamed command, where, the planner's next command.
        expect(r.code).toEqual({ blamed: injected, place: `${w2.roomName[w2.room]}/${w2.at < 0 ? '-' : w2.recName[w2.at]}`, fix: plan(w2)![0] })
      }
    }
    expect(trips).toBeGreaterThan(5)
  })

  it('grounds the experience in the feedback of a failed command', () => {
    const [task] = household.tasks('train', 1, 0, { family: 'pick_cool_then_place' })
    const expert = plan(taskWorld(task!).world)!
    const verdict = household.diagnose(withLimit(task!, expert.length), ['heat unicorn 1 with fridge 1', ...expert].slice(0, expert.length))
    expect(verdict.reflection!.experience).toMatch(/^At step 1, "heat unicorn 1 with fridge 1" failed: There is no "unicorn 1" in this house \(expected a thing, named like "apple 1"\)\. Instead, go to [^;]+; then [^.]+\.$/)
  })

  it('blames no step when the episode can still finish, when it succeeded, or when the limit was below the plan length', () => {
    const [task] = household.tasks('train', 1, 1, { family: 'pick_and_place' })
    const expert = plan(taskWorld(task!).world)!
    const slack = household.diagnose(withLimit(task!, 50), ['look', ...expert.slice(0, 2)])
    expect(slack).toEqual({ reflection: null, reason: `No step is to blame yet: the task is ${expert.length - 2} commands away and 47 of 50 remain.` })
    expect(household.diagnose(task!, expert).reason).toMatch(/completed the task at step/)
    const short = household.diagnose(withLimit(task!, expert.length - 1), expert.slice(0, -1))
    expect(short).toEqual({ reflection: null, reason: `No step is to blame: every command brought the goal closer, but the task needs ${expert.length} commands and the limit is ${expert.length - 1}.` })
  })
})
