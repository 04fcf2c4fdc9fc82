import { describe, expect, it } from 'vitest'
import { compareCheckpoints, evalScopes, passCurves, taskCounts } from '../../../src-main/core/eval/results.ts'
import { passAtK } from '../../../src-main/core/eval/passk.ts'
import * as rec from '../../../src-main/core/explore/recorder.ts'
import { now, openStore } from '../../../src-main/core/store/db.ts'
import { writeFixtures } from '../../../src-main/core/store/fixtures.ts'

describe('Pass@k from stored eval results', () => {
  it('offers each task set with the checkpoints evaluated on it and recomputes curves from (n, c)', () => {
    const { db } = openStore(':memory:')
    const fx = writeFixtures(db, { seed: 5, evalTasks: 30, evalSamples: 16 })
    const scopes = evalScopes(db)
    expect(scopes).toHaveLength(1)
    expect(scopes[0]!.scope).toEqual({ taskSetId: fx.evalTaskSetId })
    expect(scopes[0]!.checkpoints.map((c) => c.name)).toEqual(['base', 'grpo', 'leafe'])
    expect(scopes[0]!.checkpoints.every((c) => c.tasks === 30 && c.n === 16)).toBe(true)

    const scope = { taskSetId: fx.evalTaskSetId }
    const [base] = passCurves(db, scope, [fx.checkpoints.base], { resamples: 200, seed: 1 })
    expect(base!.ks).toEqual([1, 2, 4, 8, 16])
    const rows = db.prepare('SELECT n, c FROM eval_results WHERE checkpoint_id = ?').all(fx.checkpoints.base) as { n: number; c: number }[]
    expect(base!.mean[2]).toBeCloseTo(rows.reduce((s, r) => s + passAtK(r.n, r.c, 4), 0) / rows.length, 12)

    const cmp = compareCheckpoints(db, scope, fx.checkpoints.grpo, fx.checkpoints.leafe)
    expect(cmp.common).toBe(30)
    expect(cmp.both.length + cmp.onlyA.length + cmp.onlyB.length + cmp.neither.length).toBe(30)
    // The fixture's GRPO sharpens (never solves a task base cannot), its LEAFE expands.
    expect(cmp.onlyB.length).toBeGreaterThan(0)
  })

  it('uses the latest run when a checkpoint was evaluated twice, and says what is missing', () => {
    const { db } = openStore(':memory:')
    const fx = writeFixtures(db, { seed: 6, evalTasks: 5, evalSamples: 8 })
    const again = rec.createRun(db, 'eval', 'again', {}, null)
    const tasks = db.prepare('SELECT id, task_key FROM tasks WHERE task_set_id = ?').all(fx.evalTaskSetId) as { id: number; task_key: string }[]
    for (const t of tasks) db.prepare('INSERT INTO eval_results (run_id, checkpoint_id, task_id, task_key, n, c) VALUES (?, ?, ?, ?, 4, 4)').run(again, fx.checkpoints.base, t.id, t.task_key)
    const counts = taskCounts(db, { taskSetId: fx.evalTaskSetId }, fx.checkpoints.base)
    expect(counts.runId).toBe(again)
    expect(counts.counts.every((c) => c.n === 4 && c.c === 4)).toBe(true)
    expect(evalScopes(db)[0]!.checkpoints.find((c) => c.id === fx.checkpoints.base)).toMatchObject({ runId: again, n: 4 })
    // Rows pointing at no stored task form a scope of their own run.
    const orphan = rec.createRun(db, 'eval', 'endpoint eval', {}, null)
    db.prepare('INSERT INTO eval_results (run_id, checkpoint_id, task_id, task_key, n, c) VALUES (?, ?, NULL, ?, 2, 1)').run(orphan, fx.checkpoints.leafe, 'x')
    expect(evalScopes(db).find((s) => 'runId' in s.scope)).toMatchObject({ label: 'endpoint eval', checkpoints: [{ id: fx.checkpoints.leafe, tasks: 1 }] })
    const cp = Number(db.prepare(`INSERT INTO checkpoints (name, created_at) VALUES ('never evaluated', ?)`).run(now()).lastInsertRowid)
    expect(() => taskCounts(db, { taskSetId: fx.evalTaskSetId }, cp)).toThrow(/checkpoint \d+ \(never evaluated\) on task set/)
    expect(() => taskCounts(db, { runId: orphan }, 9999)).toThrow(/Checkpoint 9999 was not found/)
  })
})
