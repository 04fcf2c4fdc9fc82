import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { generatedSetName } from '../../../src-main/core/envs/tasksets.ts'
import { tempDir } from '../../fixtures/tmp.ts'

const leafe = (args: string[]) => spawnSync(process.execPath, ['bin/leafe.js', ...args], { encoding: 'utf8', timeout: 120_000 })

describe('leafe explore', () => {
  it("explores a generated environment's training levels on the seed's exploration slice, none of them its base's", () => {
    const dir = tempDir()
    const r = leafe(['explore', '--env', 'sokoban', '--preset', '6x6-1', '--policy', 'random', '--tasks', '3', '--budget', '8', '--seed', '4', '--json', '--data-dir', dir])
    expect(r.stderr).not.toMatch(/rror/)
    expect(r.status).toBe(0)
    const s = JSON.parse(r.stdout) as { taskSet: string; tasks: number }
    expect(s.tasks).toBe(3)
    expect(s.taskSet).toBe(generatedSetName('sokoban', { split: 'train', role: 'explore', count: 3, seed: 4, params: { preset: '6x6-1' }, after: { base: 2000 } }))
  })
})
