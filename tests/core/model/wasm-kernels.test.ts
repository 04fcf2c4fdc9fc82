import * as tf from '@tensorflow/tfjs-core'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { assemble, generatedSource, kernelsDir } from '../../../scripts/build-wasm-kernels.ts'
import { selectBackend } from '../../../src-main/core/model/backend.ts'

// These tests are about the wasm kernels: keep the native products (native-kernels.ts) out.
process.env.LEAFE_MATMUL = 'wasm'

describe('wasm SIMD kernels', () => {
  it('the committed binaries are the assembled .wat sources', async () => {
    for (const file of readdirSync(kernelsDir).filter((f) => f.endsWith('.wat'))) {
      const name = file.slice(0, -4)
      const committed = readFileSync(join(kernelsDir, `${name}-wasm.ts`), 'utf8')
      expect(committed, `${name}-wasm.ts is stale: run npm run build:kernels`).toBe(generatedSource(name, await assemble(join(kernelsDir, file))))
    }
  })

  it('batched products match the cpu backend, remainders and broadcasts included', async () => {
    // [batch, m, k, n]: column counts that exercise the 16-, 4- and 1-wide paths.
    const shapes = [[3, 5, 7, 9], [8, 64, 24, 64], [16, 27, 20, 27], [4, 1, 33, 17], [2, 20, 1, 35], [5, 3, 4, 1]]
    await selectBackend('cpu')
    const cases = shapes.map(([B, m, k, n], i) => {
      const a = tf.randomNormal([B!, m!, k!], 0, 1, 'float32', i)
      const b = tf.randomNormal([B!, k!, n!], 0, 1, 'float32', 100 + i)
      return { a: a.dataSync(), b: b.dataSync(), c: tf.matMul(a, b).dataSync(), ct: tf.matMul(a, tf.transpose(b, [0, 2, 1]), false, true).dataSync() }
    })
    await selectBackend('wasm')
    shapes.forEach(([B, m, k, n], i) => {
      const a = tf.tensor3d(cases[i]!.a, [B!, m!, k!])
      const b = tf.tensor3d(cases[i]!.b, [B!, k!, n!])
      const c = tf.matMul(a, b).dataSync()
      c.forEach((x, j) => expect(x).toBeCloseTo(cases[i]!.c[j]!, 4))
      // Transposed operands still go to tfjs's own kernel, and agree.
      const ct = tf.matMul(a, tf.transpose(b, [0, 2, 1]), false, true).dataSync()
      ct.forEach((x, j) => expect(x).toBeCloseTo(cases[i]!.ct[j]!, 4))
      tf.dispose([a, b])
    })
    // A batch of one and a broadcast batch are tfjs's cases too.
    const one = tf.matMul(tf.ones([1, 2, 3]), tf.ones([1, 3, 4])).arraySync()
    expect(one).toEqual([[[3, 3, 3, 3], [3, 3, 3, 3]]])
  })
})
