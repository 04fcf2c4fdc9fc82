import { describe, expect, it } from 'vitest'
import type { Task } from '../../../src-main/core/envs/types.ts'
import { openStore } from '../../../src-main/core/store/db.ts'
import { createTaskSet, getTaskSet, listTaskSets, loadTasks } from '../../../src-main/core/store/tasks.ts'

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
