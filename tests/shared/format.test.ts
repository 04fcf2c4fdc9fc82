import { describe, expect, it } from 'vitest'
import { percent, taskSetLabel } from '../../src-main/shared/format.ts'

describe('taskSetLabel', () => {
  it('names a generated set by its parameters, split and size, not by its hash', () => {
    const set = { name: 'sokoban/test/4ca00188/s0-n16', env: 'sokoban', split: 'test', source: 'generated', count: 16, params: { generator: 'sokoban', split: 'test', count: 16, seed: 0, params: { preset: '7x7-1' } } }
    expect(taskSetLabel(set)).toBe('Sokoban 7x7-1 · test · 16 levels')
    expect(taskSetLabel({ ...set, params: { ...set.params, seed: 64 } })).toBe('Sokoban 7x7-1 · test · 16 levels · seed 64')
    expect(taskSetLabel({ ...set, split: 'train', params: { ...set.params, role: 'grpo', seed: 3 } })).toBe('Sokoban 7x7-1 · train · 16 levels · grpo tasks · seed 3')
  })

  it('names an imported set by its file, and other environments\' tasks as tasks', () => {
    expect(taskSetLabel({ name: 'boxoban-hard', env: 'sokoban', split: 'test', source: 'imported', count: 1000, params: { file: 'hard-000.txt', sha256: 'x' } })).toBe('Sokoban hard-000.txt · test · 1000 levels')
    expect(taskSetLabel({ name: 'household/test/default/s0-n1', env: 'household', split: 'test', source: 'generated', count: 1, params: { seed: 0, params: {} } })).toBe('Household default · test · 1 task')
  })
})

describe('percent', () => {
  it('reads a rate in percent', () => {
    expect(percent(0.4567)).toBe('45.7')
    expect(percent(1, 0)).toBe('100')
  })
})
