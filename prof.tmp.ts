import * as tf from '@tensorflow/tfjs-core'
import { selectBackend } from './src-main/core/model/backend.ts'
import { paddedBatch } from './src-main/core/model/batch.ts'
import { targetLoss } from './src-main/core/model/score.ts'
import { BOS, EOS } from './src-main/core/model/tokenizer.ts'
import { createModel, presets } from './src-main/core/model/transformer.ts'
import { AdamW, trainStep } from './src-main/core/train/optimizer.ts'
await selectBackend('wasm')
const which = (process.argv[2] ?? 'tiny') as keyof typeof presets
const B = Number(process.argv[3] ?? 32), T = Number(process.argv[4] ?? 64)
const model = createModel(presets[which], 1)
const opt = new AdamW(model.params)
const ex = Array.from({ length: B }, (_, b) => { const ids = [BOS, ...Array.from({ length: T - 1 }, (_, i) => 32 + ((i * 7 + b) % 90)), EOS]; return { ids, target: ids.map((_, i) => i > 0) } })
const batch = paddedBatch(ex)
const step = () => trainStep(model.params, opt, () => targetLoss(model.params, model.config, batch), 1e-3, 1)
step(); step()
let t = performance.now(); for (let i = 0; i < 3; i++) step(); const ms = (performance.now() - t) / 3
console.log(which, 'ms/step', ms.toFixed(0), 'tokens/s', (B * T / ms * 1000).toFixed(0))
const info = await tf.profile(() => { step() })
const by = new Map<string, { ms: number; n: number }>()
for (const k of info.kernels) { const key = k.name + ((k.name === "BatchMatMul" || k.name === "Transpose") ? " " + JSON.stringify(k.inputShapes) + JSON.stringify((k as any).extraInfo ?? "") : ""); const e = by.get(key) ?? { ms: 0, n: 0 }; e.ms += k.kernelTimeMs as number; e.n++; by.set(key, e) }
const total = [...by.values()].reduce((a, b) => a + b.ms, 0)
console.log('kernel total ms', total.toFixed(0), 'kernels', info.kernels.length)
for (const [k, v] of [...by.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 22)) console.log(v.ms.toFixed(1).padStart(8), String(v.n).padStart(5), k)
