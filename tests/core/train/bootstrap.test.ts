import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { Engine } from '../../../src-main/core/engine.ts'
import { registerEnvironment } from '../../../src-main/core/envs/registry.ts'
import { demonstrationsWithMistakes } from '../../../src-main/core/train/base.ts'
import { bootstrapBase } from '../../../src-main/core/train/bootstrap.ts'
import { Job } from '../../../src-main/shared/jobs/kinds.ts'
import { lineEnv } from '../../fixtures/line-env.ts'
import { tempDir } from '../../fixtures/tmp.ts'

registerEnvironment(lineEnv)
const engines: Engine[] = []
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()))
})

describe('base bootstrap', () => {
  it('injects mistakes, and the expert re-plans from the state they lead to', async () => {
    const tasks = lineEnv.tasks('train', 60, 0)
    const clean = await demonstrationsWithMistakes({ env: lineEnv, tasks, mistakeRate: 0, seed: 1 })
    expect(clean.mistakes).toBe(0)
    expect(clean.pairs.every((p) => p.target === 'r')).toBe(true)
    expect(clean.solved).toBe(60)
    const noisy = await demonstrationsWithMistakes({ env: lineEnv, tasks, mistakeRate: 0.3, seed: 1 })
    expect(noisy.mistakes).toBeGreaterThan(10)
    // By default the mistaken steps are not targets: only the states they lead to, with the
    // expert's re-planned actions — so the demonstrations grow and still mostly reach the goal.
    expect(noisy.pairs.every((p) => p.target === 'r')).toBe(true)
    expect(noisy.pairs.length).toBeGreaterThan(clean.pairs.length)
    expect(noisy.solved).toBeGreaterThan(50)
    expect(await demonstrationsWithMistakes({ env: lineEnv, tasks, mistakeRate: 0.3, seed: 1 })).toEqual(noisy)
    const withMistakes = await demonstrationsWithMistakes({ env: lineEnv, tasks, mistakeRate: 0.3, seed: 1, trainOnMistakes: true })
    expect(withMistakes.pairs.filter((p) => p.target === 'l')).toHaveLength(withMistakes.mistakes)
    expect(withMistakes.pairs.length).toBe(noisy.pairs.length + noisy.mistakes)
  })

  it('trains a base checkpoint and measures it on validation tasks against random play and the solver', async () => {
    const e = new Engine({ dataDir: tempDir(), log: () => undefined })
    engines.push(e)
    // The line world is registered in this thread only: stand-in kinds run the real base and eval
    // jobs in worker threads whose registry holds it too.
    for (const real of ['base', 'eval'] as const) {
      e.jobs.register({
        kind: `test.${real}-line`, label: `${real} (line)`, params: z.object({ config: z.unknown() }), title: () => `${real} line`, resumable: true,
        moduleUrl: new URL(`../../fixtures/${real}-line-job.ts`, import.meta.url).href,
      })
    }
    const started: { kind: string; params: unknown }[] = []
    const r = await bootstrapBase(
      { env: 'line', params: {}, model: 'nano', tasks: 40, epochs: 6, batchSize: 16, lr: 5e-3, mistakeRate: 0.1, evalTasks: 12, seed: 3 },
      {
        runJob: (kind, params) => {
          started.push({ kind, params })
          // Bootstrap reads the stand-in's result as the kind it asked for, checked against that kind's schema.
          return e.jobs.waitFor(e.jobs.start(`test.${kind}-line`, params).id).then((job) => Job.parse({ ...job, kind }))
        },
      },
    )
    // Every seed is judged on the same validation tasks (test is kept for final comparisons): the seed moves the training data only.
    const evalParams = started.find((s) => s.kind === 'eval')!.params as { config: { tasks: { split: string; seed: number } } }
    expect(evalParams.config.tasks).toMatchObject({ split: 'valid', seed: 0 })
    expect(readFileSync(r.dataset, 'utf8').trim().split('\n')).toHaveLength(r.demonstrations.steps)
    expect(r.heldOut.tasks).toBe(12)
    expect(r.heldOut.solver).toBe(1)
    expect(r.heldOut.base).toBeGreaterThan(r.heldOut.random)
    const ck = e.db.prepare('SELECT name FROM checkpoints WHERE id = ?').get(r.checkpointId) as { name: string }
    expect(ck.name).toBe('base line (nano) · epoch 6')
  })
})
