// LEAFE's tree, read from what the engine hands its recorder: siblings are distinct, and the
// branch queue is expanded breadth-first — in the order the branch events were made.
import { describe, expect, it } from 'vitest'
import { ExploreConfig, type ExploreConfigInput } from '../../../../src-main/shared/jobs/explore.ts'
import { explore } from '../../../../src-main/core/explore/explore-loop.ts'
import { criticReflector } from '../../../../src-main/core/explore/reflectors.ts'
import { memoryRecorder } from '../../../fixtures/memory-recorder.ts'
import { blameFirstDifference, firstLetterPolicy, wordEnv } from '../../../fixtures/word-env.ts'

const LETTERS = ['a', 'b', 'c', 'd']

async function grow(target: string, cfg: Partial<ExploreConfigInput>) {
  const env = wordEnv(target, blameFirstDifference(target), LETTERS)
  const config = ExploreConfig.parse({ env: env.id, tasks: { split: 'train', count: 1 }, policy: { kind: 'random' }, sampler: 'leafe', ...cfg })
  const recorder = memoryRecorder()
  const [outcome] = await explore({ recorder, env, policy: firstLetterPolicy(LETTERS), reflector: criticReflector(env), config, tasks: env.tasks('train', 1, 0) })
  return { recorder, outcome: outcome! }
}

describe('leafe sampler', () => {
  it('gives the siblings of one reflection distinct revised actions, none of them the blamed one', async () => {
    // The policy always takes the first letter not masked: without the siblings' actions masked
    // every sibling would repeat the first one.
    const { recorder } = await grow('ddd', { budget: 80, branchesPerEvent: 3, maxDepth: 3 })
    const byReflection = new Map<string, typeof recorder.events>()
    for (const e of recorder.events.filter((e) => e.revisedAction !== null)) {
      const key = `${e.failedNodeId}:${e.tau}`
      byReflection.set(key, [...(byReflection.get(key) ?? []), e])
    }
    expect(byReflection.size).toBeGreaterThan(1)
    expect([...byReflection.values()].some((s) => s.length === 3)).toBe(true)
    for (const siblings of byReflection.values()) {
      const revised = siblings.map((e) => e.revisedAction)
      expect(new Set(revised).size).toBe(revised.length)
      for (const e of siblings) expect(e.revisedAction).not.toBe(e.failedAction)
    }
  })

  it('expands branch requests first in, first out: children in the order their events were made, a generation before the next', async () => {
    const { recorder, outcome } = await grow('ddd', { budget: 80, branchesPerEvent: 2, maxDepth: 10 })
    expect(recorder.expanded.length).toBeGreaterThan(4)
    expect(recorder.expanded).toEqual([...recorder.expanded].sort((x, y) => x - y))
    const depthOf = (eventId: number) => recorder.treeNodes.find((n) => n.id === recorder.events.find((e) => e.id === eventId)!.childNodeId)!.branchDepth
    const depths = recorder.expanded.map(depthOf)
    expect(depths).toEqual([...depths].sort((x, y) => x - y))
    expect(new Set(depths).size).toBeGreaterThan(1)
    // One episode holds the tree, and it is closed with the task.
    expect(recorder.episodes).toEqual([{ id: expect.any(Number), sampler: 'leafe', attempt: 0, status: outcome.solved ? 'success' : 'failure', steps: outcome.budgetUsed - outcome.replaySteps }])
  })

  it('closes the branch events the budget never reached, with the reason', async () => {
    const { recorder } = await grow('ddd', { budget: 12, branchesPerEvent: 3, maxDepth: 3 })
    const unexpanded = recorder.events.filter((e) => e.childNodeId === null && e.tau > 0)
    expect(unexpanded.length).toBeGreaterThan(0)
    for (const e of unexpanded) expect(e).toMatchObject({ outcome: 'failure', message: expect.stringMatching(/^Not (expanded|branched)/) })
  })
})
