// The tree's bookkeeping: which branch events a success is credited to, siblings, breadth-first
// expansion, what the budget counts, and where the experience code reaches the policy.
import { describe, expect, it } from 'vitest'
import { buildCorpusItems } from '../../../src-main/core/corpus/build.ts'
import type { Environment } from '../../../src-main/core/envs/types.ts'
import { ExploreConfig, type ExploreConfigInput } from '../../../src-main/shared/jobs/explore.ts'
import { explore } from '../../../src-main/core/explore/explore-loop.ts'
import { createRun } from '../../../src-main/core/explore/recorder.ts'
import { criticReflector } from '../../../src-main/core/explore/reflectors.ts'
import type { Policy } from '../../../src-main/core/policies/types.ts'
import { openStore, type DB } from '../../../src-main/core/store/db.ts'
import { codeReadingPolicy, corridorEnv } from '../../fixtures/corridor-env.ts'
import { blameFirstDifference, firstLetterPolicy, wordEnv } from '../../fixtures/word-env.ts'

async function run(env: Environment, cfg: Partial<ExploreConfigInput>, policy: Policy = firstLetterPolicy()) {
  const { db } = openStore(':memory:')
  const config = ExploreConfig.parse({ env: env.id, tasks: { split: 'train', count: 1 }, policy: { kind: 'random' }, ...cfg })
  const runId = createRun(db, 'explore', 'test', config, null)
  const [outcome] = await explore({ db, runId, env, policy, reflector: criticReflector(env), config, tasks: env.tasks('train', 1, 0) })
  return { db, runId, outcome: outcome!, config }
}

const events = (db: DB) =>
  db.prepare('SELECT id, tau, failed_action, revised_action, child_node_id, outcome, message FROM branch_events ORDER BY id').all() as {
    id: number; tau: number; failed_action: string; revised_action: string | null; child_node_id: number | null; outcome: string; message: string
  }[]

describe('credit', () => {
  it('does not credit an event whose revised action a later re-branch at or before its tau replaced', async () => {
    // "aaa" is blamed at step 3 → branch "aa|b"; "aab" is blamed at step 1 → branch "b|aa", which
    // spells the target. The first event's a'_tau ("b" after "aa") is not on the successful line.
    const env = wordEnv('baa', (w) => (w === 'aaa' ? 3 : w === 'aab' ? 1 : null))
    const { db, runId, outcome } = await run(env, { budget: 20 })
    expect(outcome.solved).toBe(true)
    const [first, second] = events(db)
    expect(first).toMatchObject({ tau: 3, revised_action: 'b', outcome: 'failure' })
    expect(second).toMatchObject({ tau: 1, revised_action: 'b', outcome: 'success' })
    const cf = buildCorpusItems(outcome, env, { runId, seed: 0, onlySucceeded: true, maxEventsPerTask: 3, rehearsalShare: 0 })
    expect(cf.map((i) => [i.meta?.tau, i.target])).toEqual([[1, 'b']])
  })

  it('credits every event whose child the successful line still holds', async () => {
    // "aaa" blamed at 1 → "b|aa"; "baa" blamed at 3 → "ba|b"... spelled "bab": both events kept.
    const env = wordEnv('bab', (w) => (w === 'aaa' ? 1 : w === 'baa' ? 3 : null))
    const { db, outcome } = await run(env, { budget: 20 })
    expect(outcome.solved).toBe(true)
    expect(events(db).map((e) => e.outcome)).toEqual(['success', 'success'])
  })
})

