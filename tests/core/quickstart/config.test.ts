import { describe, expect, it } from 'vitest'
import { getEnvironment } from '../../../src-main/core/envs/registry.ts'
import { taskContent } from '../../../src-main/core/envs/splits.ts'
import { generateTasks } from '../../../src-main/core/envs/tasksets.ts'
import { QuickstartConfig, quickstartSizes, quickstartTrainTasks } from '../../../src-main/core/quickstart/config.ts'

describe('quickstart training tasks', () => {
  const standard = quickstartSizes('standard')
  const env = getEnvironment(standard.env)
  const phases = ['base', 'grpo', 'early_experience', 'explore', 'reading'] as const

  it('no two phases of a seed share a level, and each phase takes its full size', () => {
    const sets = phases.map((role) => generateTasks(env, quickstartTrainTasks(standard, role)))
    expect(sets.map((s) => s.length)).toEqual([standard.base.tasks, standard.grpo.iterations * standard.grpo.tasksPerIteration, standard.earlyExperience.tasks, standard.explore.tasks, standard.reading.tasks])
    for (let i = 0; i < sets.length; i++) {
      const earlier = new Set(sets.slice(0, i).flat().map(taskContent))
      expect(sets[i]!.filter((t) => earlier.has(taskContent(t))).map((t) => t.id), `${phases[i]} tasks that an earlier phase also has`).toEqual([])
    }
  })

  it('another seed trains every phase on other generator seeds; reading comes after every other role', () => {
    const seed1 = QuickstartConfig.parse({ ...standard, seed: 1 })
    for (const role of phases) {
      const a = new Set(generateTasks(env, { ...quickstartTrainTasks(standard, role), count: 50 }).map((t) => t.seed))
      expect(generateTasks(env, { ...quickstartTrainTasks(seed1, role), count: 50 }).filter((t) => a.has(t.seed))).toEqual([])
    }
    expect(quickstartTrainTasks(standard, 'reading')).toMatchObject({ count: standard.reading.tasks, after: { base: 2000, grpo: 320, early_experience: 300, explore: 512 } })
    expect(() => QuickstartConfig.parse({ ...standard, seed: 1000 })).toThrow()
  })
})
