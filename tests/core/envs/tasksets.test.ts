import { describe, expect, it } from 'vitest'
import { getEnvironment } from '../../../src-main/core/envs/registry.ts'
import { ensureGeneratedTaskSet, generatedSetName, generateTasks } from '../../../src-main/core/envs/tasksets.ts'
import { openStore } from '../../../src-main/core/store/db.ts'
import { listTaskSets, loadTasks } from '../../../src-main/core/store/tasks.ts'

describe('generated task sets of the built-in environments', () => {
  it('are created once, hold exactly what the generator makes for their seeds, and are found again', () => {
    const { db } = openStore(':memory:')
    for (const [envId, params] of [
      ['sokoban', { preset: '6x6-1' }],
      ['household', { family: 'pick_two_obj_and_place' }],
    ] as const) {
      const env = getEnvironment(envId)
      const spec = { split: 'test', count: 4, seed: 0, params }
      const set = ensureGeneratedTaskSet(db, env, spec)
      expect(set).toMatchObject({ name: generatedSetName(envId, spec), env: envId, split: 'test', source: 'generated', count: 4 })
      expect(set.params).toMatchObject({ generator: envId, ...spec })
      expect(ensureGeneratedTaskSet(db, env, spec).id).toBe(set.id)
      const stored = loadTasks(db, set.id)
      expect(stored.map(({ rowId: _r, ...t }) => t)).toEqual(env.tasks('test', 4, 0, params))
      expect(stored.map((t) => t.seed)).toEqual([2_000_000_000, 2_000_000_001, 2_000_000_002, 2_000_000_003])
    }
  })

  it('a failed generation stores nothing', () => {
    const { db } = openStore(':memory:')
    expect(() => ensureGeneratedTaskSet(db, getEnvironment('sokoban'), { split: 'test', count: 2, seed: 0, params: { preset: 'nope' } })).toThrow(/preset/)
    expect(() => ensureGeneratedTaskSet(db, getEnvironment('household'), { split: 'dev', count: 2, seed: 0, params: {} })).toThrow(/"dev" is not one of them/)
    expect(listTaskSets(db)).toEqual([])
  })
})

describe('generated sets of a training role', () => {
  it('take the seed\'s slice for the role, are named by role, seed and what they leave out, and refuse what cannot be sliced', () => {
    const { db } = openStore(':memory:')
    const env = getEnvironment('sokoban')
    const spec = { split: 'train', role: 'grpo' as const, count: 6, seed: 1, params: { preset: '6x6-1' }, after: { base: 50 } }
    const set = ensureGeneratedTaskSet(db, env, spec)
    expect(set.name).toBe(generatedSetName('sokoban', spec))
    expect(set.name).toContain('seed1-grpo-n6-after-base50')
    expect(loadTasks(db, set.id).map(({ rowId: _r, ...t }) => t)).toEqual(generateTasks(env, spec))
    expect(generatedSetName('sokoban', { ...spec, after: { base: 51 } })).not.toBe(set.name)
    expect(() => generateTasks(env, { ...spec, split: 'valid' })).toThrow(/train split, not "valid"/)
    expect(() => generateTasks(getEnvironment('code'), { ...spec, params: {} })).toThrow(/fixed list/)
    expect(() => generateTasks(env, { split: 'train', count: 1, seed: 0, params: {}, after: { base: 1 } })).toThrow(/training role/)
  })
})
