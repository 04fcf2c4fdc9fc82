import * as tf from '@tensorflow/tfjs-core'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { selectBackend } from '../../../src-main/core/model/backend.ts'
import { matmulChoice, parseMatmulPreference, transposedProductsFast } from '../../../src-main/core/model/native-kernels.ts'
import { mm } from '../../../src-main/core/model/ops.ts'
import { rng } from '../../../src-main/core/random.ts'

// The native path exists only where onnxruntime-node installed; .ci/run installs it and sets
// LEAFE_EXPECT_NATIVE=1, so there its absence fails this file instead of skipping it.
let installed = true
try {
  createRequire(import.meta.url).resolve('onnxruntime-node/package.json')
} catch {
  installed = false
}
if (!installed && process.env.LEAFE_EXPECT_NATIVE === '1') throw new Error('LEAFE_EXPECT_NATIVE=1 but onnxruntime-node is not installed')

/** C = op(A)·op(B) by the definition, in float64: the reference the kernels must agree with. */
function reference(a: Float32Array, b: Float32Array, batch: number, m: number, k: number, n: number, ta: boolean, tb: boolean): Float64Array {
  const c = new Float64Array(batch * m * n)
  for (let s = 0; s < batch; s++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let acc = 0
        for (let p = 0; p < k; p++) acc += a[s * m * k + (ta ? p * m + i : i * k + p)]! * b[s * k * n + (tb ? j * k + p : p * n + j)]!
        c[s * m * n + i * n + j] = acc
      }
  return c
}

const random = (len: number, seed: number) => {
  const next = rng(seed)
  return Float32Array.from({ length: len }, () => next() - 0.5)
}

describe('native matrix products (onnxruntime-node)', () => {
  it('rejects an unknown LEAFE_MATMUL with the values it takes', () => {
    expect(() => parseMatmulPreference('blas')).toThrow('LEAFE_MATMUL="blas" is not one of auto, native, wasm.')
    expect(parseMatmulPreference(undefined)).toBe('auto')
  })

  it.skipIf(!installed)('every transpose combination, 2-D and batched 3-D, agrees with the definition', async () => {
    const choice = await selectBackend('wasm')
    expect(choice.matmul?.id).toBe('native')
    expect(matmulChoice()?.detail).toMatch(/^onnxruntime-node \d+\.\d+\.\d+ \(MLAS\)/)
    // [batch (0 = 2-D), m, k, n]: odd sizes, and each above the size that goes native.
    for (const [batch, m, k, n] of [[0, 67, 131, 45], [3, 40, 33, 70], [16, 128, 32, 128]] as const) {
      for (const ta of [false, true])
        for (const tb of [false, true]) {
          const B = Math.max(batch, 1)
          const a = random(B * m * k, 1 + m)
          const b = random(B * k * n, 2 + n)
          const aShape = ta ? [k, m] : [m, k]
          const bShape = tb ? [n, k] : [k, n]
          const at = tf.tensor(a, batch ? [batch, ...aShape] : aShape)
          const bt = tf.tensor(b, batch ? [batch, ...bShape] : bShape)
          const got = tf.matMul(at, bt, ta, tb)
          expect(got.shape).toEqual(batch ? [batch, m, n] : [m, n])
          const want = reference(a, b, B, m, k, n, ta, tb)
          const data = got.dataSync()
          let worst = 0
          data.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - want[i]!))))
          expect(worst, `batch ${batch} ${m}×${k}×${n} transA ${ta} transB ${tb}`).toBeLessThan(1e-4)
          tf.dispose([at, bt, got])
        }
    }
  })

  it.skipIf(!installed)('mm differentiates through transposed native products, to the analytic gradient', async () => {
    await selectBackend('wasm')
    expect(transposedProductsFast()).toBe(true)
    const [m, k, n] = [70, 90, 50]
    const a = random(m * k, 3)
    const b = random(k * n, 4)
    const dy = random(m * n, 5)
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.mul(mm(x as tf.Tensor2D, y as tf.Tensor2D), tf.tensor2d(dy, [m, n])))([tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n])])
    // dA = dY·Bᵀ, dB = Aᵀ·dY.
    const wantA = reference(dy, b, 1, m, n, k, false, true)
    const wantB = reference(a, dy, 1, k, m, n, true, false)
    ga!.dataSync().forEach((x, i) => expect(Math.abs(x - wantA[i]!)).toBeLessThan(1e-4))
    gb!.dataSync().forEach((x, i) => expect(Math.abs(x - wantB[i]!)).toBeLessThan(1e-4))
  })

  it.skipIf(!installed)('small products, plain (left on wasm) and transposed (sent native), agree with the definition', async () => {
    await selectBackend('wasm')
    const a = random(2 * 5 * 7, 6)
    const b = random(2 * 7 * 3, 7)
    const got = tf.matMul(tf.tensor3d(a, [2, 5, 7]), tf.tensor3d(b, [2, 7, 3])).dataSync()
    const want = reference(a, b, 2, 5, 7, 3, false, false)
    got.forEach((x, i) => expect(Math.abs(x - want[i]!)).toBeLessThan(1e-5))
    // The same operands read as Aᵀ ([2, 7, 5] stored) and Bᵀ ([2, 3, 7] stored).
    const gotT = tf.matMul(tf.tensor3d(a, [2, 7, 5]), tf.tensor3d(b, [2, 3, 7]), true, true).dataSync()
    const wantT = reference(a, b, 2, 5, 7, 3, true, true)
    gotT.forEach((x, i) => expect(Math.abs(x - wantT[i]!)).toBeLessThan(1e-5))
  })
})
