// The IS and IR baselines: attempts from scratch, one episode each; IR carries the reflections so
// far into the next attempt, IS never asks for one.
import { describe, expect, it } from 'vitest'
import type { Context } from '../../../../src-main/core/envs/types.ts'
import { ExploreConfig } from '../../../../src-main/shared/jobs/explore.ts'
import { explore } from '../../../../src-main/core/explore/explore-loop.ts'
import { criticReflector, type Reflector } from '../../../../src-main/core/explore/reflectors.ts'
import type { Policy } from '../../../../src-main/core/policies/types.ts'
import { memoryRecorder } from '../../../fixtures/memory-recorder.ts'
import { blameFirstDifference, wordEnv } from '../../../fixtures/word-env.ts'

async function attempts(sampler: 'is' | 'ir') {
  const env = wordEnv('bb', blameFirstDifference('bb'), ['a', 'b'])
  const seen: Context[] = []
  // Always 'a': the task is never solved, so every attempt runs to its end.
  const policy: Policy = { id: 'a', act: async (cs) => (seen.push(...cs), cs.map(() => 'a')) }
  let reflections = 0
  const critic = criticReflector(env)
  const reflector: Reflector = { ...critic, reflect: (req) => (reflections++, critic.reflect(req)) }
  const config = ExploreConfig.parse({ env: env.id, tasks: { split: 'train', count: 1 }, policy: { kind: 'random' }, sampler, budget: 6 })
  const recorder = memoryRecorder()
  const [outcome] = await explore({ recorder, env, policy, reflector, config, tasks: env.tasks('train', 1, 0) })
  return { recorder, outcome: outcome!, seen, reflections }
}

describe('is and ir samplers', () => {
  it('IS: one episode per attempt, numbered, and no reflection asked for', async () => {
    const { recorder, outcome, seen, reflections } = await attempts('is')
    expect(recorder.episodes.map((e) => [e.sampler, e.attempt, e.status, e.steps])).toEqual([['is', 0, 'failure', 2], ['is', 1, 'failure', 2], ['is', 2, 'failure', 2]])
    expect(outcome.budgetUsed).toBe(6)
    expect(reflections).toBe(0)
    expect(recorder.events).toEqual([])
    expect(seen.every((c) => c.experience === undefined)).toBe(true)
  })

  it('IR: each attempt starts from scratch with the reflections of the attempts before it', async () => {
    const { recorder, seen, reflections } = await attempts('ir')
    expect(recorder.episodes.map((e) => [e.sampler, e.attempt, e.status])).toEqual([['ir', 0, 'failure'], ['ir', 1, 'failure'], ['ir', 2, 'failure']])
    expect(reflections).toBe(3)
    expect(recorder.events.map((e) => [e.tau, e.failedAction, e.outcome])).toEqual([[1, 'a', 'failure'], [1, 'a', 'failure'], [1, 'a', 'failure']])
    // Two decisions per attempt: the third attempt reads both earlier reflections.
    const experiences = seen.filter((_, i) => i % 2 === 0).map((c) => c.experience)
    expect(experiences).toEqual([undefined, 'Attempt 1, step 1 (a): Step 1 was wrong.', 'Attempt 1, step 1 (a): Step 1 was wrong.\nAttempt 2, step 1 (a): Step 1 was wrong.'])
  })
})
