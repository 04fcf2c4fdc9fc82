// LoRA SFT on an imported model (a tiny random Qwen2 in the real HF format): bad data leaves no
// job or run behind, a resumed run continues with its AdamW moments and ends where an
// uninterrupted one does, and a batch computed in microbatches takes the same step as one pass.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Engine } from '../../../src-main/core/engine.ts'
import { saveCheckpoint } from '../../../src-main/core/model/checkpoint.ts'
import { importSnapshot, loadHfCheckpoint } from '../../../src-main/core/model/hf/checkpoint.ts'
import { createModel, exportWeights, presets } from '../../../src-main/core/model/transformer.ts'
import { loraParams } from '../../../src-main/core/model/hf/lora.ts'
import { run as lora } from '../../../src-main/core/train/lora-sft.ts'
import { SftConfig, type SftInput } from '../../../src-main/shared/jobs/train.ts'
import type { SftResult, SftState } from '../../../src-main/core/train/sft.ts'
import { importedTinyModel, writeTinyModel } from '../../fixtures/hf-models.ts'
import { inlineJobContext } from '../../fixtures/job-context.ts'
import { tempDir } from '../../fixtures/tmp.ts'
import { useWasm } from '../model/tf.ts'

beforeAll(async () => {
  await useWasm()
})

const engines: Engine[] = []
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()))
})

/** Replies of different lengths, so that a mean over microbatches of means would not be the batch's mean. */
function writeData(dir: string, n: number): string {
  const path = join(dir, 'data.jsonl')
  const lines = Array.from({ length: n }, (_, i) => JSON.stringify({ system: 'Answer.', prompt: `item ${i}`, target: 'go ' + 'ab'.repeat(1 + (i % 4)) }))
  writeFileSync(path, lines.join('\n') + '\n')
  return path
}

function setup() {
  const s = importedTinyModel('qwen2')
  return { ...s, data: writeData(s.dataDir, 12) }
}

const adapterValues = (s: ReturnType<typeof setup>, id: number) => {
  const m = loadHfCheckpoint(s.db, s.dataDir, id)
  return Object.fromEntries(Object.entries(loraParams(m.lora!.lora)).map(([n, v]) => [n, Array.from(v.dataSync())]))
}

function maxDifference(a: Record<string, number[]>, b: Record<string, number[]>): number {
  let d = 0
  for (const n of Object.keys(a)) a[n]!.forEach((x, i) => (d = Math.max(d, Math.abs(x - b[n]![i]!))))
  return d
}

const config = (s: ReturnType<typeof setup>, more: Partial<SftInput> = {}) =>
  SftConfig.parse({
    name: 'lora', start: { checkpoint: s.base.id }, datasets: [{ path: s.data }], eval: { share: 0 }, epochs: 2, batchSize: 4, lr: 2e-2, warmupSteps: 1,
    weightDecay: 0.1, backend: 'wasm', lora: { r: 4, alpha: 8, dropout: 0, targetModules: ['q_proj', 'v_proj', 'down_proj'] }, ...more,
  })

/** An engine (jobs are started through it, so refusals are checked before a job exists) with a tiny Qwen2 imported. */
function engineWithImported() {
  const dataDir = tempDir()
  const e = new Engine({ dataDir, log: () => undefined })
  engines.push(e)
  const src = join(tempDir(), 'qwen-tiny')
  writeTinyModel(src, 'qwen2')
  return { dataDir, e, base: importSnapshot(e.db, dataDir, src) }
}

