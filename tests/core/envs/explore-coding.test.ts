// The coding environments inside the real LEAFE Stage-1 engine: the critic blames a submission,
// the engine rolls back (replay and snapshot) and a policy that follows the experience succeeds.
import { describe, expect, it } from 'vitest'
import { codeEnvironment } from '../../../src-main/core/envs/code/environment.ts'
import { codeMeta } from '../../../src-main/core/envs/code/tasks.ts'
import { listDslEnvironment } from '../../../src-main/core/envs/listdsl/environment.ts'
import { dslMeta } from '../../../src-main/core/envs/listdsl/tasks.ts'
import type { Context, Environment, Task } from '../../../src-main/core/envs/types.ts'
import { ExploreConfig } from '../../../src-main/shared/jobs/explore.ts'
import { explore } from '../../../src-main/core/explore/explore-loop.ts'
import { createRun } from '../../../src-main/core/explore/recorder.ts'
import { criticReflector } from '../../../src-main/core/explore/reflectors.ts'
import type { Policy } from '../../../src-main/core/policies/types.ts'
import { openStore } from '../../../src-main/core/store/db.ts'

/** Submits a wrong answer until it is given an experience, then the right one. */
const scripted = (wrong: string, right: (t: Task) => string): Policy => ({
  id: 'scripted',
  act: async (contexts: Context[]) => contexts.map((c) => (c.experience ? right(c.task) : wrong)),
})

async function run(env: Environment, tasks: Task[], policy: Policy, rollback: 'replay' | 'snapshot') {
  const { db } = openStore(':memory:')
  const config = ExploreConfig.parse({ env: env.id, tasks: { split: 'train', count: tasks.length }, policy: { kind: 'random' }, rollback, budget: 12 })
  const runId = createRun(db, 'explore', 'test', config, null)
  const outcomes = await explore({ db, runId, env, policy, reflector: criticReflector(env), config, tasks })
  const events = db.prepare('SELECT tau, reflector, experience, failed_action, revised_action, outcome FROM branch_events').all() as Record<string, unknown>[]
  return { outcomes, events }
}

describe('coding environments in LEAFE exploration', () => {
  for (const rollback of ['replay', 'snapshot'] as const) {
    it(`listdsl: the critic's experience leads the branch to success (${rollback})`, async () => {
      const tasks = listDslEnvironment.tasks('train', 3, 4, { length: 2 })
      const { outcomes, events } = await run(listDslEnvironment, tasks, scripted('reverse a', (t) => dslMeta(t).program), rollback)
      expect(outcomes.every((o) => o.solved && o.solvedByBranch)).toBe(true)
      expect(events.length).toBe(3)
      for (const e of events) expect(e).toMatchObject({ tau: 1, reflector: 'critic', failed_action: 'reverse a', outcome: 'success' })
      expect(String(events[0]!.experience)).toMatch(/^On \[/)
    })
  }

  it('code: a failed JavaScript submission is blamed, the branch resubmits and is accepted', async () => {
    const tasks = codeEnvironment.tasks('train', 2, 1, { lang: 'js' })
    const wrong = '```javascript\nfunction nothing() { return 0 }\n```'
    const { outcomes, events } = await run(codeEnvironment, tasks, scripted(wrong, (t) => codeMeta(t).reference), 'replay')
    expect(outcomes.every((o) => o.solved && o.solvedByBranch)).toBe(true)
    expect(events[0]).toMatchObject({ tau: 1, reflector: 'critic', outcome: 'success' })
    expect(String(events[0]!.experience)).toMatch(/The program does not define a function named \w+\. Name the function exactly as the task says\./)
  }, 120_000)
})
