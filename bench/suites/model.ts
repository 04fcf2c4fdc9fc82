import * as tf from '@tensorflow/tfjs-core'
import { availableParallelism } from 'node:os'
import { selectBackend, type BackendId } from '../../src-main/core/model/backend.ts'
import { paddedBatch } from '../../src-main/core/model/batch.ts'
import { SamplerPool } from '../../src-main/core/model/pool.ts'
import { targetLoss } from '../../src-main/core/model/score.ts'
import { BOS, encodePrompt, EOS } from '../../src-main/core/model/tokenizer.ts'
import { createModel, disposeModel, exportWeights, presets, trainFlopsPerToken, type ModelConfig } from '../../src-main/core/model/transformer.ts'
import { AdamW, trainStep } from '../../src-main/core/train/optimizer.ts'
import { deriveSeed, randInt, rng } from '../../src-main/core/random.ts'
import type { Suite } from './index.ts'

// Training: full next-token loss over random byte sequences (every position a target), as the
// reference measurements were taken. Sampling: one decision = one action (u/d/l/r, masked)
// for one compact 7x7 Sokoban context (25 interior cells), contexts in batches across threads.

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

function lmBatch(B: number, T: number, seed: number) {
  const next = rng(seed)
  // A sequence of T+1 tokens gives T predictions; all of them are targets.
  const examples = Array.from({ length: B }, () => {
    const ids = [BOS, ...Array.from({ length: T - 1 }, () => 32 + randInt(next, 90)), EOS]
    return { ids, target: ids.map((_, i) => i > 0) }
  })
  return paddedBatch(examples)
}

type TrainSpeed = { tokensPerS: number; mfu: number | null; peakGflops: number | null }

/**
 * Tokens per second of training steps (forward, backward, AdamW) after warm-up steps. With
 * `pairPeak`, the matmul peak is also measured before every step; the peak is the best of all
 * those measurements and MFU = median achieved training FLOP/s ÷ that peak. On a loaded shared
 * machine that underestimates MFU (the best matmul saw less contention than the median step);
 * on a quiet one both agree.
 */
function trainSpeed(config: ModelConfig, B: number, T: number, o: { seconds: number; minSteps: number; pairPeak?: boolean }, log: (m: string) => void): TrainSpeed {
  const model = createModel(config, 1)
  const opt = new AdamW(model.params)
  const batch = lmBatch(B, T, 7)
  const step = () => trainStep(model.params, opt, () => targetLoss(model.params, model.config, batch), 1e-3, 1)
  step()
  const times: number[] = []
  const peaks: number[] = []
  const started = performance.now()
  while (times.length < o.minSteps || (performance.now() - started < o.seconds * 1000 && times.length < 50)) {
    if (o.pairPeak) peaks.push(matmulPeak())
    const t = performance.now()
    step()
    times.push(performance.now() - t)
  }
  opt.dispose()
  disposeModel(model)
  const tps = (B * T) / (median(times) / 1000)
  const flops = trainFlopsPerToken(config, T)
  const peak = o.pairPeak ? Math.max(...peaks) : null
  const mfu = peak !== null ? (tps * flops) / (peak * 1e9) : null
  log(`  train ${tf.getBackend()} d=${config.dModel} L=${config.nLayers} B=${B} T=${T}: median step ${median(times).toFixed(0)} ms over ${times.length} → ${tps.toFixed(0)} tokens/s${mfu !== null ? `, MFU ${mfu.toFixed(3)} (matmul peak ${peak!.toFixed(1)} GFLOP/s, per-step peaks ${peaks.map((x) => x.toFixed(1)).join(' ')})` : ''}`)
  return { tokensPerS: tps, mfu, peakGflops: peak }
}

function sokobanContexts(n: number): number[][] {
  const next = rng(deriveSeed(5, 'bench-contexts'))
  return Array.from({ length: n }, () => {
    const cells = Array.from({ length: 25 }, () => ' #.'[randInt(next, 3)]!)
    cells[randInt(next, 25)] = '@'
    cells[randInt(next, 25)] = '$'
    return encodePrompt(cells.join(''))
  })
}

