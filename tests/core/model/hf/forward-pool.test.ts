// Imported-model forwards over several threads: the calling thread and a helper, each with its
// own copy of the model loaded from the same checkpoint, give the one-thread scores (and logits)
// in the batch's order, with and without an adapter; a closed pool leaves no thread running.
import * as tf from '@tensorflow/tfjs-core'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadHfFolder, saveAdapterCheckpoint } from '../../../../src-main/core/model/hf/checkpoint.ts'
import type { Family } from '../../../../src-main/core/model/hf/config.ts'
import { forwardLogits, HfForwardPool, hfThreads, labelLogProbSums, type HfScorer } from '../../../../src-main/core/model/hf/forward-pool.ts'
import { createLora } from '../../../../src-main/core/model/hf/lora.ts'
import { openHfPolicy } from '../../../../src-main/core/policies/factory.ts'
import type { Context } from '../../../../src-main/core/envs/types.ts'
import { rng, randInt } from '../../../../src-main/core/random.ts'
import { corridorEnv } from '../../../fixtures/corridor-env.ts'
import { importedTinyModel } from '../../../fixtures/hf-models.ts'
import { useWasm } from '../tf.ts'

beforeAll(async () => {
  await useWasm()
})

const pools: HfForwardPool[] = []
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()))
})

/** Examples of different lengths (a prompt, then 1–3 target tokens), each scoring differently. */
function examples(n: number, seed: number) {
  const next = rng(seed)
  return Array.from({ length: n }, () => {
    const prompt = 2 + randInt(next, 12)
    const target = 1 + randInt(next, 3)
    return { ids: Array.from({ length: prompt + target }, () => randInt(next, 256)), target: Array.from({ length: prompt + target }, (_, i) => i >= prompt) }
  })
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length)
  return Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)))
}

async function openPool(folder: string): Promise<HfForwardPool> {
  const pool = await HfForwardPool.open({ folder }, 1, 'wasm')
  pools.push(pool)
  return pool
}

describe('HfForwardPool', () => {
  it.each(['gpt2', 'llama', 'qwen2'] as Family[])('%s: 2 threads score a batch as 1 thread does, in the batch order', async (family) => {
    const { base } = importedTinyModel(family)
    const local: HfScorer = { model: loadHfFolder(base.path).model }
    const ex = examples(21, 7)
    const one = labelLogProbSums(local, ex, 4)
    const pool = await openPool(base.path)
    expect(pool.threads).toBe(2)
    const two = await pool.labelLogProbSums(local, ex, 4, 2)
    expect(maxDiff(two, one)).toBeLessThan(1e-5)
    // Each example scores differently, so a shard out of place would show.
    expect(new Set(one.map((v) => v.toFixed(4))).size).toBe(ex.length)
    // Fewer rows than threads: the calling thread alone.
    expect(await pool.labelLogProbSums(local, ex.slice(0, 1), 4, 2)).toEqual(one.slice(0, 1))
  })

  it('loads an adapter checkpoint with its adapter in the helper: 2 threads score as 1 with it', async () => {
    const { db, dataDir, base } = importedTinyModel('llama')
    const loaded = loadHfFolder(base.path)
    const spec = { r: 4, alpha: 8, dropout: 0, targetModules: ['q_proj', 'v_proj'] }
    const lora = createLora(loaded.config, spec, 3)
    let i = 0
    for (const l of lora.layers.values()) tf.tidy(() => l.B.assign(tf.randomNormal(l.B.shape, 0, 0.3, 'float32', ++i)))
    const saved = saveAdapterCheckpoint(db, dataDir, loaded, spec, lora, { name: 'adapter', parentId: base.id })
    const ex = examples(16, 3)
    const withAdapter = labelLogProbSums({ model: loaded.model, lora }, ex, 8)
    expect(maxDiff(withAdapter, labelLogProbSums({ model: loaded.model }, ex, 8))).toBeGreaterThan(1e-3) // the adapter matters
    const pool = await openPool(saved.path)
    expect(maxDiff(await pool.labelLogProbSums({ model: loaded.model, lora }, ex, 8, 2), withAdapter)).toBeLessThan(1e-5)
  })

  it('computes whole-sequence logits on 2 threads as on 1, shards in order', async () => {
    const { base } = importedTinyModel('gpt2')
    const local: HfScorer = { model: loadHfFolder(base.path).model }
    const next = rng(5)
    const seqs = Array.from({ length: 5 }, () => Array.from({ length: 9 }, () => randInt(next, 272)))
    const one = forwardLogits(local, seqs)
    const pool = await openPool(base.path)
    const shards = await pool.forwardLogits(local, seqs, 2)
    expect(shards.map((s) => s.length)).toEqual([2, 3].map((b) => b * 9 * 272))
    const two = new Float32Array(one.length)
    two.set(shards[0]!, 0)
    two.set(shards[1]!, shards[0]!.length)
    expect(maxDiff(two, one)).toBeLessThan(1e-5)
  })

  it('refuses a folder that is not an imported checkpoint when it starts, naming the file', async () => {
    const { dataDir } = importedTinyModel('llama')
    await expect(HfForwardPool.open({ folder: join(dataDir, 'nothing') }, 1, 'wasm')).rejects.toThrow(/nothing\/leafe-hf\.json: missing file\.$/)
  })

  it('stops its helper threads on close: a process that used one exits', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../../../fixtures/hf-pool-exit.ts')], { encoding: 'utf8', timeout: 120_000 })
    expect(r.signal, r.stderr).toBeNull()
    expect([r.status, r.stdout.trim()]).toEqual([0, '4'])
  }, 150_000)
})

