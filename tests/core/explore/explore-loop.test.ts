import { describe, expect, it } from 'vitest'
import { buildCorpusItems } from '../../../src-main/core/corpus/build.ts'
import { ExploreConfig, type ExploreConfigInput } from '../../../src-main/shared/jobs/explore.ts'
import { explore } from '../../../src-main/core/explore/explore-loop.ts'
import { createRun } from '../../../src-main/core/explore/recorder.ts'
import { criticReflector, humanReflector } from '../../../src-main/core/explore/reflectors.ts'
import { randomPolicy } from '../../../src-main/core/policies/random.ts'
import type { Policy } from '../../../src-main/core/policies/types.ts'
import { openStore, type DB } from '../../../src-main/core/store/db.ts'
import { corridorEnv, experienceFollowingPolicy, firstChoicePolicy, type CorridorOptions } from '../../fixtures/corridor-env.ts'

function setup(envOpts: CorridorOptions, cfg: Partial<ExploreConfigInput>, policy: Policy = firstChoicePolicy, tasks = 1) {
  const { db } = openStore(':memory:')
  const env = corridorEnv(envOpts)
  const config = ExploreConfig.parse({ env: 'corridor', tasks: { split: 'train', count: tasks }, policy: { kind: 'random' }, ...cfg })
  const runId = createRun(db, 'explore', 'test', config, null)
  const go = (extra: { reflector?: ReturnType<typeof criticReflector> | null } = {}) =>
    explore({ db, runId, env, policy, reflector: extra.reflector === undefined ? criticReflector(env) : extra.reflector, config, tasks: env.tasks('train', tasks, 0) })
  return { db, env, config, runId, go }
}

const events = (db: DB) => db.prepare('SELECT * FROM branch_events ORDER BY id').all() as Record<string, unknown>[]

