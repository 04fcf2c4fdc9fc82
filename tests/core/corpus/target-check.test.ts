import { describe, expect, it } from 'vitest'
import { checkTargetAt, nameActions, targetProblemWithoutState } from '../../../src-main/core/corpus/target-check.ts'
import { household } from '../../../src-main/core/envs/household/environment.ts'
import { sokoban } from '../../../src-main/core/envs/sokoban/environment.ts'
import type { Context, Environment } from '../../../src-main/core/envs/types.ts'

async function startContext(env: Environment): Promise<Context> {
  const [task] = env.tasks('train', 1, 3)
  const session = await env.open(task!)
  const initial = await session.reset()
  const valid = session.validActions?.()
  await session.close()
  return { task: task!, initial, history: [], ...(valid ? { validActions: valid } : {}) }
}

describe('target check', () => {
  it('reads Sokoban targets with its own parser and refuses what is no move', async () => {
    const ctx = await startContext(sokoban)
    expect(await checkTargetAt(sokoban, ctx, 'go up')).toBe('up')
    await expect(checkTargetAt(sokoban, ctx, 'jump')).rejects.toThrow('target: "jump" is not an action the environment accepts at step 0; valid actions here: up, down, left, right')
    expect(targetProblemWithoutState('sokoban', 'fly north')).toMatch(/valid actions: up, down, left, right/)
    expect(targetProblemWithoutState('sokoban', 'left')).toBeNull()
  })

  it('judges household commands at their state: admissible there, or refused with what is', async () => {
    const ctx = await startContext(household)
    const admissible = ctx.validActions!
    expect(await checkTargetAt(household, ctx, admissible[0]!)).toBe(admissible[0])
    const err = await checkTargetAt(household, ctx, 'fly to the moon').catch((e: Error) => e)
    expect((err as Error).message).toContain(`valid actions here: ${nameActions(admissible)}`)
    // Without a state there is nothing to judge a free-text command by.
    expect(targetProblemWithoutState('household', 'fly to the moon')).toBeNull()
  })

  it('names at most a dozen actions', () => {
    expect(nameActions(Array.from({ length: 14 }, (_, i) => `a${i}`))).toBe('a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11 … (2 more)')
  })
})