describe('LoRA SFT job', () => {
  it('refuses a dataset that does not parse before the job exists, and one too long for the model before a run exists', async () => {
    const { dataDir, e, base } = engineWithImported()
    const bad = join(dataDir, 'bad.jsonl')
    writeFileSync(bad, '{"prompt": "a", "target": "b"}\n{"prompt": "a", "target": ""}\n')
    expect(() => e.jobs.start('sft', { config: { start: { checkpoint: base.id }, datasets: [{ path: bad }], backend: 'wasm' } })).toThrow(
      `Invalid parameters for sft: config.datasets.0.path: ${bad}, line 2: the target is empty.`,
    )
    expect(e.db.prepare('SELECT COUNT(*) AS n FROM jobs').get()).toEqual({ n: 0 })

    // Only the model's tokeniser knows this example is longer than its 64 positions.
    const long = join(dataDir, 'long.jsonl')
    writeFileSync(long, `{"prompt": "a", "target": "b"}\n${JSON.stringify({ prompt: 'x'.repeat(80), target: 'b' })}\n`)
    const job = e.jobs.start('sft', { config: { start: { checkpoint: base.id }, datasets: [{ path: long }], backend: 'wasm' } })
    const done = await e.jobs.waitFor(job.id)
    expect(done.status).toBe('failed')
    expect(done.error).toMatch(new RegExp(`^${long.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, line 2: the example is \\d+ tokens long, more than the model's context of 64\\.$`))
    expect(e.db.prepare('SELECT COUNT(*) AS n FROM runs').get()).toEqual({ n: 0 })
    expect(e.db.prepare('SELECT COUNT(*) AS n FROM checkpoints').get()).toEqual({ n: 1 }) // the base only
  }, 120_000)

  it('refuses LoRA on a byte-level start before a job exists: sft from a preset or a checkpoint, LEAFE Stage 2, GRPO, Early Experience', () => {
    const dataDir = tempDir()
    const e = new Engine({ dataDir, log: () => undefined })
    engines.push(e)
    const model = createModel({ ...presets.nano, contextLength: 16 }, 1)
    const bytes = saveCheckpoint(e.db, dataDir, { config: model.config, weights: exportWeights(model), meta: {} }, { name: 'bytes' })
    const data = writeData(dataDir, 4)
    const lora = { r: 4, alpha: 8 }
    const refused = (path: string) => `${path}: LoRA needs an imported Hugging Face model as the start (leafe model import); the built-in byte-level model trains all its weights.`
    expect(() => e.jobs.start('sft', { config: { start: { preset: 'nano' }, datasets: [{ path: data }], lora } })).toThrow(refused('config.lora'))
    expect(() => e.jobs.start('sft', { config: { start: { checkpoint: bytes.id }, datasets: [{ path: data }], lora } })).toThrow(refused('config.lora'))
    expect(() => e.jobs.start('leafe_sft', { config: { from: bytes.id, train: { lora } } })).toThrow(refused('config.train.lora'))
    expect(() => e.jobs.start('grpo', { config: { from: bytes.id, env: 'sokoban', tasks: { split: 'train', count: 2 }, lora } })).toThrow(refused('config.lora'))
    expect(() => e.jobs.start('early_experience', { config: { from: bytes.id, env: 'sokoban', tasks: { split: 'train', count: 2 }, train: { lora } } })).toThrow(refused('config.train.lora'))
    expect(e.db.prepare('SELECT COUNT(*) AS n FROM jobs').get()).toEqual({ n: 0 })
  })

  it('refuses the reading job on an imported model before a job exists: the compact experience codes are the byte-level model\'s', () => {
    const { e, base } = engineWithImported()
    expect(() => e.jobs.start('reading', { config: { from: base.id, env: 'sokoban', tasks: { split: 'train', count: 2 } } })).toThrow(
      `config.from: checkpoint ${base.id} is an imported Hugging Face model; reading teaches the built-in byte-level model the compact experience codes, and an imported model reads the experience as text.`,
    )
    expect(e.db.prepare('SELECT COUNT(*) AS n FROM jobs').get()).toEqual({ n: 0 })
  })

  it('a run stopped after its first epoch resumes with its AdamW moments and ends where an uninterrupted run ends', async () => {
    const s = setup()
    const whole = (await lora(inlineJobContext(s.db, s.dataDir, { config: {} }).ctx, config(s))) as SftResult

    const first = inlineJobContext(s.db, s.dataDir, { config: {} })
    const progress = first.ctx.progress
    first.ctx.progress = (done, total, message) => {
      progress(done, total, message)
      if (message?.includes('epoch 1/2 saved')) first.abort.abort()
    }
    await expect(lora(first.ctx, config(s))).rejects.toThrow()
    const state = first.captured.state as SftState
    expect(state).toMatchObject({ epoch: 1, step: 3 })
    const stopped = loadHfCheckpoint(s.db, s.dataDir, state.checkpointId!)
    expect(stopped.optimizer).toMatchObject({ step: 3 })
    expect(stopped.optimizer!.names).toEqual(Object.keys(loraParams(stopped.lora!.lora)))

    const again = inlineJobContext(s.db, s.dataDir, { config: {} }, state)
    const resumed = (await lora(again.ctx, config(s))) as SftResult
    expect(resumed).toMatchObject({ resumedFrom: 1, steps: whole.steps, runId: state.runId })
    expect(maxDifference(adapterValues(s, resumed.checkpointId), adapterValues(s, whole.checkpointId))).toBeLessThan(1e-5)
    expect(loadHfCheckpoint(s.db, s.dataDir, resumed.checkpointId).optimizer!.step).toBe(6)
  }, 120_000)

  it('a batch of 2k computed as two microbatches of k takes the same step as one pass', async () => {
    const s = setup()
    const one = (await lora(inlineJobContext(s.db, s.dataDir, { config: {} }).ctx, config(s, { epochs: 1, batchSize: 6 }))) as SftResult
    const two = (await lora(inlineJobContext(s.db, s.dataDir, { config: {} }).ctx, config(s, { epochs: 1, batchSize: 6, microBatch: 3 }))) as SftResult
    const small = (await lora(inlineJobContext(s.db, s.dataDir, { config: {} }).ctx, config(s, { epochs: 1, batchSize: 3 }))) as SftResult
    expect([one.steps, two.steps, small.steps]).toEqual([2, 2, 4])
    const [a, b, c] = [one, two, small].map((r) => adapterValues(s, r.checkpointId))
    expect(maxDifference(a!, b!)).toBeLessThan(1e-5)
    // Batches of 3 are a different run altogether: what the tolerance above is measured against.
    expect(maxDifference(a!, c!)).toBeGreaterThan(1e-3)
    const losses = (runId: number) => (s.db.prepare(`SELECT value FROM train_metrics WHERE run_id = ? AND name = 'loss' ORDER BY step`).all(runId) as { value: number }[]).map((r) => r.value)
    losses(one.runId).forEach((l, i) => expect(losses(two.runId)[i]).toBeCloseTo(l, 5))
  }, 120_000)
})