async function sampleSpeed(config: ModelConfig, backend: BackendId, contexts: number, log: (m: string) => void): Promise<number> {
  const weights = exportWeights(createModel(config, 1))
  const threads = availableParallelism()
  const chunk = Math.min(256, contexts / threads)
  const pool = await SamplerPool.open({ config, weights }, { threads, backend, chunk })
  const prompts = sokobanContexts(contexts)
  const allow = prompts.map(() => ({ allow: ['u', 'd', 'l', 'r'] }))
  await pool.generate(prompts.slice(0, threads * chunk), allow, { temperature: 1, maxTokens: 4, seed: 0 })
  const times: number[] = []
  for (let i = 0; i < 3; i++) {
    const t = performance.now()
    await pool.generate(prompts, allow, { temperature: 1, maxTokens: 4, seed: i })
    times.push(performance.now() - t)
  }
  await pool.close()
  const dps = contexts / (median(times) / 1000)
  log(`  sample ${backend} d=${config.dModel} L=${config.nLayers}: ${contexts} decisions in ${median(times).toFixed(0)} ms on ${threads} threads → ${dps.toFixed(0)} decisions/s`)
  return dps
}

/** A plain n³ fp32 matmul on the active backend, GFLOP/s (median of `runs`). */
function matmulGflops(n: number, runs: number): number {
  const a = tf.randomNormal([n, n])
  const b = tf.randomNormal([n, n])
  const run = () => tf.tidy(() => tf.matMul(a, b).dataSync())
  run()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    run()
    times.push(performance.now() - t)
  }
  tf.dispose([a, b])
  return (2 * n ** 3) / (median(times) / 1000) / 1e9
}

/**
 * The matmul peak: the best of square products of 256, 512 and 1024. On a shared machine the
 * 1024³ product (4 MB operands) suffers most from other processes' use of the cache; the peak is
 * what XNNPACK reaches at the size that suits it at that moment.
 */
const matmulPeak = (): number => Math.max(matmulGflops(256, 5), matmulGflops(512, 3), matmulGflops(1024, 1))

export const modelSuite: Suite = {
  name: 'model',
  summary: 'TF.js policy: training tokens/s and sampling decisions/s (nano, tiny; wasm and cpu), matmul peak, MFU, reference model',
  async run(log) {
    const out: Record<string, number> = {}
    const T = 64
    const B = 32
    for (const backend of ['wasm', 'cpu'] as const) {
      await selectBackend(backend)
      for (const preset of ['nano', 'tiny'] as const) {
        // The pure JS backend is 10-50x slower: two timed steps of it say enough.
        const o = backend === 'cpu' ? { seconds: 0, minSteps: 2 } : { seconds: 15, minSteps: 5, pairPeak: preset === 'tiny' }
        const r = trainSpeed(presets[preset], B, T, o, log)
        out[`train_tokens_per_s_${backend}_${preset}`] = Math.round(r.tokensPerS)
        if (r.mfu !== null) {
          out.mfu_train_tiny_wasm = Number(r.mfu.toFixed(3))
          out.matmul_gflops_wasm = Number(r.peakGflops!.toFixed(2))
        }
      }
    }
    out.wasm_over_cpu_train_tiny = Number((out.train_tokens_per_s_wasm_tiny! / out.train_tokens_per_s_cpu_tiny!).toFixed(2))
    await selectBackend('wasm')
    out.train_tokens_per_s_wasm_ref = Math.round(trainSpeed(presets.ref, 16, 128, { seconds: 20, minSteps: 5 }, log).tokensPerS)
    for (const backend of ['wasm', 'cpu'] as const) {
      for (const preset of ['nano', 'tiny'] as const) {
        out[`sample_decisions_per_s_${backend}_${preset}`] = Math.round(await sampleSpeed(presets[preset], backend, backend === 'cpu' ? 128 : 4096, log))
      }
    }
    return out
  },
}
