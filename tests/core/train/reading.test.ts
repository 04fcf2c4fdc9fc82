import { describe, expect, it } from 'vitest'
import { readingData } from '../../../src-main/core/train/reading.ts'
import { corridorEnv, firstChoicePolicy } from '../../fixtures/corridor-env.ts'

describe('reading data', () => {
  it("turns the policy's blamed failures into coded examples with the fix as target, mixed 1:1 with plain expert steps", async () => {
    // The policy always takes 'a', so every episode falls into the pit at cell 2 (the critic blames step 3, fix 'b').
    const env = corridorEnv({ length: 4, trapAt: 2, stepLimit: 6 })
    const tasks = env.tasks('train', 3, 0)
    const d = await readingData({ env, policy: firstChoicePolicy, tasks, episodes: 2, temperature: 1, seed: 0 })
    expect(d).toMatchObject({ episodes: 6, failures: 6, blamed: 6, rehearsal: 12 })
    const coded = d.pairs.filter((p) => p.prompt.includes('|X'))
    // Each blamed state twice: with the whole code and with the diagnosis only; always the fix as target.
    expect(coded.filter((p) => p.prompt === 'cell 2 |Xa:b').length).toBe(6)
    expect(coded.filter((p) => p.prompt === 'cell 2 |Xa').length).toBe(6)
    expect(new Set(coded.map((p) => p.target))).toEqual(new Set(['b']))
    // The rest are plain expert steps: no code, the expert's own action.
    const plain = d.pairs.filter((p) => !p.prompt.includes('|X'))
    expect(plain.length).toBe(12)
    for (const p of plain) expect(p.target).toBe(p.prompt === 'cell 2' ? 'b' : 'a')
  })
})
