// The built-in environments inside LEAFE's Stage-1 exploration: replay and snapshots agree with
// the environment, and the critic's tau is where the branches start.
import { describe, expect, it } from 'vitest'
import { ExploreConfig } from '../../../src-main/shared/jobs/explore.ts'
import { explore } from '../../../src-main/core/explore/explore-loop.ts'
import { createRun } from '../../../src-main/core/explore/recorder.ts'
import { criticReflector } from '../../../src-main/core/explore/reflectors.ts'
import { randomPolicy } from '../../../src-main/core/policies/random.ts'
import { getEnvironment } from '../../../src-main/core/envs/registry.ts'
import { openStore } from '../../../src-main/core/store/db.ts'

describe('built-in environments under LEAFE exploration (random policy, critic reflector)', () => {
  for (const [envId, params] of [
    ['sokoban', { preset: '7x7-2' }],
    ['household', { family: 'pick_heat_then_place', maxSteps: 15 }],
  ] as const) {
    for (const rollback of ['replay', 'snapshot'] as const) {
      it(`${envId}: branches start at the critic's step, rollback by ${rollback} is exact`, async () => {
        const { db } = openStore(':memory:')
        const env = getEnvironment(envId)
        const config = ExploreConfig.parse({ env: envId, tasks: { split: 'train', count: 6, params }, policy: { kind: 'random' }, rollback, budget: 150, seed: 3 })
        const runId = createRun(db, 'explore', 'test', config, null)
        const tasks = env.tasks('train', 6, 0, params)
        const outcomes = await explore({ db, runId, env, policy: randomPolicy(env.actionSpace), reflector: criticReflector(env), config, tasks })
        const events = db.prepare('SELECT tau, reflector, outcome, rollback_mode, failed_action, experience FROM branch_events').all() as Record<string, unknown>[]
        expect(events.filter((e) => e.rollback_mode === rollback).length).toBeGreaterThan(0)
        for (const e of events) {
          expect(e.reflector).toBe('critic')
          expect(e.outcome).not.toBe('nondeterministic')
          expect(e.outcome).not.toBe('error')
          // Events never expanded (budget or depth ran out) have no rollback.
          if (e.rollback_mode !== null) expect(e.rollback_mode).toBe(rollback)
          expect(String(e.experience)).toMatch(/^At step \d+/)
        }
        for (const o of outcomes) {
          for (const b of o.branches) {
            // The branch point is the state before a_tau, and the action masked there is the one the critic named.
            expect(b.basePath.length).toBe(b.reflection.rollbackStep)
            expect(b.reflection.avoid).toEqual([b.failedAction])
          }
        }
      })
    }
  }
})
