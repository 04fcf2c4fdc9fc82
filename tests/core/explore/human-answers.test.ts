import { describe, expect, it } from 'vitest'
import { ExploreConfig } from '../../../src-main/shared/jobs/explore.ts'
import { explore } from '../../../src-main/core/explore/explore-loop.ts'
import { answerHumanRequest, pendingHumanRequests, skipHumanRequestChecked } from '../../../src-main/core/explore/human-answers.ts'
import { createRun } from '../../../src-main/core/explore/recorder.ts'
import { humanReflector } from '../../../src-main/core/explore/reflectors.ts'
import { openStore } from '../../../src-main/core/store/db.ts'
import { corridorEnv, firstChoicePolicy } from '../../fixtures/corridor-env.ts'

describe('answering human reflection requests', () => {
  it('lists the waiting attempt, refuses a bad answer, and the exploration branches from a good one', async () => {
    const { db } = openStore(':memory:')
    const env = corridorEnv({ length: 4, trapAt: 1, stepLimit: 6 })
    const config = ExploreConfig.parse({ env: 'corridor', tasks: { split: 'train', count: 1 }, policy: { kind: 'random' }, budget: 30 })
    const runId = createRun(db, 'explore', 'human test', config, null)
    const running = explore({ db, runId, env, policy: firstChoicePolicy, reflector: humanReflector, config, tasks: env.tasks('train', 1, 0), humanPollMs: 20 })

    let waiting = pendingHumanRequests(db)
    for (let i = 0; i < 200 && waiting.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20))
      waiting = pendingHumanRequests(db)
    }
    expect(waiting).toHaveLength(1)
    const req = waiting[0]!
    // The first attempt walks into the pit at step 2 and ends at the step limit: 6 steps.
    expect(req).toMatchObject({ runId, runName: 'human test', env: 'corridor', taskKey: 'train-0', steps: 6, status: 'pending' })
    expect(pendingHumanRequests(db, req.episodeId)).toHaveLength(1)
    expect(pendingHumanRequests(db, req.episodeId + 1)).toHaveLength(0)

    expect(() => answerHumanRequest(db, req.id, { rollbackStep: 7, experience: 'x', avoid: [] })).toThrow(/tau must be a step of the attempt, 1 to 6 \(got 7\)/)
    expect(() => answerHumanRequest(db, 999, { rollbackStep: 1, experience: 'x', avoid: [] })).toThrow(/Reflection request 999 was not found/)
    expect(answerHumanRequest(db, req.id, { rollbackStep: 2, experience: 'At cell 1 take b.', avoid: ['a'] }).status).toBe('answered')
    expect(() => answerHumanRequest(db, req.id, { rollbackStep: 2, experience: 'again', avoid: [] })).toThrow(/is answered already/)
    expect(() => skipHumanRequestChecked(db, req.id)).toThrow(/only a pending one/)

    const [outcome] = await running
    expect(outcome).toMatchObject({ solved: true, solvedByBranch: true })
    const ev = db.prepare('SELECT reflector, tau, experience, revised_action, outcome FROM branch_events').get()
    expect(ev).toEqual({ reflector: 'human', tau: 2, experience: 'At cell 1 take b.', revised_action: 'b', outcome: 'success' })
    expect(pendingHumanRequests(db)).toEqual([])
  }, 30_000)

  it('a skipped attempt ends the wait: the run goes on and finishes, and never asks when no budget is left', async () => {
    const { db } = openStore(':memory:')
    const env = corridorEnv({ length: 4, trapAt: 1, stepLimit: 6 })
    // Two attempts of 6 steps fit the budget: the first is asked about; once it is skipped, a fresh
    // rollout spends the rest, and with nothing left to branch with it is not asked about.
    const config = ExploreConfig.parse({ env: 'corridor', tasks: { split: 'train', count: 1 }, policy: { kind: 'random' }, budget: 12 })
    const runId = createRun(db, 'explore', 'skip test', config, null)
    const progress: number[] = []
    const running = explore({
      db, runId, env, policy: firstChoicePolicy, reflector: humanReflector, config, tasks: env.tasks('train', 1, 0), humanPollMs: 20,
      onProgress: (p) => progress.push(p.waitingForYou),
    })
    let waiting = pendingHumanRequests(db)
    for (let i = 0; i < 200 && waiting.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20))
      waiting = pendingHumanRequests(db)
    }
    expect(waiting).toHaveLength(1)
    expect(progress.at(-1)).toBe(1) // the run says it waits for you
    skipHumanRequestChecked(db, waiting[0]!.id)
    const [outcome] = await running
    expect(outcome).toMatchObject({ solved: false, budgetUsed: 12 })
    expect(db.prepare('SELECT status FROM reflection_requests ORDER BY id').all()).toEqual([{ status: 'skipped' }])
    expect(progress.at(-1)).toBe(0)
    expect(db.prepare('SELECT COUNT(*) AS n FROM episodes').get()).toEqual({ n: 1 }) // one tree, two attempts in it
  }, 30_000)
})
