import { afterEach, describe, expect, it } from 'vitest'
import { paddedBatch } from '../../../src-main/core/model/batch.ts'
import { encodeExample } from '../../../src-main/core/model/tokenizer.ts'
import { createModel, disposeModel, exportWeights, presets, type Model } from '../../../src-main/core/model/transformer.ts'
import { deriveSeed, randInt, rng } from '../../../src-main/core/random.ts'
import { shardsOf } from '../../../src-main/core/jobs/threads.ts'
import { DataParallel, trainThreads, type LossName, type Part } from '../../../src-main/core/train/data-parallel.ts'
import { rowLogProbs, tokenWeightSum, type Row } from '../../../src-main/core/train/grpo-batch.ts'
import { AdamW } from '../../../src-main/core/train/optimizer.ts'
import { stepParts } from '../../../src-main/core/train/sft-loop.ts'
import { useWasm } from '../model/tf.ts'

const config = { ...presets.nano, dModel: 32, contextLength: 24 }
const open: { dp: DataParallel<LossName>; model: Model; adam: AdamW }[] = []
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.dp.close()
    o.adam.dispose()
    disposeModel(o.model)
  }
})

/** A fresh model (the same initial weights every time), its optimizer and `threads` training threads. */
async function trainer<L extends LossName>(loss: L, threads: number) {
  await useWasm()
  const model = createModel(config, 3)
  const adam = new AdamW(model.params)
  const dp = await DataParallel.open(loss, model, threads, 'wasm')
  open.push({ dp: dp as DataParallel<LossName>, model, adam })
  return { model, adam, dp }
}

/** Examples of different lengths and two dataset weights: padding and shares differ between parts. */
function examples(n: number, seed: number) {
  const next = rng(deriveSeed(seed, 'dp'))
  return Array.from({ length: n }, (_, i) => {
    const prompt = Array.from({ length: 4 + randInt(next, 12) }, () => 'abcdef'[randInt(next, 6)]!).join('')
    return { ...encodeExample(prompt, 'xyz'.slice(0, 1 + randInt(next, 3))), weight: i % 3 === 0 ? 0.5 : 1 }
  })
}

/** The SFT loop's cut (`stepParts`), each part weighed by its tokens. */
function sftParts(xs: ReturnType<typeof examples>, threads: number): Part<'target'>[] {
  const parts = stepParts(xs, undefined, threads).map((p) => paddedBatch(p, p.map((e) => e.weight)))
  const tokens = parts.reduce((a, b) => a + b.tokens, 0)
  return parts.map((batch) => ({ input: batch, share: batch.tokens / tokens }))
}

describe('data-parallel training', () => {
  it('gives the same loss curve and weights on 1 and 2 threads (SFT)', async () => {
    const curves: number[][] = []
    const weights: Float32Array[] = []
    for (const threads of [1, 2]) {
      const { model, adam, dp } = await trainer('target', threads)
      expect(dp.threads).toBe(threads)
      const losses: number[] = []
      for (let s = 0; s < 5; s++) losses.push((await dp.step(adam, sftParts(examples(10, s), threads), 1e-2, 1)).loss)
      curves.push(losses)
      weights.push(exportWeights(model))
    }
    // It learns (the curve is not flat), and both thread counts follow the same curve.
    expect(curves[0]!.at(-1)!).toBeLessThan(curves[0]![0]! - 0.5)
    curves[1]!.forEach((l, i) => expect(l).toBeCloseTo(curves[0]![i]!, 4))
    let maxDiff = 0
    weights[0]!.forEach((w, i) => (maxDiff = Math.max(maxDiff, Math.abs(w - weights[1]![i]!))))
    expect(maxDiff).toBeLessThan(1e-4)
  })

  it('gives the same GRPO update, KL and clipped share on 1 and 2 threads', async () => {
    const results = []
    for (const threads of [1, 2]) {
      const { model, adam, dp } = await trainer('grpo', threads)
      const next = rng(7)
      const rows: Row[] = examples(9, 11).map((e, i) => {
        const targets = e.target.filter(Boolean).length
        return {
          example: e,
          advantage: i % 2 ? 1 : -0.5,
          allowed: Array.from({ length: targets }, () => new Uint8Array(config.vocabSize).fill(1)),
          drawn: Array.from({ length: targets }, (_, t) => t < targets - 1 || i % 2 === 0),
          weight: 1 / (1 + (i % 3)),
        }
      })
      const lp = rowLogProbs(model, rows, 1)
      // Old log-probs a little off the current ones, so that ratios differ from 1 and some clip.
      rows.forEach((r, i) => ((r.old = lp[i]!.map((x) => x + (next() - 0.5))), (r.ref = lp[i]!.map((x) => x - 0.1))))
      const total = tokenWeightSum(rows)
      const objective = { temperature: 1, clip: 0.2, klBeta: 0.04 }
      const parts = stepParts(rows, undefined, threads).map((p) => ({ input: { rows: p, objective }, share: tokenWeightSum(p) / total }))
      results.push(await dp.step(adam, parts, 1e-2, 1))
    }
    const [one, two] = results
    expect(one!.notes.clipped).toBeGreaterThan(0)
    expect(two!.loss).toBeCloseTo(one!.loss, 5)
    expect(two!.gradNorm).toBeCloseTo(one!.gradNorm, 4)
    expect(two!.notes.kl!).toBeCloseTo(one!.notes.kl!, 5)
    expect(two!.notes.clipped!).toBeCloseTo(one!.notes.clipped!, 5)
  })

  it('cuts parts into consecutive groups, one per thread that gets any', () => {
    expect(shardsOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4, 5]])
    expect(shardsOf([1], 3)).toEqual([[1]])
    expect(shardsOf([1, 2, 3], 1)).toEqual([[1, 2, 3]])
  })

  it('chooses threads from the config, then LEAFE_TRAIN_THREADS, then the backend and the batch', () => {
    expect(trainThreads(3, 8, 'wasm', {}, 2)).toBe(3)
    expect(trainThreads(undefined, 64, 'wasm', { LEAFE_TRAIN_THREADS: '1' }, 2)).toBe(1)
    expect(trainThreads(undefined, 64, 'wasm', {}, 2)).toBe(2)
    expect(trainThreads(undefined, 64, 'cpu', {}, 16)).toBe(8)
    expect(trainThreads(undefined, 12, 'wasm', {}, 2)).toBe(1)
    expect(trainThreads(undefined, 512, 'node', {}, 2)).toBe(1)
    expect(() => trainThreads(undefined, 64, 'wasm', { LEAFE_TRAIN_THREADS: 'two' }, 2)).toThrow('LEAFE_TRAIN_THREADS must be a whole number from 1 to 64 (it is "two").')
  })
})
