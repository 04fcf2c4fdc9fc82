// One measurement of the hf suite in a process of its own, so that its peak RSS is its own:
// `node --import tsx bench/hf-child.ts '{"dir", "mode": "forward"|"lora", "B", "T", "steps"[, "micro"][, "threads"]}'`
// ("micro": a LoRA step's batch of B computed in parts of this many rows, gradients summed;
// "threads": a forward's batch cut into consecutive shards over this many threads, as HfPolicy
// scores on them; the helper threads live in this process, so the peak RSS counts their copies)
// prints {"tokensPerS", "peakRssMb", "backend"} as JSON.
import * as tf from '@tensorflow/tfjs-core'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { selectBackend } from '../src-main/core/model/backend.ts'
import { leftPad } from '../src-main/core/model/batch.ts'
import { modelFromSafetensors } from '../src-main/core/model/hf/checkpoint.ts'
import { parseHfConfig } from '../src-main/core/model/hf/config.ts'
import { HfForwardPool } from '../src-main/core/model/hf/forward-pool.ts'
import { hfForward } from '../src-main/core/model/hf/model.ts'
import { hfTargetLoss } from '../src-main/core/model/hf/generate.ts'
import { createLora, loraParams } from '../src-main/core/model/hf/lora.ts'
import { resolveLora } from '../src-main/core/model/hf/lora-settings.ts'
import { AdamW, accumulatedStep } from '../src-main/core/train/optimizer.ts'
import { rng, randInt } from '../src-main/core/random.ts'

const req = JSON.parse(process.argv[2]!) as { dir: string; mode: 'forward' | 'lora'; B: number; T: number; steps: number; micro?: number; threads?: number; backend?: 'wasm' | 'cpu' }
const backend = await selectBackend(req.backend ?? 'wasm')
const config = parseHfConfig(JSON.parse(readFileSync(join(req.dir, 'config.json'), 'utf8')))
const model = modelFromSafetensors(config, join(req.dir, 'model.safetensors'))
const next = rng(1)
const seqs = Array.from({ length: req.B }, () => Array.from({ length: req.T }, () => randInt(next, config.vocabSize)))
const host = leftPad(seqs)
const input = () => ({ B: host.B, T: host.Tq, ids: host.ids, pos: host.pos, mask: tf.tensor4d(host.mask, [host.B, 1, host.Tq, host.Tk]) })
const times: number[] = []
if (req.mode === 'forward' && (req.threads ?? 1) > 1) {
  // The same forward, its batch in consecutive shards: the first here, the others on helper threads.
  const pool = await HfForwardPool.open({ snapshot: req.dir }, req.threads! - 1, backend.id)
  for (let s = 0; s <= req.steps; s++) {
    const t = performance.now()
    await pool.forwardLogits({ model }, seqs, req.threads)
    if (s > 0) times.push(performance.now() - t)
  }
  await pool.close()
} else if (req.mode === 'forward') {
  // Logits at every position: what scoring a whole sequence needs.
  for (let s = 0; s <= req.steps; s++) {
    const t = performance.now()
    const logits = tf.tidy(() => hfForward(model, input()).logits)
    await logits.data()
    logits.dispose()
    if (s > 0) times.push(performance.now() - t)
  }
} else {
  // A LoRA step as Stage 2 runs it: r = 16, α = 32 on PEFT's default targets, loss on the last quarter of each row.
  const lora = createLora(config, resolveLora({ r: 16, alpha: 32, dropout: 0 }, config.family), 1)
  const params = loraParams(lora)
  const adam = new AdamW(params)
  const K = Math.max(1, Math.floor(req.T / 4))
  const part = req.micro ?? req.B
  const batches = Array.from({ length: Math.ceil(req.B / part) }, (_, p) => {
    const sub = leftPad(seqs.slice(p * part, (p + 1) * part))
    const rows = Int32Array.from({ length: sub.B * K }, (_, i) => Math.floor(i / K) * req.T + req.T - K + (i % K))
    return { input: sub, select: { rows }, labels: Int32Array.from(rows, () => randInt(next, config.vocabSize)), weights: new Float32Array(rows.length).fill(1), tokens: rows.length }
  })
  for (let s = 0; s <= req.steps; s++) {
    const t = performance.now()
    accumulatedStep(params, adam, batches.map((b) => ({ loss: () => hfTargetLoss(model, b, lora, true), share: 1 / batches.length })), 1e-4, 1)
    if (s > 0) times.push(performance.now() - t)
  }
}
const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!
console.log(JSON.stringify({ tokensPerS: (req.B * req.T) / (median / 1000), peakRssMb: process.resourceUsage().maxRSS / 1024, backend: backend.id }))