describe('siblings and breadth-first order', () => {
  it('makes distinct siblings, each its own event, and expands a generation before the next', async () => {
    // Every attempt is blamed at its first letter that differs from "ccc": the tree fans out.
    const target = 'ccc'
    const env = wordEnv(target, blameFirstDifference(target))
    const { db, outcome } = await run(env, { budget: 60, branchesPerEvent: 2, maxDepth: 3, stopOnSuccess: true })
    expect(outcome.solved).toBe(true)
    const evs = events(db)
    // Reflection 1 on "aaa" at tau 1: two siblings with distinct revised actions ('b', then 'c').
    expect(evs.slice(0, 2).map((e) => [e.tau, e.revised_action])).toEqual([[1, 'b'], [1, 'c']])
    expect(new Set(evs.slice(0, 2).map((e) => e.child_node_id)).size).toBe(2)
    // Expansion order (child node ids) follows the generation: no child of depth 2 before the last child of depth 1.
    const depth = (nodeId: number) => (db.prepare('SELECT branch_depth AS d FROM nodes WHERE id = ?').get(nodeId) as { d: number }).d
    const expanded = evs.filter((e) => e.child_node_id !== null).sort((x, y) => x.child_node_id! - y.child_node_id!)
    const depths = expanded.map((e) => depth(e.child_node_id!))
    expect(depths).toEqual([...depths].sort((a, b) => a - b))
    expect(Math.max(...depths)).toBeGreaterThan(1)
    // Events the search never reached are closed with the reason, not left pending.
    expect(evs.filter((e) => e.outcome === 'pending')).toEqual([])
  })
})

describe('budget', () => {
  it('counts replayed steps as environment steps, or only actions when asked', async () => {
    const opts = { length: 6, trapAt: 3, stepLimit: 10 }
    const envSteps = await run(corridorEnv(opts), { budget: 50, rollback: 'replay' }, codeReadingPolicy)
    const actions = await run(corridorEnv(opts), { budget: 50, rollback: 'replay', budgetCounts: 'actions' }, codeReadingPolicy)
    expect(envSteps.outcome.replaySteps).toBe(3)
    expect(envSteps.outcome.budgetUsed).toBe(10 + 3 + 3)
    expect(actions.outcome.budgetUsed).toBe(10 + 3)
  })

  it('does not start a branch whose replay would leave no step for it', async () => {
    // 10 steps lost, then a replay of 3 would need 4 of the 12: only 2 are left.
    const { db, outcome } = await run(corridorEnv({ length: 6, trapAt: 3, stepLimit: 10 }), { budget: 12, rollback: 'replay' }, codeReadingPolicy)
    expect(outcome.budgetUsed).toBeLessThanOrEqual(12)
    expect(events(db)[0]).toMatchObject({ outcome: 'failure', child_node_id: null })
    expect(events(db)[0]!.message).toMatch(/replaying 3 steps/)
  })
})

describe('experience codes', () => {
  it('puts the code in the context of the branch point only, in the form the run asks for', async () => {
    const seen: { at: string; code: unknown }[] = []
    const spy: Policy = {
      id: 'spy',
      act: async (cs) => {
        for (const c of cs) seen.push({ at: (c.history.at(-1)?.step ?? c.initial).observation, code: c.code })
        return codeReadingPolicy.act(cs, { temperature: 1 })
      },
    }
    const opts = { length: 6, trapAt: 3, stepLimit: 10 }
    const full = await run(corridorEnv(opts), { budget: 50, experienceCode: 'full' }, spy)
    const coded = seen.filter((s) => s.code)
    expect(coded).toEqual([{ at: 'cell 3', code: { blamed: 'a', place: 'cell 3', fix: 'b' } }])
    expect(full.outcome.codes).toEqual({ shown: 1, withFix: 1, followedFix: 1 })
    seen.length = 0
    await run(corridorEnv(opts), { budget: 50, experienceCode: 'diagnosis' }, spy)
    expect(seen.filter((s) => s.code)).toEqual([{ at: 'cell 3', code: { blamed: 'a', place: 'cell 3' } }])
    seen.length = 0
    await run(corridorEnv(opts), { budget: 50, experienceCode: 'none' }, spy)
    expect(seen.filter((s) => s.code)).toEqual([])
  })

  it('IR carries earlier codes to the state they were blamed at, so a code-reading policy differs from IS', async () => {
    const opts = { length: 4, trapAt: 2, stepLimit: 6 }
    const ir = await run(corridorEnv(opts), { sampler: 'ir', budget: 24 }, codeReadingPolicy)
    const is = await run(corridorEnv(opts), { sampler: 'is', budget: 24 }, codeReadingPolicy)
    // IR: attempt 1 falls in at cell 2; attempt 2 reads the code there and passes. IS never learns.
    expect(ir.outcome).toMatchObject({ solved: true, budgetUsed: 6 + 4 })
    expect(ir.outcome.codes).toEqual({ shown: 1, withFix: 1, followedFix: 1 })
    expect(is.outcome).toMatchObject({ solved: false, budgetUsed: 24 })
  })
})
