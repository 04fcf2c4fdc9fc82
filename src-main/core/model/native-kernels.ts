import * as tf from '@tensorflow/tfjs-core'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { oneNodeModel } from './kernels/onnx-graph.ts'
import { replaceBatchMatMul, type WasmBackend } from './wasm-kernels.ts'

// Matrix products on the CPU's own vector width. WebAssembly SIMD is 128 bits wide, so tfjs-wasm's
// products reach ~35 GFLOP/s per core where native BLAS uses 256/512-bit FMA units
// (bench/results/matmul.json: onnxruntime-node's MLAS 154–206 GFLOP/s per core on the reference
// model's shapes). Where the optional package onnxruntime-node is installed, this replaces the wasm
// BatchMatMul kernel by onnxruntime's FusedMatMul (MatMul with transposed operands, a contrib op of
// the CPU provider) running on tfjs-wasm's own memory: operands are read and the result written
// in place, no copies. Everything stays a TF.js tensor, so autograd, tidy and the rest of the
// model are unchanged; only where the products run moves.
//
// The binding's InferenceSession.run is synchronous — the package's public `session.run` only
// wraps it in a promise (onnxruntime-node/lib/backend.ts: `setImmediate(() =>
// resolve(this.#inferenceSession.run(feeds, fetches, options)))`), and a TF.js kernel must return
// synchronously, so the binding is called directly (js/node/src/inference_session_wrap.cc: Run
// accepts pre-allocated outputs, which NapiValueToOrtValue in tensor_helper.cc wraps without
// copying). Each session runs on one intra-op thread: more cores are used by data-parallel training
// and the sampler pool, one TF.js instance per thread.

/** Which matrix-multiply kernels the wasm backend uses: `auto` = onnxruntime where installed. */
export const MATMUL_IDS = ['auto', 'native', 'wasm'] as const
export type MatmulPreference = (typeof MATMUL_IDS)[number]
export type MatmulChoice = { id: 'native' | 'wasm'; detail: string }

export function parseMatmulPreference(value: string | undefined): MatmulPreference {
  if (value === undefined || value === '') return 'auto'
  if ((MATMUL_IDS as readonly string[]).includes(value)) return value as MatmulPreference
  throw new Error(`LEAFE_MATMUL="${value}" is not one of ${MATMUL_IDS.join(', ')}.`)
}

// Untransposed products smaller than this many multiply-adds stay on wasm: a call into onnxruntime
// costs ~10 µs (bench/results/matmul.json, ort_*_call_us), what ~175k multiply-adds take on wasm at
// 35 GFLOP/s. Transposed ones come here whatever their size: with the native kernel on, mm's
// gradient issues them instead of transposing first, and tfjs-wasm runs them in a slow loop.
const NATIVE_MIN_MACS = 64 * 64 * 64

type OrtTensorCtor = new (type: 'float32', data: Float32Array, dims: readonly number[]) => unknown
type OrtSession = {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: Record<string, unknown>): void
  run(feeds: Record<string, unknown>, fetches: Record<string, unknown>): unknown
}
type Ort = { version: string; Tensor: OrtTensorCtor; newSession(): OrtSession }

const PACKAGE = 'onnxruntime-node'
let ort: Ort | { missing: string } | undefined

/** onnxruntime-node's native binding, or why it cannot be had. Loaded once per thread. */
function loadOrt(): Ort | { missing: string } {
  if (ort) return ort
  try {
    const require = createRequire(import.meta.url)
    const pkg = require.resolve(`${PACKAGE}/package.json`)
    const version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version
    const common = require('onnxruntime-common') as { Tensor: OrtTensorCtor }
    const b = require(`${PACKAGE}/dist/binding.js`) as { binding: { InferenceSession: new () => OrtSession }; initOrt(): void }
    b.initOrt()
    ort = { version, Tensor: common.Tensor, newSession: () => new b.binding.InferenceSession() }
  } catch (e) {
    const err = e as { code?: string; message?: string }
    ort = { missing: err.code === 'MODULE_NOT_FOUND' ? `${PACKAGE} is not installed` : `${PACKAGE} did not load: ${(err.message ?? String(e)).split('\n')[0]}` }
  }
  return ort
}

let active: MatmulChoice | undefined

/** True when products with transposed operands cost no more than plain ones (the native kernel). */
export function transposedProductsFast(): boolean {
  return active?.id === 'native'
}

/** The kernels chosen in this thread, once the wasm backend has been set up. */
export function matmulChoice(): MatmulChoice | undefined {
  return active
}

/**
 * Call once the wasm backend is active (after installWasmKernels); later calls return the first
 * choice. A forced `native` that cannot load is an error, not a silent fallback.
 */
export function installMatmulKernels(preference: MatmulPreference): MatmulChoice {
  if (active) return active
  if (preference === 'wasm') return (active = { id: 'wasm', detail: 'forced by LEAFE_MATMUL=wasm' })
  const loaded = loadOrt()
  if ('missing' in loaded) {
    if (preference === 'native') throw new Error(`LEAFE_MATMUL=native: ${loaded.missing}`)
    return (active = { id: 'wasm', detail: `${loaded.missing}; products run on wasm SIMD` })
  }
  const backend = tf.backend() as unknown as WasmBackend
  const sessions = new Map<string, OrtSession>()
  const session = (rank: number, transA: boolean, transB: boolean): OrtSession => {
    const key = `${rank}${+transA}${+transB}`
    let s = sessions.get(key)
    if (!s) {
      s = loaded.newSession()
      const model = oneNodeModel({
        op: 'FusedMatMul',
        domain: 'com.microsoft',
        inputs: [{ name: 'A', rank }, { name: 'B', rank }],
        outputRank: rank,
        attributes: { transA: +transA, transB: +transB },
      })
      s.loadModel(model.buffer, model.byteOffset, model.byteLength, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' })
      sessions.set(key, s)
    }
    return s
  }
  replaceBatchMatMul(({ a, b, transposeA, transposeB }, previous) => {
    const r = a.shape.length
    const ok = r === b.shape.length && (r === 2 || (r === 3 && a.shape[0] === b.shape[0])) && a.dtype === 'float32' && b.dtype === 'float32'
    if (!ok) return previous()
    const m = transposeA ? a.shape[r - 1]! : a.shape[r - 2]!
    const k = transposeA ? a.shape[r - 2]! : a.shape[r - 1]!
    const n = transposeB ? b.shape[r - 2]! : b.shape[r - 1]!
    if (k !== (transposeB ? b.shape[r - 1]! : b.shape[r - 2]!)) return previous()
    if (!transposeA && !transposeB && m * k * n * (r === 3 ? a.shape[0]! : 1) < NATIVE_MIN_MACS) return previous()
    const shape = r === 3 ? [a.shape[0]!, m, n] : [m, n]
    const out = backend.makeOutput(shape, 'float32')
    // Views are taken after makeOutput: allocating may grow the wasm memory and detach older ones.
    const heap = backend.wasm.asm.memory.buffer
    const view = (t: tf.TensorInfo, dims: readonly number[]) =>
      new loaded.Tensor('float32', new Float32Array(heap, backend.dataIdMap.get(t.dataId).memoryOffset, dims.reduce((x, y) => x * y, 1)), dims)
    session(r, transposeA, transposeB).run({ A: view(a, a.shape), B: view(b, b.shape) }, { Y: view(out, shape) })
    return out
  })
  return (active = { id: 'native', detail: `onnxruntime-node ${loaded.version} (MLAS), one thread per TF.js instance` })
}
