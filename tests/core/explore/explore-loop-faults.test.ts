// What exploration and evaluation do when an environment or a policy fails for one task: that
// task's episode ends as an error with the reason, everything written before stays, and the
// other tasks finish as if nothing happened.
import { describe, expect, it } from 'vitest'
import type { Environment, Task } from '../../../src-main/core/envs/types.ts'
import { samplePassAtK } from '../../../src-main/core/eval/sampler.ts'
import { ExploreConfig, type ExploreConfigInput } from '../../../src-main/shared/jobs/explore.ts'
import { explore } from '../../../src-main/core/explore/explore-loop.ts'
import { createRun } from '../../../src-main/core/explore/recorder.ts'
import { criticReflector } from '../../../src-main/core/explore/reflectors.ts'
import type { Decision, Policy } from '../../../src-main/core/policies/types.ts'
import { openStore } from '../../../src-main/core/store/db.ts'
import { corridorEnv, firstChoicePolicy } from '../../fixtures/corridor-env.ts'

type Call = 'open' | 'reset' | 'step'

/** The corridor, failing where `fails` says (per task, call, and how many such calls the task has made in all its sessions). */
function flaky(fails: (task: string, call: Call, n: number) => boolean): Environment {
  const base = corridorEnv({ length: 6, trapAt: 3, stepLimit: 10 })
  const perTask = new Map<string, Record<Call, number>>()
  return {
    ...base,
    async open(task: Task) {
      let counts = perTask.get(task.id)
      if (!counts) perTask.set(task.id, (counts = { open: 0, reset: 0, step: 0 }))
      if (fails(task.id, 'open', ++counts.open)) throw new Error(`server refused to create (${task.id})`)
      const s = await base.open(task)
      return {
        ...s,
        reset: async () => {
          if (fails(task.id, 'reset', ++counts.reset)) throw new Error(`reset timed out (${task.id})`)
          return s.reset()
        },
        step: async (a: string) => {
          if (fails(task.id, 'step', ++counts.step)) throw new Error(`HTTP 500 on step ${counts.step} (${task.id})`)
          return s.step(a)
        },
        close: async () => {
          throw new Error('close failed too') // must not escape either
        },
      }
    },
  }
}

function setup(env: Environment, cfg: Partial<ExploreConfigInput>, policy: Policy = firstChoicePolicy) {
  const { db } = openStore(':memory:')
  const config = ExploreConfig.parse({ env: 'corridor', tasks: { split: 'train', count: 4 }, policy: { kind: 'random' }, budget: 40, ...cfg })
  const runId = createRun(db, 'explore', 'test', config, null)
  const tasks = env.tasks('train', 4, 0)
  const go = () => explore({ db, runId, env, policy, reflector: criticReflector(env), config, tasks })
  return { db, go, tasks }
}

const episodes = (db: ReturnType<typeof openStore>['db']) =>
  db.prepare('SELECT task_key, status, steps, error, (SELECT COUNT(*) FROM nodes n WHERE n.episode_id = e.id) AS nodes FROM episodes e ORDER BY id').all() as {
    task_key: string; status: string; steps: number; error: string | null; nodes: number
  }[]

