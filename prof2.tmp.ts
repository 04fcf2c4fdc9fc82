import * as tf from '@tensorflow/tfjs-core'
import { selectBackend } from './src-main/core/model/backend.ts'
import { generate } from './src-main/core/model/sampling.ts'
import { encodePrompt } from './src-main/core/model/tokenizer.ts'
import { createModel, presets } from './src-main/core/model/transformer.ts'
await selectBackend('wasm')
const which = (process.argv[2] ?? 'nano') as keyof typeof presets
const N = Number(process.argv[3] ?? 256)
const model = createModel(presets[which], 1)
const prompts = Array.from({ length: N }, (_, i) => encodePrompt(Array.from({ length: 25 }, (_, j) => ' #.$@'[(i * 7 + j * 3) % 5]).join('')))
const allow = prompts.map(() => ({ allow: ['u', 'd', 'l', 'r'] }))
const run = () => generate(model, prompts, allow, { temperature: 1, maxTokens: 4, seed: 0 })
run(); run()
const t = performance.now(); for (let i = 0; i < 5; i++) run(); const ms = (performance.now() - t) / 5
console.log(which, N, 'ms', ms.toFixed(1), 'decisions/s', (N / ms * 1000).toFixed(0))
const info = await tf.profile(() => { run() })
const by = new Map<string, { ms: number; n: number }>()
for (const k of info.kernels) { const key = k.name + ' ' + JSON.stringify(k.inputShapes); const e = by.get(key) ?? { ms: 0, n: 0 }; e.ms += k.kernelTimeMs as number; e.n++; by.set(key, e) }
const total = [...by.values()].reduce((a, b) => a + b.ms, 0)
console.log('kernel total ms', total.toFixed(1), 'kernels', info.kernels.length)
for (const [k, v] of [...by.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 16)) console.log(v.ms.toFixed(2).padStart(8), String(v.n).padStart(5), k.slice(0, 100))
