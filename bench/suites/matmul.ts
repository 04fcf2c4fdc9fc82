import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { selectBackend } from '../../src-main/core/model/backend.ts'
import { oneNodeModel } from '../../src-main/core/model/kernels/onnx-graph.ts'
import { matmulChoice } from '../../src-main/core/model/native-kernels.ts'
import { childJson, PYTHON, torchMissing } from '../torch.ts'
import { matmulGflops } from './model.ts'
import type { Suite } from './index.ts'

// Candidates for a native matrix-multiply path, measured before one is chosen: the best GFLOP/s
// of C = A·B on the shapes the byte-level reference model trains with, for TF.js wasm (XNNPACK,
// 128-bit SIMD, one thread), onnxruntime-node's CPU kernels (MLAS, which uses the CPU's own vector
// width) on 1 and 2 intra-op threads where the optional package is installed (install with
// `ONNXRUNTIME_NODE_INSTALL=skip`: without it its install script fetches GPU files from
// nuget.org), and PyTorch on 1 and 2 threads
// (bench/torch_matmul.py). Each timing includes what a kernel in the workbench would pay per
// product: wasm's read of C back to JavaScript, and for onnxruntime the wrapping of A and B and
// the copy of C out of the session. `ort_call_us` is one 8×8×8 product through onnxruntime, the
// fixed cost per call.

// The reference model (d 128, MLP 4×, batch 16 × 128 tokens = 2,048 rows): the MLP's forward
// products, a weight gradient (Aᵀ·G, 2,048 deep), and the square 1024³ the peak is quoted at.
const SHAPES: Record<string, [number, number, number]> = {
  mlp_up_2048x128x512: [2048, 128, 512],
  mlp_down_2048x512x128: [2048, 512, 128],
  weight_grad_128x2048x512: [128, 2048, 512],
  square_1024: [1024, 1024, 1024],
}
const RUNS = 5

/** The part of onnxruntime-node's API this suite uses (the package is optional, so its types may be absent). */
type OrtSession = { run(feeds: Record<string, unknown>): Promise<Record<string, { data: unknown }>>; release(): Promise<void> }
type Ort = {
  InferenceSession: { create(model: Uint8Array, options: Record<string, unknown>): Promise<OrtSession> }
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => unknown
}
const ORT_PACKAGE = 'onnxruntime-node'

/** onnxruntime-node when it is installed, else why not. */
async function loadOrt(): Promise<{ ort: Ort; version: string } | { missing: string }> {
  try {
    const ort = (await import(ORT_PACKAGE)) as Ort
    const pkg = createRequire(import.meta.url).resolve(`${ORT_PACKAGE}/package.json`)
    return { ort, version: (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version }
  } catch (e) {
    return { missing: `onnxruntime-node is not installed (${(e as Error).message.split('\n')[0]})` }
  }
}

async function ortGflops(ort: Ort, threads: number, shapes: [number, number, number][]): Promise<{ gflops: number[]; callUs: number }> {
  const session = await ort.InferenceSession.create(oneNodeModel({ op: 'MatMul', inputs: [{ name: 'A', rank: 2 }, { name: 'B', rank: 2 }], outputRank: 2 }), { intraOpNumThreads: threads, interOpNumThreads: 1, executionProviders: ['cpu'] })
  const product = async (m: number, k: number, n: number, a: Float32Array, b: Float32Array): Promise<number> => {
    const t = performance.now()
    const out = await session.run({ A: new ort.Tensor('float32', a, [m, k]), B: new ort.Tensor('float32', b, [k, n]) })
    const c = out.Y!.data as Float32Array
    if (c.length !== m * n) throw new Error(`onnxruntime returned ${c.length} values for ${m}×${n}`)
    return performance.now() - t
  }
  const random = (len: number) => Float32Array.from({ length: len }, () => Math.random() - 0.5)
  const gflops: number[] = []
  for (const [m, k, n] of shapes) {
    const a = random(m * k)
    const b = random(k * n)
    await product(m, k, n, a, b)
    let best = Infinity
    for (let r = 0; r < RUNS; r++) best = Math.min(best, await product(m, k, n, a, b))
    gflops.push((2 * m * k * n) / (best / 1000) / 1e9)
  }
  const small = random(64)
  await product(8, 8, 8, small, small)
  let callMs = Infinity
  for (let r = 0; r < 50; r++) callMs = Math.min(callMs, await product(8, 8, 8, small, small))
  await session.release()
  return { gflops, callUs: callMs * 1000 }
}

export const matmulSuite: Suite = {
  name: 'matmul',
  summary: 'native matrix-multiply candidates: GFLOP/s on the reference model\'s shapes for TF.js wasm, onnxruntime-node (1 and 2 threads, where installed) and PyTorch (1 and 2 threads)',
  async run(log) {
    const out: Record<string, number | string> = {}
    const names = Object.keys(SHAPES)
    const shapes = Object.values(SHAPES)
    // The wasm column is tfjs-wasm's own kernels: the native products (native-kernels.ts) stay off.
    process.env.LEAFE_MATMUL = 'wasm'
    await selectBackend('wasm')
    if (matmulChoice()?.id !== 'wasm') throw new Error('the matmul suite needs a process of its own: native products are already on in this one')
    names.forEach((name, i) => {
      out[`wasm_gflops_${name}`] = matmulGflops(RUNS, ...shapes[i]!)
      log(`wasm ${name}: ${(out[`wasm_gflops_${name}`] as number).toFixed(1)} GFLOP/s`)
    })
    const loaded = await loadOrt()
    if ('missing' in loaded) {
      out.ort_missing = loaded.missing
      log(`${loaded.missing}: its columns are left out`)
    } else {
      out.ort_version = loaded.version
      for (const threads of [1, 2]) {
        const r = await ortGflops(loaded.ort, threads, shapes)
        names.forEach((name, i) => {
          out[`ort_${threads}t_gflops_${name}`] = r.gflops[i]!
          out[`ort_${threads}t_over_wasm_${name}`] = r.gflops[i]! / (out[`wasm_gflops_${name}`] as number)
        })
        out[`ort_${threads}t_call_us`] = r.callUs
        log(`onnxruntime-node ${loaded.version}, ${threads} thread(s): ${names.map((name, i) => `${name} ${r.gflops[i]!.toFixed(1)}`).join(' · ')} GFLOP/s; one 8×8×8 call ${r.callUs.toFixed(0)} µs`)
      }
    }
    const missing = torchMissing()
    if (missing) {
      out.torch_missing = missing
      log(`${missing}: the PyTorch columns are left out`)
    } else {
      for (const threads of [1, 2]) {
        const r = childJson<{ gflops: number[]; threads: number; blas: string }>(PYTHON, ['bench/torch_matmul.py', JSON.stringify({ shapes, threads, runs: RUNS })]).answer
        out.torch_blas = r.blas
        names.forEach((name, i) => (out[`torch_${threads}t_gflops_${name}`] = r.gflops[i]!))
        log(`torch ${threads} thread(s) (${r.blas}): ${names.map((name, i) => `${name} ${r.gflops[i]!.toFixed(1)}`).join(' · ')} GFLOP/s`)
      }
    }
    return out
  },
}