describe('exploration when a task fails', () => {
  for (const sampler of ['leafe', 'is', 'ir'] as const) {
    it(`ends that task's episode as an error, keeps its nodes, and finishes the others (${sampler}, step fails)`, async () => {
      // train-1's 12th call of step fails. The first attempt takes 10 steps (lost in the pit at
      // the 4th); then leafe replays 3 steps to the branch point (the 12th call is a replay),
      // while is / ir start a second attempt (the 12th call is its 2nd step).
      const { db, go } = setup(flaky((t, c, n) => t === 'train-1' && c === 'step' && n === 12), { sampler })
      const outcomes = await go()
      expect(outcomes).toHaveLength(4)
      const bad = outcomes.find((o) => o.task.id === 'train-1')!
      expect(bad.error).toMatch(/^environment: HTTP 500 on step 12 \(train-1\)$/)
      expect(bad.solved).toBe(false)
      const others = outcomes.filter((o) => o.task.id !== 'train-1')
      expect(others.every((o) => !o.error && o.budgetUsed === 40)).toBe(sampler !== 'leafe')
      // LEAFE's branch fixes the trap; the others finish the way they always would.
      if (sampler === 'leafe') expect(others.every((o) => o.solved && !o.error)).toBe(true)
      const eps = episodes(db)
      const failed = eps.filter((e) => e.task_key === 'train-1' && e.status === 'error')
      expect(failed).toHaveLength(1)
      expect(failed[0]!.error).toBe(bad.error)
      // Every step recorded before the fault is still there (the root of each episode aside).
      const mine = eps.filter((e) => e.task_key === 'train-1')
      const kept = mine.reduce((a, e) => a + e.nodes, 0) - mine.length
      expect(kept).toBe(sampler === 'leafe' ? 10 : 11)
      expect(eps.filter((e) => e.task_key !== 'train-1').every((e) => e.status !== 'error' && e.status !== 'running')).toBe(true)
      if (sampler === 'leafe') {
        // The branch that was under way when the fault came is marked, not left pending.
        const ev = db.prepare(`SELECT outcome, message FROM branch_events be JOIN episodes e ON e.id = be.episode_id WHERE e.task_key = 'train-1'`).all() as { outcome: string; message: string }[]
        expect(ev).toEqual([{ outcome: 'error', message: expect.stringMatching(/^Not finished: the task ended with an error/) }])
        expect((db.prepare(`SELECT COUNT(*) AS n FROM branch_events WHERE outcome = 'pending'`).get() as { n: number }).n).toBe(0)
      }
    })
  }

  it('records a task whose environment cannot be created or reset, and goes on', async () => {
    const { db, go } = setup(flaky((t, c) => (t === 'train-0' && c === 'open') || (t === 'train-2' && c === 'reset')), {})
    const outcomes = await go()
    expect(outcomes.filter((o) => o.error).map((o) => [o.task.id, o.error])).toEqual([
      ['train-0', 'environment: server refused to create (train-0)'],
      ['train-2', 'environment: reset timed out (train-2)'],
    ])
    expect(outcomes.filter((o) => !o.error).every((o) => o.solved)).toBe(true)
    expect(episodes(db).filter((e) => e.status === 'error').map((e) => [e.task_key, e.nodes])).toEqual([
      ['train-0', 0],
      ['train-2', 0],
    ])
  })

  it('a reset that fails while rolling back ends the task, with the tree written so far', async () => {
    // The first reset works; the rollback's reset (the second) fails.
    const { db, go } = setup(flaky((t, c, n) => t === 'train-3' && c === 'reset' && n === 2), { rollback: 'replay' })
    const outcomes = await go()
    expect(outcomes.find((o) => o.task.id === 'train-3')!.error).toBe('environment: reset timed out (train-3)')
    const ep = episodes(db).find((e) => e.task_key === 'train-3')!
    expect(ep).toMatchObject({ status: 'error', steps: 10, nodes: 11 })
  })

  it('a policy that fails for one context ends that task only, and the raw replies are kept on the nodes', async () => {
    const policy: Policy = {
      id: 'served',
      act: async () => {
        throw new Error('not used')
      },
      decide: async (contexts): Promise<Decision[]> =>
        contexts.map((c) =>
          c.task.id === 'train-2' && c.history.length === 2
            ? { action: '', error: 'Endpoint x: HTTP 500 after 5 attempts' }
            : { action: c.avoid?.includes('a') ? 'b' : 'a', raw: `Thought: go.\nAction: ${c.avoid?.includes('a') ? 'b' : 'a'}` },
        ),
    }
    const { db, go } = setup(flaky(() => false), {}, policy)
    const outcomes = await go()
    expect(outcomes.find((o) => o.task.id === 'train-2')!.error).toBe('policy: Endpoint x: HTTP 500 after 5 attempts')
    expect(outcomes.filter((o) => o.task.id !== 'train-2').every((o) => o.solved)).toBe(true)
    const raw = db.prepare(`SELECT action, raw_action FROM nodes WHERE action IS NOT NULL LIMIT 1`).get()
    expect(raw).toEqual({ action: 'a', raw_action: 'Thought: go.\nAction: a' })
    expect(episodes(db).find((e) => e.task_key === 'train-2')).toMatchObject({ status: 'error', nodes: 3, steps: 2 })
  })
})

describe('evaluation when a sample fails', () => {
  it('counts the sample as a failure, reports it, and finishes every other sample', async () => {
    const env = flaky((t, c, n) => t === 'train-1' && c === 'step' && n === 1)
    const errors: string[] = []
    const results = await samplePassAtK({
      env, policy: firstChoicePolicy, policyKey: 'first', tasks: env.tasks('train', 3, 0), n: 4, temperature: 0, topP: 1, seed: 0,
      onError: (e) => errors.push(`${e.task.id}#${e.sample}: ${e.message}`),
    })
    // firstChoice takes 'a' at the trap and fails every sample; the fault is reported and counted, never as a success.
    expect(results.map((r) => [r.task.id, r.n, r.c, r.errors]).sort()).toEqual([
      ['train-0', 4, 0, 0],
      ['train-1', 4, 0, 1],
      ['train-2', 4, 0, 0],
    ])
    expect(errors).toEqual(['train-1#0: environment: HTTP 500 on step 1 (train-1)'])
  })

  it('a sample whose environment cannot be opened is a failure with its reason', async () => {
    const env = flaky((t, c) => t === 'train-0' && c === 'open')
    const solver: Policy = { id: 'solver', act: async (cs) => cs.map((c) => (c.history.length === 3 ? 'b' : 'a')) }
    const results = await samplePassAtK({ env, policy: solver, policyKey: 's', tasks: env.tasks('train', 2, 0), n: 2, temperature: 0, topP: 1, seed: 0 })
    expect(results.map((r) => [r.task.id, r.c, r.errors])).toEqual([
      ['train-0', 0, 2],
      ['train-1', 2, 0],
    ])
  })
})
