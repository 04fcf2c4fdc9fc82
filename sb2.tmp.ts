import { availableParallelism } from 'node:os'
import { SamplerPool } from './src-main/core/model/pool.ts'
import { encodePrompt } from './src-main/core/model/tokenizer.ts'
import { createModel, exportWeights, presets } from './src-main/core/model/transformer.ts'
import { ensureBackend } from './src-main/core/model/backend.ts'
await ensureBackend('wasm')
const which = (process.argv[2] ?? 'nano') as keyof typeof presets
const threads = Number(process.argv[3] ?? availableParallelism()), chunk = Number(process.argv[4] ?? 256)
const config = presets[which]
const weights = exportWeights(createModel(config, 1))
const pool = await SamplerPool.open({ config, weights }, { threads, backend: 'wasm', chunk })
const prompts = Array.from({ length: 4096 }, (_, i) => encodePrompt(Array.from({ length: 25 }, (_, j) => ' #.$@'[(i * 7 + j * 3) % 5]).join('')))
const allow = prompts.map(() => ({ allow: ['u', 'd', 'l', 'r'] }))
await pool.generate(prompts.slice(0, 1024), allow, { temperature: 1, maxTokens: 4, seed: 0 })
for (let r = 0; r < 3; r++) { const t = performance.now(); await pool.generate(prompts, allow, { temperature: 1, maxTokens: 4, seed: r }); console.log(which, threads, chunk, (4096 / (performance.now() - t) * 1000).toFixed(0), 'decisions/s') }
await pool.close()