describe('LEAFE exploration', () => {
  for (const rollback of ['replay', 'snapshot'] as const) {
    it(`sends the branch to the step the critic blames and the branch succeeds (${rollback})`, async () => {
      const { db, go } = setup({ length: 6, trapAt: 3, stepLimit: 10, snapshots: rollback === 'snapshot' }, { rollback, budget: 50 })
      const [outcome] = await go()
      expect(outcome).toMatchObject({ solved: true, solvedAtFirstAttempt: false, solvedByBranch: true, branchEvents: 1 })
      const [e] = events(db)
      // a_4 (the 'a' taken at cell 3) is the faulty action: tau = 4, the branch point is the node after 3 steps.
      expect(e).toMatchObject({ tau: 4, failed_action: 'a', revised_action: 'b', outcome: 'success', rollback_mode: rollback, reflector: 'critic' })
      const branchPoint = db.prepare('SELECT step, observation FROM nodes WHERE id = ?').get(e!.node_id) as { step: number; observation: string }
      expect(branchPoint).toEqual({ step: 3, observation: 'cell 3' })
      const child = db.prepare('SELECT parent_id, action, branch_depth FROM nodes WHERE id = ?').get(e!.child_node_id)
      expect(child).toEqual({ parent_id: e!.node_id, action: 'b', branch_depth: 1 })
      // First rollout: 10 steps (lost at step 4, ends at the step limit); the branch: 3 steps to
      // the end; replaying a_1..a_3 to reach tau costs 3 environment steps of the budget.
      expect(outcome!.budgetUsed).toBe(10 + 3 + (rollback === 'replay' ? 3 : 0))
      expect(outcome!.replaySteps).toBe(rollback === 'replay' ? 3 : 0)
      const ep = db.prepare('SELECT status, steps FROM episodes').get()
      expect(ep).toEqual({ status: 'success', steps: 13 })
    })
  }

  it('marks a branch of a non-deterministic environment and goes on', async () => {
    const { db, go } = setup({ length: 6, trapAt: 3, stepLimit: 10, nondeterministic: true }, { rollback: 'replay', budget: 40 })
    const [outcome] = await go()
    expect(outcome!.solved).toBe(false)
    const [e] = events(db)
    expect(e).toMatchObject({ outcome: 'nondeterministic' })
    expect(String(e!.message)).toMatch(/Non-deterministic environment: replaying a_1..a_2 gave a different observation at step 2/)
    // The run went on with fresh rollouts until the budget was spent.
    expect(outcome!.budgetUsed).toBe(40)
  })

  it('never exceeds the step budget per task, whatever the settings', async () => {
    for (let trial = 0; trial < 12; trial++) {
      const budget = 5 + trial * 7
      const { db, go } = setup(
        { length: 4 + (trial % 5), trapAt: trial % 3, stepLimit: 3 + (trial % 7), snapshots: trial % 2 === 0 },
        { budget, seed: trial, maxDepth: trial % 4, branchesPerEvent: 1 + (trial % 3), stopOnSuccess: trial % 3 !== 0, sampler: (['leafe', 'is', 'ir'] as const)[trial % 3], trigger: { everyK: trial % 4 === 0 ? 2 : null, onFailure: true } },
        randomPolicy(['a', 'b']),
        5,
      )
      const outcomes = await go()
      expect(outcomes.length).toBe(5)
      for (const o of outcomes) expect(o.budgetUsed).toBeLessThanOrEqual(budget)
      const perTask = db.prepare(`SELECT e.task_key, COUNT(n.id) AS n FROM nodes n JOIN episodes e ON e.id = n.episode_id WHERE n.action IS NOT NULL GROUP BY e.task_key`).all() as { n: number }[]
      for (const r of perTask) expect(r.n).toBeLessThanOrEqual(budget)
    }
  })

  it('branches several distinct revised actions per event when asked, and respects the depth limit', async () => {
    const { db, go } = setup({ length: 5, trapAt: 2, stepLimit: 8 }, { branchesPerEvent: 2, maxDepth: 0, budget: 30 })
    const [outcome] = await go()
    // Depth 0: the reflection is recorded but no branch is made.
    expect(events(db)[0]).toMatchObject({ outcome: 'failure', child_node_id: null })
    expect(String(events(db)[0]!.message)).toMatch(/maximum depth 0/)
    expect(outcome!.solved).toBe(false)
  })

  it('IS samples independent attempts; IR carries the reflections into the next attempt', async () => {
    const ir = setup({ length: 3, trapAt: 1, stepLimit: 4 }, { sampler: 'ir', budget: 20 }, experienceFollowingPolicy)
    const [o] = await ir.go()
    // Attempt 1 falls in at cell 1; attempt 2 starts from scratch with the critic's reflection in context and passes.
    expect(o).toMatchObject({ solved: true, solvedAtFirstAttempt: false, solvedByBranch: false, branchEvents: 1, budgetUsed: 4 + 3 })
    const eps = ir.db.prepare('SELECT attempt, status, sampler FROM episodes ORDER BY id').all()
    expect(eps).toEqual([{ attempt: 0, status: 'failure', sampler: 'ir' }, { attempt: 1, status: 'success', sampler: 'ir' }])
    const is = setup({ length: 3, trapAt: 0, stepLimit: 4 }, { sampler: 'is', budget: 12 }, firstChoicePolicy)
    const [o2] = await is.go()
    expect(o2).toMatchObject({ solved: false, branchEvents: 0, budgetUsed: 12 })
    expect((is.db.prepare('SELECT COUNT(*) AS n FROM episodes').get() as { n: number }).n).toBe(3)
  })

  it('waits for a human reflection while other tasks go on, then branches from the answer', async () => {
    // Task 0 has its trap at cell 1; task 1 has none and is solved while task 0 waits.
    const { db, go, runId } = setup({ length: 4, trapAt: 1, trapFor: (t) => (t.seed === 0 ? 1 : 99), stepLimit: 6 }, { budget: 30 }, firstChoicePolicy, 2)
    const running = go({ reflector: humanReflector })
    let request: { id: number } | undefined
    for (let i = 0; i < 200 && !request; i++) {
      await new Promise((r) => setTimeout(r, 20))
      request = db.prepare(`SELECT id FROM reflection_requests WHERE run_id = ? AND status = 'pending'`).get(runId) as { id: number } | undefined
    }
    expect(request).toBeDefined()
    await new Promise((r) => setTimeout(r, 100))
    const other = db.prepare(`SELECT status FROM episodes WHERE task_key = 'train-1'`).get()
    expect(other).toEqual({ status: 'success' })
    db.prepare(`UPDATE reflection_requests SET status = 'answered', answer = ? WHERE id = ?`).run(
      JSON.stringify({ rollbackStep: 2, experience: 'At cell 1 take b.', avoid: ['a'] }),
      request!.id,
    )
    const outcomes = await running
    expect(outcomes.map((o) => [o.task.id, o.solved])).toEqual([['train-1', true], ['train-0', true]])
    expect(events(db)[0]).toMatchObject({ reflector: 'human', tau: 2, revised_action: 'b', outcome: 'success' })
  }, 30_000)
})

describe('corpus builders', () => {
  it('D_cf prompts never contain the experience; targets are the revised actions', async () => {
    const { go, env, runId } = setup({ length: 6, trapAt: 3, stepLimit: 10 }, { budget: 50 })
    const [outcome] = await go()
    const items = buildCorpusItems(outcome!, env, { runId, seed: 0, onlySucceeded: true, maxEventsPerTask: 3, rehearsalShare: 1 })
    const cf = items.filter((i) => i.kind === 'cf')
    expect(cf.length).toBe(1)
    expect(cf[0]).toMatchObject({ target: 'go b', failedAction: 'a', meta: { compact: { prompt: 'cell 3', target: 'b' } } })
    expect(cf[0]!.experience).toMatch(/pit/)
    for (const it of cf) expect(it.prompt).not.toContain(it.experience!)
    // Rehearsal share 1: every step of the successful trajectory (6 actions to the end).
    const reh = items.filter((i) => i.kind === 'reh')
    expect(reh.map((r) => r.target)).toEqual(['go a', 'go a', 'go a', 'go b', 'go a', 'go a'])
  })
})
