// The reference model's training speed in a process of its own, for the `model` suite: the
// matrix-multiply kernels are chosen once per process (LEAFE_MATMUL), so wasm's own kernels are
// measured beside the native ones by running this with LEAFE_MATMUL=wasm. Prints its log, then
// one JSON line: { tokensPerS, mfu, peakGflops }.
import { selectBackend } from '../src-main/core/model/backend.ts'
import { presets } from '../src-main/core/model/transformer.ts'
import { trainSpeed } from './suites/model.ts'

const { threads, B, T } = JSON.parse(process.argv[2]!) as { threads: number; B: number; T: number }
const choice = await selectBackend('wasm')
console.log(`  (child, matrix products ${choice.matmul?.id}: ${choice.matmul?.detail})`)
const r = await trainSpeed(presets.ref, B, T, { seconds: 15, minSteps: 5, pairPeak: true, threads }, (m) => console.log(m))
console.log(JSON.stringify(r))
