import * as tf from '@tensorflow/tfjs-core'
// tfjs-core alone registers no gradients, and its ESM gradient module cannot be imported by
// Node (directory imports); the umbrella package's Node bundle registers them all (~0.4 s).
import '@tensorflow/tfjs'
import { transposedProductsFast } from './native-kernels.ts'

// TF.js ops that are fast and differentiable on the wasm backend: tfjs-wasm runs only
// plain, untransposed matMuls on XNNPACK; transposed and batched ones take a loop ~10x slower,
// and the stock matMul gradient is made of transposed products. tf.gather has no gradient on
// wasm (no UnsortedSegmentSum kernel), and oneHot(..., 'float32') returns zeros there.

/** One-hot rows as float32. Cast afterwards: tf.oneHot(x, depth, 1, 0, 'float32') is all zeros on wasm 4.22. */
export function oneHotF32(indices: tf.Tensor1D, depth: number): tf.Tensor2D {
  return tf.cast(tf.oneHot(indices, depth), 'float32') as tf.Tensor2D
}

const swapLast = (x: tf.Tensor): tf.Tensor => (x.rank === 2 ? tf.transpose(x) : tf.transpose(x, [0, 2, 1]))

/**
 * a·b for 2-D ([m,k]·[k,n]) or batched 3-D ([b,m,k]·[b,k,n]) operands, whose gradient transposes
 * explicitly and then multiplies plainly — the products XNNPACK runs fast. The native kernels
 * (native-kernels.ts) read transposed operands in place, so there the transposes are left out.
 */
export function mm(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D
export function mm(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D
export function mm(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, y, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc]
    save([x, y])
    return {
      value: tf.matMul(x, y),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ys] = saved as [tf.Tensor, tf.Tensor]
        if (transposedProductsFast()) return [tf.matMul(dy, ys, false, true), tf.matMul(xs, dy, true, false)]
        return [tf.matMul(dy, swapLast(ys)), tf.matMul(swapLast(xs), dy)]
      },
    }
  })
  return f(a, b)
}

/**
 * table[rows] for a 2-D table ([n, d] → [rows.length, d]): an embedding lookup, or picking the
 * positions a loss needs. The row indices are host data, so on wasm and cpu the copy is done
 * on the host — tfjs-wasm's gather moves ~20M floats/s, ~8x slower than a host copy. The
 * gradient is onehot(rows)ᵀ·dy, because wasm has no kernel for gather's own gradient.
 */
export function gatherRows(table: tf.Tensor2D, rows: Int32Array): tf.Tensor2D {
  const [n, d] = table.shape
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [t, save] = args as [tf.Tensor2D, tf.GradSaveFunc]
    save([])
    let value: tf.Tensor2D
    if (tf.getBackend() === 'wasm' || tf.getBackend() === 'cpu') {
      const src = t.dataSync() as Float32Array
      const out = new Float32Array(rows.length * d)
      for (let r = 0; r < rows.length; r++) out.set(src.subarray(rows[r]! * d, rows[r]! * d + d), r * d)
      value = tf.tensor2d(out, [rows.length, d])
    } else {
      value = tf.gather(t, tf.tensor1d(rows, 'int32'))
    }
    return { value, gradFunc: (dy: tf.Tensor) => tf.matMul(tf.transpose(oneHotF32(tf.tensor1d(rows, 'int32'), n)), dy as tf.Tensor2D) }
  })
  return f(table) as tf.Tensor2D
}

/**
 * x·w where w is a constant (a frozen base weight under LoRA): w is captured, not an input, so
 * backprop computes only x's gradient. With mm, tf.js would also compute a full-size gradient
 * for every frozen weight (a model's worth of memory per step) only to drop it.
 */
export function mmConst(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [a, save] = args as [tf.Tensor2D, tf.GradSaveFunc]
    save([])
    return {
      value: tf.matMul(a, w),
      gradFunc: (dy: tf.Tensor) => (transposedProductsFast() ? tf.matMul(dy as tf.Tensor2D, w, false, true) : tf.matMul(dy as tf.Tensor2D, tf.transpose(w))),
    }
  })
  return f(x) as tf.Tensor2D
}
