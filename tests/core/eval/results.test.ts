import { describe, expect, it } from 'vitest'
import { comparePolicies, evalScopes, pairedPassAtK, passCurves, taskCounts } from '../../../src-main/core/eval/results.ts'
import { passAtK } from '../../../src-main/core/eval/passk.ts'
import * as rec from '../../../src-main/core/explore/recorder.ts'
import { openStore } from '../../../src-main/core/store/db.ts'
import { writeFixtures } from '../../fixtures/stored-data.ts'

describe('Pass@k from stored eval results', () => {
  it('offers each task set with the policies evaluated on it and recomputes curves from (n, c)', async () => {
    const { db } = openStore(':memory:')
    const fx = await writeFixtures(db, { seed: 5, evalTasks: 30, evalSamples: 16 })
    const scopes = evalScopes(db)
    expect(scopes).toHaveLength(1)
    expect(scopes[0]!.scope).toEqual({ taskSetId: fx.evalTaskSetId })
    // Baselines without a checkpoint first, then checkpoints by id; checkpoints by their names.
    expect(scopes[0]!.policies.map((p) => p.name)).toEqual(['random', 'base', 'grpo', 'leafe'])
    expect(scopes[0]!.policies.every((p) => p.tasks === 30 && p.n === 16)).toBe(true)
    expect(scopes[0]!.policies[1]).toMatchObject({ policy: `checkpoint:${fx.checkpoints.base}`, checkpointId: fx.checkpoints.base })

    const scope = { taskSetId: fx.evalTaskSetId }
    const [base] = passCurves(db, scope, [`checkpoint:${fx.checkpoints.base}`], { resamples: 200, seed: 1 })
    expect(base!.ks).toEqual([1, 2, 4, 8, 16])
    const rows = db.prepare('SELECT n, c FROM eval_results WHERE checkpoint_id = ?').all(fx.checkpoints.base) as { n: number; c: number }[]
    expect(base!.mean[2]).toBeCloseTo(rows.reduce((s, r) => s + passAtK(r.n, r.c, 4), 0) / rows.length, 12)
    expect(passCurves(db, scope, ['random'], { resamples: 0 })[0]).toMatchObject({ name: 'random', checkpointId: null, tasks: 30 })

    const cmp = comparePolicies(db, scope, `checkpoint:${fx.checkpoints.grpo}`, `checkpoint:${fx.checkpoints.leafe}`)
    expect(cmp.common).toBe(30)
    expect(cmp.both.length + cmp.onlyA.length + cmp.onlyB.length + cmp.neither.length).toBe(30)
    // The fixture's GRPO sharpens (never solves a task base cannot), its LEAFE expands.
    expect(cmp.onlyB.length).toBeGreaterThan(0)
  })

  it('uses the latest run when a policy was evaluated twice, and says what is missing', async () => {
    const { db } = openStore(':memory:')
    const fx = await writeFixtures(db, { seed: 6, evalTasks: 5, evalSamples: 8 })
    const base = `checkpoint:${fx.checkpoints.base}`
    const again = rec.createRun(db, 'eval', 'again', {}, null)
    const tasks = db.prepare('SELECT id, task_key FROM tasks WHERE task_set_id = ?').all(fx.evalTaskSetId) as { id: number; task_key: string }[]
    const insert = db.prepare('INSERT INTO eval_results (run_id, policy, checkpoint_id, task_id, task_key, n, c) VALUES (?, ?, ?, ?, ?, ?, ?)')
    for (const t of tasks) insert.run(again, base, fx.checkpoints.base, t.id, t.task_key, 4, 4)
    const counts = taskCounts(db, { taskSetId: fx.evalTaskSetId }, base)
    expect(counts.runId).toBe(again)
    expect(counts.counts.every((c) => c.n === 4 && c.c === 4)).toBe(true)
    expect(evalScopes(db)[0]!.policies.find((p) => p.policy === base)).toMatchObject({ runId: again, n: 4 })
    // Rows pointing at no stored task form a scope of their own run.
    const orphan = rec.createRun(db, 'eval', 'endpoint eval', {}, null)
    insert.run(orphan, 'endpoint:qwen', null, null, 'x', 2, 1)
    expect(evalScopes(db).find((s) => 'runId' in s.scope)).toMatchObject({ label: 'endpoint eval', policies: [{ policy: 'endpoint:qwen', name: 'endpoint:qwen', tasks: 1 }] })
    expect(() => taskCounts(db, { taskSetId: fx.evalTaskSetId }, 'checkpoint:999')).toThrow(/policy "checkpoint:999" on task set/)
    expect(() => taskCounts(db, { runId: orphan }, 'random')).toThrow(/policy "random" on eval run/)
  })
})

describe('the paired Pass@k comparison', () => {
  it('takes b − a on the common tasks, per k up to the smallest n, with the paired bootstrap interval', () => {
    const a = [{ taskKey: 't1', n: 4, c: 0 }, { taskKey: 't2', n: 8, c: 8 }, { taskKey: 'only-a', n: 4, c: 4 }]
    const b = [{ taskKey: 't1', n: 4, c: 4 }, { taskKey: 't2', n: 4, c: 4 }]
    const rows = pairedPassAtK(a, b)
    expect(rows.map((r) => r.k)).toEqual([1, 2, 4]) // n = 4 on the common tasks
    // Per-task differences (1, 0) at every k: mean 0.5; two tasks resample to 0, 0.5 or 1, so the 95 % interval is [0, 1].
    for (const r of rows) expect(r).toMatchObject({ a: 0.5, b: 1, diff: 0.5, lo: 0, hi: 1 })
    expect(pairedPassAtK(a, [{ taskKey: 'elsewhere', n: 4, c: 1 }])).toEqual([])
  })
})
