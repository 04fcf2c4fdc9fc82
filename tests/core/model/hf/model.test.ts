import * as tf from '@tensorflow/tfjs-core'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { checkSnapshot } from '../../../../src-main/core/model/hf/checkpoint.ts'
import { generateHf, nextLogProbs } from '../../../../src-main/core/model/hf/generate.ts'
import { buildHfModel, disposeHfModel, hfForward } from '../../../../src-main/core/model/hf/model.ts'
import { rawBytes, toFloat32 } from '../../../../src-main/core/model/hf/safetensors.ts'
import { FAMILIES } from '../../../../src-main/core/model/hf/config.ts'
import { leftPad } from '../../../../src-main/core/model/batch.ts'
import { reference, torchMissing, writeTinyModel } from '../../../fixtures/hf-models.ts'
import { tempDir } from '../../../fixtures/tmp.ts'
import { useWasm } from '../tf.ts'

beforeAll(async () => {
  await useWasm()
})

function load(dir: string) {
  const checked = checkSnapshot(dir)
  return buildHfModel(checked.config, (name) => {
    const { file, name: stored } = checked.tensors.get(name)!
    return toFloat32(rawBytes(file, stored), file.entries.get(stored)!.dtype)
  })
}

const PROMPTS = [
  [256, 104, 101, 108, 108, 111, 32, 119],
  [256, 7, 200, 13],
  [256, 33, 34, 35, 36, 37],
]

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length)
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!))
  return m
}

// The cases cover each family, each stored dtype, a sharded index and GPT-2's legacy names.
const CASES = [
  { family: 'gpt2', dtype: 'F32', legacyNames: true },
  { family: 'gpt2', dtype: 'F16', sharded: true },
  { family: 'llama', dtype: 'F32' },
  { family: 'llama', dtype: 'BF16', sharded: true },
  { family: 'qwen2', dtype: 'F32' },
  { family: 'qwen2', dtype: 'F16' },
] as const

describe.skipIf(torchMissing !== null)('imported models against the PyTorch reference (tests/fixtures/hf_reference.py)', () => {
  for (const c of CASES) {
    it(`${c.family} ${c.dtype}${'sharded' in c ? ' sharded' : ''}${'legacyNames' in c ? ' legacy names' : ''}: logits within 1e-4 of torch, on left-padded batches`, () => {
      const dir = join(tempDir(), 'm')
      writeTinyModel(dir, c.family, c)
      const m = load(dir)
      const ref = reference<{ logits: number[][][] }>({ cmd: 'forward', dir, ids: PROMPTS })
      // One left-padded batch: padding and per-row positions must not change any row's logits.
      const host = leftPad(PROMPTS)
      const logits = tf.tidy(() => hfForward(m, { B: host.B, T: host.Tq, ids: host.ids, pos: host.pos, mask: tf.tensor4d(host.mask, [host.B, 1, host.Tq, host.Tk]) }).logits)
      const all = logits.arraySync()
      logits.dispose()
      PROMPTS.forEach((_, b) => {
        const mine = all.slice(b * host.Tq + host.pad[b]!, (b + 1) * host.Tq).flat()
        const spread = Math.max(...ref.logits[b]!.flat()) - Math.min(...ref.logits[b]!.flat())
        expect(spread).toBeGreaterThan(1) // the random model is not degenerate
        expect(maxAbsDiff(mine, ref.logits[b]!.flat())).toBeLessThan(1e-4)
      })
      disposeHfModel(m)
    })
  }

  for (const family of FAMILIES) {
    it(`${family}: KV-cache greedy generation equals torch's full-recompute greedy tokens`, () => {
      const dir = join(tempDir(), 'm')
      writeTinyModel(dir, family, { seed: 11 })
      const m = load(dir)
      const n = 12
      const mine = generateHf(m, PROMPTS, { maxTokens: n, temperature: 0, stop: [] })
      PROMPTS.forEach((p, b) => {
        const ref = reference<{ tokens: number[] }>({ cmd: 'greedy', dir, ids: p, n })
        expect(mine[b]).toEqual(ref.tokens)
      })
      disposeHfModel(m)
    })
  }
})

describe('imported models without torch', () => {
  it('next-token log-probabilities are normalised and agree with the full forward', () => {
    const dir = join(tempDir(), 'm')
    writeTinyModel(dir, 'llama')
    const m = load(dir)
    const [lp] = nextLogProbs(m, [PROMPTS[0]!])
    const total = lp!.reduce((s, v) => s + Math.exp(v), 0)
    expect(total).toBeCloseTo(1, 5)
    // Stop ids end a row and are not returned.
    const greedy = generateHf(m, [PROMPTS[0]!], { maxTokens: 1, temperature: 0, stop: [] })[0]!
    const best = lp!.indexOf(Math.max(...lp!))
    expect(greedy).toEqual([best])
    expect(generateHf(m, [PROMPTS[0]!], { maxTokens: 5, temperature: 0, stop: [best] })[0]).toEqual([])
    disposeHfModel(m)
  })
})
