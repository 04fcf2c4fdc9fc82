import { describe, expect, it } from 'vitest'
import { randomPolicy } from '../../../src-main/core/policies/random.ts'
import { buildEarlyExperience, worldModelPrompt } from '../../../src-main/core/train/early-experience.ts'
import { corridorEnv } from '../../fixtures/corridor-env.ts'

describe('Early Experience data (implicit world modelling)', () => {
  for (const snapshots of [true, false]) {
    it(`records the next state of each alternative action at every expert state (${snapshots ? 'snapshots' : 'replay'})`, async () => {
      const env = corridorEnv({ length: 3, trapAt: 1, stepLimit: 10, snapshots })
      const [task] = env.tasks('train', 1, 0)
      const data = await buildEarlyExperience({ env, tasks: [task!], policy: randomPolicy(['a', 'b']), alternatives: 1, temperature: 1, seed: 0 })
      // Expert: a (cell 0 → 1), b (cell 1 → 2), a (cell 2 → 3 = the end).
      expect(data.imitation).toEqual([
        { prompt: 'cell 0', target: 'a' },
        { prompt: 'cell 1', target: 'b' },
        { prompt: 'cell 2', target: 'a' },
      ])
      expect(data.world).toEqual([
        { prompt: worldModelPrompt('cell 0', 'a'), target: 'cell 1' },
        { prompt: worldModelPrompt('cell 0', 'b'), target: 'cell 0' }, // b does nothing off the trap
        { prompt: worldModelPrompt('cell 1', 'b'), target: 'cell 2' },
        { prompt: worldModelPrompt('cell 1', 'a'), target: 'pit' }, // the alternative falls in
        { prompt: worldModelPrompt('cell 2', 'a'), target: 'cell 3' },
        { prompt: worldModelPrompt('cell 2', 'b'), target: 'cell 2' },
      ])
    })
  }

  it('skips tasks without an expert demonstration and says which', async () => {
    const env = { ...corridorEnv({ length: 2, trapAt: 0, stepLimit: 4 }), expert: async () => null }
    const data = await buildEarlyExperience({ env, tasks: env.tasks('train', 2, 0), policy: randomPolicy(['a', 'b']), alternatives: 1, temperature: 1, seed: 0 })
    expect(data).toEqual({ imitation: [], world: [], tasksWithoutExpert: ['train-0', 'train-1'] })
  })
})