describe('hfThreads', () => {
  it('takes the request, then LEAFE_HF_THREADS, else one per core on wasm and cpu where every thread gets 8 rows', () => {
    expect(hfThreads(3, 4, 'wasm', {}, 2)).toBe(3)
    expect(hfThreads(undefined, 64, 'wasm', { LEAFE_HF_THREADS: '1' }, 2)).toBe(1)
    expect(hfThreads(undefined, 64, 'wasm', {}, 2)).toBe(2)
    expect(hfThreads(undefined, 15, 'wasm', {}, 2)).toBe(1)
    expect(hfThreads(undefined, 512, 'node', {}, 2)).toBe(1)
    expect(() => hfThreads(undefined, 64, 'wasm', { LEAFE_HF_THREADS: '0' }, 2)).toThrow('LEAFE_HF_THREADS must be a whole number from 1 to 64 (it is "0").')
  })
})

describe('HfPolicy on threads', () => {
  it('scores the choices of many contexts on 2 threads as on 1', async () => {
    const env = corridorEnv({ length: 3, trapAt: 1, stepLimit: 4 })
    // A context long enough for the chat template around the readable prompt.
    const { db, dataDir, base } = importedTinyModel('llama', { configOverride: { max_position_embeddings: 256 } })
    const [task] = env.tasks('train', 1, 1)
    const initial = { observation: 'cell 0', feedback: 'start', reward: 0, done: false, success: false, valid: true }
    const pairs = Array.from({ length: 12 }, (_, i) => ({ context: { task: task!, initial: { ...initial, observation: `cell ${i}` }, history: [] } as Context, action: i % 2 ? 'a' : 'b' }))
    const scores: number[][] = []
    for (const threads of [1, 2]) {
      const policy = await openHfPolicy(db, dataDir, base.id, env, 'wasm', threads)
      try {
        scores.push(await policy.logProbs(pairs))
      } finally {
        await policy.close()
      }
    }
    expect(maxDiff(scores[1]!, scores[0]!)).toBeLessThan(1e-5)
    expect(new Set(scores[0]!.map((v) => v.toFixed(4))).size).toBe(pairs.length)
  })
})
