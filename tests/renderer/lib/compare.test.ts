import { describe, expect, it } from 'vitest'
import { alignPaths } from '../../../src-renderer/src/lib/compare.ts'

const path = (start: string, actions: string[]) => [{ action: null, observation: start }, ...actions.map((a, i) => ({ action: a, observation: `${start}:${actions.slice(0, i + 1).join(',')}` }))]

describe('alignPaths', () => {
  it('shares the start and the same moves, then lines up each attempt step by step', () => {
    const r = alignPaths(path('L1', ['up', 'up', 'left', 'down']), path('L1', ['up', 'up', 'right']))
    expect(r.common.map((s) => s.action)).toEqual([null, 'up', 'up'])
    expect(r.rows.map((row) => [row.a?.action, row.b?.action])).toEqual([['left', 'right'], ['down', undefined]])
  })

  it('agrees on nothing for different starts, and on everything for the same path', () => {
    const other = alignPaths(path('L1', ['up']), path('L2', ['up']))
    expect(other.common).toEqual([])
    expect(other.rows).toHaveLength(2)
    const same = alignPaths(path('L1', ['up', 'left']), path('L1', ['up', 'left']))
    expect(same.common).toHaveLength(3)
    expect(same.rows).toEqual([])
  })

  it('parts where the same move saw a different observation (the environment answered otherwise)', () => {
    const a = path('L1', ['up', 'left'])
    const b = path('L1', ['up', 'left'])
    b[2] = { ...b[2]!, observation: 'something else' }
    expect(alignPaths(a, b).common).toHaveLength(2)
  })
})
