import { beforeAll, describe, expect, it } from 'vitest'
import { packedBatch, paddedBatch } from '../../../src-main/core/model/batch.ts'
import { oneHotF32 } from '../../../src-main/core/model/ops.ts'
import { targetLoss } from '../../../src-main/core/model/score.ts'
import { encodeExample } from '../../../src-main/core/model/tokenizer.ts'
import { createModel, disposeModel, exportWeights, paramCount, presets } from '../../../src-main/core/model/transformer.ts'
import { AdamW, trainStep } from '../../../src-main/core/train/optimizer.ts'
import { useWasm } from './tf.ts'

let tf: Awaited<ReturnType<typeof useWasm>>
beforeAll(async () => {
  tf = await useWasm()
})

const tiny = { ...presets.nano, dModel: 32, nLayers: 2, nHeads: 2, contextLength: 48 }

describe('transformer on wasm', () => {
  it('has presets of the advertised sizes', () => {
    expect(paramCount(presets.nano)).toBeGreaterThan(40_000)
    expect(paramCount(presets.nano)).toBeLessThan(60_000)
    expect(paramCount(presets.micro)).toBe(121_728)
    expect(paramCount(presets.tiny)).toBeGreaterThan(400_000)
    expect(paramCount(presets.tiny)).toBeLessThan(600_000)
    expect(paramCount(presets.small)).toBeGreaterThan(4_000_000)
    expect(paramCount(presets.small)).toBeLessThan(6_000_000)
  })

  it('initialises every weight from the seed alone, seed 0 included (tf.randomNormal reads seed 0 as none)', () => {
    for (const seed of [0, 1]) {
      const [a, b] = [createModel(presets.nano, seed), createModel(presets.nano, seed)]
      expect(Array.from(exportWeights(a))).toEqual(Array.from(exportWeights(b)))
      disposeModel(a)
      disposeModel(b)
    }
    const [zero, one] = [createModel(presets.nano, 0), createModel(presets.nano, 1)]
    expect(Array.from(exportWeights(zero))).not.toEqual(Array.from(exportWeights(one)))
    disposeModel(zero)
    disposeModel(one)
  })

  it('oneHot trap: oneHot(..., float32) is all zeros on wasm, oneHotF32 is right', () => {
    const idx = tf.tensor1d([0, 2, 1], 'int32')
    const good = oneHotF32(idx, 3).arraySync()
    expect(good).toEqual([[1, 0, 0], [0, 0, 1], [0, 1, 0]])
    // The trap: wasm writes the int32 bit pattern of 1 into float32 (1.4e-45), so a loss built on
    // it is silently ~0. If a tfjs update fixes this, the test says so and oneHotF32 stays right.
    const direct = (tf.oneHot(idx, 3, 1, 0, 'float32').arraySync() as number[][]).flat()
    expect(direct.reduce((a, b) => a + b, 0)).toBeLessThan(1e-30)
  })

  it('overfits a tiny dataset to near-zero loss', () => {
    const m = createModel(tiny, 8)
    const opt = new AdamW(m.params)
    const data = ['#@ $.', '# @$.', '#$@ .', '. $@#', '@#.$ ', '$ .#@', '.@ #$', ' #$.@'].map((s, i) => encodeExample(s, 'udlr'[i % 4]!))
    const batch = paddedBatch(data)
    let loss = Infinity
    for (let s = 0; s < 250 && loss > 0.01; s++) loss = trainStep(m.params, opt, () => targetLoss(m.params, m.config, batch), 5e-3, 1).loss
    expect(loss).toBeLessThan(0.02)
    opt.dispose()
    disposeModel(m)
  })

  it('masks the loss: labels at prompt positions do not count, labels at target positions do', () => {
    const m = createModel(tiny, 3)
    const batch = paddedBatch([encodeExample('#@ $.', 'ud'), encodeExample('. $@# #', 'l')])
    const loss = (b: typeof batch) => tf.tidy(() => targetLoss(m.params, m.config, b).dataSync()[0]!)
    const prompt = [...batch.weights.keys()].filter((i) => batch.weights[i] === 0)
    const target = [...batch.weights.keys()].filter((i) => batch.weights[i]! > 0)
    expect(prompt.length).toBeGreaterThan(0)
    expect(target).toHaveLength(5) // 'ud' + EOS, 'l' + EOS
    const promptChanged = { ...batch, labels: batch.labels.map((t, i) => (prompt.includes(i) ? (t + 17) % 256 : t)) }
    expect(loss(promptChanged)).toBe(loss(batch))
    const targetChanged = { ...batch, labels: batch.labels.map((t, i) => (i === target[0] ? (t + 17) % 256 : t)) }
    expect(Math.abs(loss(targetChanged) - loss(batch))).toBeGreaterThan(1e-4)
    disposeModel(m)
  })

  it('padded and packed batches give the same loss and gradients', () => {
    const m = createModel(tiny, 5)
    const ex = [encodeExample('hello world', 'u'), encodeExample('ab', 'xyz'), encodeExample('abcdefgh', 'q')]
    const run = (b: ReturnType<typeof paddedBatch>) => {
      const { value, grads } = tf.variableGrads(() => targetLoss(m.params, m.config, b), Object.values(m.params))
      const g = Object.values(grads).map((t) => t.dataSync()[0]!)
      const v = value.dataSync()[0]!
      tf.dispose([value, grads])
      return { v, g }
    }
    const a = run(paddedBatch(ex))
    const b = run(packedBatch(ex, 40))
    expect(b.v).toBeCloseTo(a.v, 5)
    a.g.forEach((x, i) => expect(b.g[i]!).toBeCloseTo(x, 4))
    disposeModel(m)
  })
})
