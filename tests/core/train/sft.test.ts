import { spawn } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Engine } from '../../../src-main/core/engine.ts'
import type { SftResult } from '../../../src-main/core/train/sft.ts'
import { writeSyntheticDataset } from '../../fixtures/sft-data.ts'
import { tempDir } from '../../fixtures/tmp.ts'

const engines: Engine[] = []
function engine(dataDir = tempDir()): Engine {
  const e = new Engine({ dataDir, log: () => undefined })
  engines.push(e)
  return e
}
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()))
})

const small = { start: { preset: 'nano', contextLength: 16 }, backend: 'wasm' }

describe('sft job', () => {
  it('trains in a worker, stores metrics and a checkpoint per epoch, and learns', async () => {
    const e = engine()
    const cf = writeSyntheticDataset(e.opts.dataDir, 300, 1, 'cf.jsonl')
    const reh = writeSyntheticDataset(e.opts.dataDir, 100, 2, 'reh.jsonl')
    const job = e.jobs.start('sft', {
      config: { ...small, name: 'unit', datasets: [{ path: cf }, { path: reh, weight: 0.5 }], epochs: 3, batchSize: 32, lr: 5e-3, warmupSteps: 5 },
    })
    const done = await e.jobs.waitFor(job.id)
    expect(done.error).toBeNull()
    const r = done.result as SftResult
    expect(r).toMatchObject({ epochs: 3, resumedFrom: null, backend: 'wasm' })
    expect(r.trainExamples + r.evalExamples).toBe(400)
    const cks = e.db.prepare('SELECT id, parent_id, run_id, path, content_hash FROM checkpoints ORDER BY id').all() as { id: number; parent_id: number | null; run_id: number; path: string }[]
    expect(cks).toHaveLength(3)
    expect(cks.map((c) => c.parent_id)).toEqual([null, cks[0]!.id, cks[1]!.id])
    expect(cks.every((c) => c.run_id === r.runId && existsSync(join(e.opts.dataDir, c.path, 'weights.bin')))).toBe(true)
    const run = e.db.prepare('SELECT kind, status FROM runs WHERE id = ?').get(r.runId)
    expect(run).toEqual({ kind: 'sft', status: 'done' })
    const losses = e.db.prepare(`SELECT value FROM train_metrics WHERE run_id = ? AND split = 'train' AND name = 'loss' ORDER BY step`).all(r.runId) as { value: number }[]
    expect(losses).toHaveLength(r.steps)
    const evals = e.db.prepare(`SELECT value FROM train_metrics WHERE run_id = ? AND split = 'eval' ORDER BY step`).all(r.runId) as { value: number }[]
    expect(evals).toHaveLength(3)
    expect(evals[2]!.value).toBeLessThan(0.5 * Math.log(260)) // far below a uniform guess; the task is learnable
    expect(losses.at(-1)!.value).toBeLessThan(losses[0]!.value)
  })

  it('trains on 2 threads along the loss curve of 1 thread, and records the thread count in the run', async () => {
    const e = engine()
    const data = writeSyntheticDataset(e.opts.dataDir, 80, 4, 'dp.jsonl')
    const curves: number[][] = []
    for (const trainThreads of [1, 2]) {
      const job = e.jobs.start('sft', { config: { ...small, name: `threads ${trainThreads}`, datasets: [{ path: data }], epochs: 1, batchSize: 16, lr: 5e-3, warmupSteps: 1, trainThreads } })
      const done = await e.jobs.waitFor(job.id)
      expect(done.error).toBeNull()
      const { runId } = done.result as SftResult
      expect(JSON.parse((e.db.prepare('SELECT config FROM runs WHERE id = ?').get(runId) as { config: string }).config).trainThreads).toBe(trainThreads)
      curves.push((e.db.prepare(`SELECT value FROM train_metrics WHERE run_id = ? AND name = 'loss' ORDER BY step`).all(runId) as { value: number }[]).map((r) => r.value))
    }
    expect(curves[0]!.length).toBeGreaterThanOrEqual(4)
    expect(curves[1]!.length).toBe(curves[0]!.length)
    curves[1]!.forEach((l, i) => expect(l).toBeCloseTo(curves[0]![i]!, 4))
  })

  it('refuses a bad dataset line with its file and line before the job exists, and stores nothing', () => {
    const e = engine()
    const path = join(e.opts.dataDir, 'bad.jsonl')
    writeFileSync(path, '{"prompt": "a", "target": "b"}\n{"prompt": 3}\n')
    expect(() => e.jobs.start('sft', { config: { ...small, datasets: [{ path }] } })).toThrow(
      `Invalid parameters for sft: config.datasets.0.path: ${path}, line 2: needs string fields "prompt" and "target" (or chat "messages" with a user and an assistant turn).`,
    )
    for (const table of ['jobs', 'runs', 'checkpoints']) expect(e.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get()).toEqual({ n: 0 })
  })

  it('refuses an example longer than the model\'s context in the job, before a run exists', async () => {
    const e = engine()
    const path = join(e.opts.dataDir, 'long.jsonl')
    writeFileSync(path, `{"prompt": "a", "target": "b"}\n${JSON.stringify({ prompt: 'x'.repeat(40), target: 'b' })}\n`)
    const done = await e.jobs.waitFor(e.jobs.start('sft', { config: { ...small, datasets: [{ path }] } }).id)
    expect(done.status).toBe('failed')
    expect(done.error).toMatch(/line 2: the example is \d+ tokens long, more than the model's context of 16\.$/)
    expect(e.db.prepare('SELECT COUNT(*) AS n FROM runs').get()).toEqual({ n: 0 })
  })

  it('a training process SIGKILLed mid-epoch resumes from its last checkpoint and finishes', async () => {
    const dataDir = tempDir()
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/sft-host.ts', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] })
    // 432 train examples / batch 8 = 54 steps per epoch: kill well inside the second epoch.
    await new Promise<void>((resolve, reject) => {
      child.on('exit', () => reject(new Error('the training process ended before it was killed')))
      child.stdout!.on('data', (chunk: Buffer) => {
        const last = chunk.toString().trim().split('\n').at(-1)!.split(' ')
        if (Number(last[1]) >= 54 + 10) resolve()
      })
    })
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))

    const e = engine(dataDir)
    const [job] = e.jobs.list()
    expect(job!.status).toBe('interrupted')
    expect(e.db.prepare('SELECT COUNT(*) AS n FROM checkpoints').get()).toEqual({ n: 1 })
    e.jobs.resume(job!.id)
    const done = await e.jobs.waitFor(job!.id)
    expect(done.error).toBeNull()
    const r = done.result as SftResult
    expect(r).toMatchObject({ resumedFrom: 1, epochs: 3, steps: 3 * 54 })
    expect(e.db.prepare('SELECT COUNT(*) AS n FROM checkpoints').get()).toEqual({ n: 3 })
    // Every step's metrics exactly once: the lost part of epoch 2 was dropped and redone.
    const steps = e.db.prepare(`SELECT step FROM train_metrics WHERE run_id = ? AND split = 'train' AND name = 'loss' ORDER BY step`).all(r.runId) as { step: number }[]
    expect(steps.map((s) => s.step)).toEqual(Array.from({ length: 3 * 54 }, (_, i) => i + 1))
  })
})
