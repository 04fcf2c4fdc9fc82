import { describe, expect, it } from 'vitest'
import type { Task } from '../../../src-main/core/envs/types.ts'
import { openStore } from '../../../src-main/core/store/db.ts'
import { createTaskSet, ensureGeneratedTaskSet, generatedSetName, getTaskSet, listTaskSets, loadTasks } from '../../../src-main/core/store/tasks.ts'
import { getEnvironment } from '../../../src-main/core/envs/registry.ts'

const task = (i: number, env = 'sokoban'): Task => ({ env, id: `t${i}`, split: 'train', seed: i, instruction: `solve ${i}`, meta: { level: i } })

describe('task sets', () => {
  it('stores a set with its tasks and loads them back in order', () => {
    const { db } = openStore(':memory:')
    const info = createTaskSet(db, { name: 'a', env: 'sokoban', split: 'train', source: 'generated', params: { seeds: [0, 3] } }, [task(0), task(1), task(2)])
    expect(info).toMatchObject({ name: 'a', count: 3, params: { seeds: [0, 3] } })
    expect(loadTasks(db, info.id).map((t) => t.id)).toEqual(['t0', 't1', 't2'])
    expect(loadTasks(db, info.id)[1]).toMatchObject({ seed: 1, meta: { level: 1 }, instruction: 'solve 1' })
    expect(getTaskSet(db, 'a').id).toBe(info.id)
    expect(listTaskSets(db, 'sokoban').length).toBe(1)
  })

  it('stores nothing of a set that has a bad task, and says which', () => {
    const { db } = openStore(':memory:')
    expect(() => createTaskSet(db, { name: 'b', env: 'sokoban', split: 'train', source: 'generated', params: {} }, [task(0), task(0)])).toThrow(/"t0" appears twice/)
    expect(() => createTaskSet(db, { name: 'b', env: 'sokoban', split: 'train', source: 'generated', params: {} }, [task(0), task(1, 'household')])).toThrow(/Task "t1" is for environment household/)
    expect(listTaskSets(db)).toEqual([])
    createTaskSet(db, { name: 'b', env: 'sokoban', split: 'train', source: 'generated', params: {} }, [task(0)])
    expect(() => createTaskSet(db, { name: 'b', env: 'sokoban', split: 'train', source: 'generated', params: {} }, [task(1)])).toThrow(/already exists/)
  })
})

describe('generated task sets', () => {
  it('are created once under a deterministic name, with what reproduces them, and found again', () => {
    const { db } = openStore(':memory:')
    const env = getEnvironment('sokoban')
    const set = ensureGeneratedTaskSet(db, env, 'test', 4, { preset: '6x6-1' })
    expect(set).toMatchObject({ name: 'sokoban:preset=6x6-1:test:4', env: 'sokoban', split: 'test', source: 'generated', count: 4 })
    expect(set.params).toEqual({ generator: 'sokoban', params: { preset: '6x6-1' }, split: 'test', count: 4, offset: 0, firstSeed: 2_000_000_000, lastSeed: 2_000_000_003 })
    expect(ensureGeneratedTaskSet(db, env, 'test', 4, { preset: '6x6-1' }).id).toBe(set.id)
    // Stored tasks are exactly what the generator makes for those seeds.
    expect(loadTasks(db, set.id).map(({ rowId: _r, ...t }) => t)).toEqual(env.tasks('test', 4, 0, { preset: '6x6-1' }))
    const later = ensureGeneratedTaskSet(db, env, 'test', 4, { preset: '6x6-1' }, 4)
    expect(later.name).toBe('sokoban:preset=6x6-1:test:4@4')
    expect(later.params.firstSeed).toBe(2_000_000_004)
    expect(generatedSetName('household', 'train', 10, { maxSteps: 30, family: 'pick_and_place' })).toBe('household:family=pick_and_place,maxSteps=30:train:10')
  })

  it('a failed generation stores nothing', () => {
    const { db } = openStore(':memory:')
    expect(() => ensureGeneratedTaskSet(db, getEnvironment('sokoban'), 'test', 2, { preset: 'nope' })).toThrow(/preset/)
    expect(listTaskSets(db)).toEqual([])
  })
})
