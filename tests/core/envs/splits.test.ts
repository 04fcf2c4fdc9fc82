import { describe, expect, it } from 'vitest'
import { sokoban } from '../../../src-main/core/envs/sokoban/environment.ts'
import { householdTasks } from '../../../src-main/core/envs/household/tasks.ts'
import { MAX_TRAINING_SEED, ROLE_SLICE, TRAINING_ROLES, splitSeeds, taskContent, trainingOffset, trainingTasks } from '../../../src-main/core/envs/splits.ts'

// The quickstart's room, where seeds often draw the same level.
const params = { preset: '7x7-1', slack: 1 }
const gen = (count: number, offset: number) => sokoban.tasks('train', count, offset, params)

describe('training slices per seed and role', () => {
  it('give every (seed, role) its own stretch of the train range', () => {
    const starts = new Set<number>()
    for (const seed of [0, 1, 2, 17, MAX_TRAINING_SEED]) {
      for (const role of TRAINING_ROLES) {
        const start = trainingOffset(seed, role)
        expect(start % ROLE_SLICE).toBe(0)
        expect(start + ROLE_SLICE).toBeLessThanOrEqual(splitSeeds('valid', 1, 0)[0]!)
        starts.add(start)
      }
    }
    expect(starts.size).toBe(5 * TRAINING_ROLES.length)
    expect(() => trainingOffset(MAX_TRAINING_SEED + 1, 'base')).toThrow(/from 0 to 999/)
    expect(() => trainingOffset(0, 'warmup' as never)).toThrow(/"warmup" is not one of them/)
  })

  it('seeds 0 and 1 train their bases on different levels: no generator seed in common, content shared only by chance', () => {
    const a = trainingTasks(gen, 0, 'base', 2000)
    const b = trainingTasks(gen, 1, 'base', 2000)
    expect(a).toEqual(gen(2000, trainingOffset(0, 'base')))
    const seedsA = new Set(a.map((t) => t.seed))
    expect(b.filter((t) => seedsA.has(t.seed))).toEqual([])
    // One-box 7x7 rooms repeat levels between any two independent draws of 2,000 (52 here); an
    // offset by the seed shared 1,999 of them.
    const contentA = new Set(a.map(taskContent))
    expect(b.filter((t) => contentA.has(taskContent(t))).length).toBeLessThan(100)
  })

  it('later roles leave out every level of the earlier ones, and still take as many as asked', () => {
    const after = { base: 2000, grpo: 320, early_experience: 300 }
    const base = trainingTasks(gen, 0, 'base', 2000)
    const explore = trainingTasks(gen, 0, 'explore', 512, after)
    expect(explore).toHaveLength(512)
    const baseContent = new Set(base.map(taskContent))
    // The same slice without the rule does hold base levels: the rule is what removes them.
    expect(gen(512, trainingOffset(0, 'explore')).filter((t) => baseContent.has(taskContent(t))).length).toBeGreaterThan(0)
    const roles = { base, grpo: trainingTasks(gen, 0, 'grpo', 320, { base: 2000 }), early_experience: trainingTasks(gen, 0, 'early_experience', 300, { base: 2000, grpo: 320 }), explore }
    const names = Object.keys(roles) as (keyof typeof roles)[]
    for (const x of names) {
      for (const y of names) {
        if (x >= y) continue
        const xs = new Set(roles[x].map(taskContent))
        expect(roles[y].filter((t) => xs.has(taskContent(t))).map((t) => t.id), `${x} and ${y}`).toEqual([])
      }
    }
    expect(() => trainingTasks(gen, 0, 'grpo', 4, { grpo: 4 })).toThrow(/after themselves/)
  })

  it('work for every generated environment: household by house and goal', () => {
    const hh = (count: number, offset: number) => householdTasks('train', count, offset, { rooms: 1 })
    const base = new Set(trainingTasks(hh, 2, 'base', 300).map(taskContent))
    const explore = trainingTasks(hh, 2, 'explore', 100, { base: 300 })
    expect(explore.filter((t) => base.has(taskContent(t)))).toEqual([])
    expect(explore[0]!.seed).toBe(trainingOffset(2, 'explore'))
  })
})
