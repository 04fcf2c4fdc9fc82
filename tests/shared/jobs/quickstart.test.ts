import { describe, expect, it } from 'vitest'
import { getEnvironment } from '../../../src-main/core/envs/registry.ts'
import { taskContent } from '../../../src-main/core/envs/splits.ts'
import { generateTasks } from '../../../src-main/core/envs/tasksets.ts'
import { QuickstartConfig, quickstartSizes, quickstartTrainTasks } from '../../../src-main/shared/jobs/quickstart.ts'

// The household's tasks are planned as they are generated, and each phase's leave out every
// earlier phase's: generating them all twice takes a minute on a loaded machine.
describe.each(['sokoban', 'household'])('quickstart training tasks (%s)', { timeout: 300_000 }, (envId) => {
  const standard = quickstartSizes('standard', envId)
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
    const c = standard
    expect(quickstartTrainTasks(standard, 'reading')).toMatchObject({ count: c.reading.tasks, after: { base: c.base.tasks, grpo: c.grpo.iterations * c.grpo.tasksPerIteration, early_experience: c.earlyExperience.tasks, explore: c.explore.tasks } })
    expect(() => QuickstartConfig.parse({ ...standard, seed: 1000 })).toThrow()
  })
})

describe('quickstart sizes', () => {
  it('has sizes for Sokoban and the household, and says which when asked for another', () => {
    expect(quickstartSizes('standard', 'household')).toMatchObject({ env: 'household', base: { model: 'micro-256' } })
    expect(quickstartSizes('reduced', 'household').env).toBe('household')
    expect(() => quickstartSizes('standard', 'chess')).toThrow('sokoban and household only (asked for chess)')
  })
})
