import * as tf from '@tensorflow/tfjs-core'
import { bmmWasm } from './kernels/bmm-wasm.ts'

// tfjs-wasm runs only plain 2-D products on XNNPACK; every batched (3-D) product — attention's
// q·kᵀ and att·v, forward and backward — goes to a scalar loop of ~1 GFLOP/s. This replaces the
// wasm BatchMatMul kernel with one that sends untransposed, equal-batch 3-D products to a
// WebAssembly SIMD kernel (kernels/bmm.wat) running on tfjs-wasm's own memory, and everything
// else to the original kernel.

/** A BatchMatMul call's operands and transpose flags. */
export type BatchMatMulCall = { a: tf.TensorInfo; b: tf.TensorInfo; transposeA: boolean; transposeB: boolean }

/** Puts `kernel` in place of the wasm backend's BatchMatMul; `original()` runs the one it replaced. */
export function replaceBatchMatMul(kernel: (call: BatchMatMulCall, original: () => tf.TensorInfo) => tf.TensorInfo): void {
  const previous = tf.getKernel('BatchMatMul', 'wasm')!
  tf.unregisterKernel('BatchMatMul', 'wasm')
  tf.registerKernel({
    kernelName: 'BatchMatMul',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo }
      const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean }
      return kernel({ a, b, transposeA, transposeB }, () => previous.kernelFunc(args) as tf.TensorInfo)
    },
  })
}

/** The part of tfjs-wasm's backend object the kernels use. */
export type WasmBackend = {
  wasm: { asm: { memory: WebAssembly.Memory } }
  dataIdMap: { get(id: object): { memoryOffset: number } }
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo
}

let installed = false

/** Call once the wasm backend is active; later calls do nothing. */
export function installWasmKernels(): void {
  if (installed || tf.getBackend() !== 'wasm') return
  const backend = tf.backend() as unknown as WasmBackend
  const module = new WebAssembly.Module(Buffer.from(bmmWasm, 'base64'))
  const bmm = new WebAssembly.Instance(module, { env: { memory: backend.wasm.asm.memory } }).exports.bmm as (
    a: number, b: number, c: number, batch: number, m: number, k: number, n: number,
  ) => void
  replaceBatchMatMul((args, original) => {
    const { a, b, transposeA, transposeB } = args
    const simd =
      a.shape.length === 3 && b.shape.length === 3 && a.shape[0] === b.shape[0] && a.shape[0]! > 1 &&
      !transposeA && !transposeB && a.dtype === 'float32' && b.dtype === 'float32' && a.shape[2] === b.shape[1]
    if (!simd) return original()
    const [batch, m, k] = a.shape as [number, number, number]
    const n = b.shape[2]!
    const out = backend.makeOutput([batch, m, n], 'float32')
    const at = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId).memoryOffset
    bmm(at(a), at(b), at(out), batch, m, k, n)
    return out
  })
  installed = true
}
