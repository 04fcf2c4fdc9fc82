import * as tf from '@tensorflow/tfjs-core'
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { selectBackend, type BackendId } from '../../src-main/core/model/backend.ts'
import { matmulChoice } from '../../src-main/core/model/native-kernels.ts'
import { paddedBatch } from '../../src-main/core/model/batch.ts'
import { SamplerPool } from '../../src-main/core/model/pool.ts'
import { BOS, encodePrompt, EOS } from '../../src-main/core/model/tokenizer.ts'
import { createModel, disposeModel, exportWeights, presets, trainFlopsPerToken, type ModelConfig } from '../../src-main/core/model/transformer.ts'
import { DataParallel } from '../../src-main/core/train/data-parallel.ts'
import { AdamW } from '../../src-main/core/train/optimizer.ts'
import { stepParts } from '../../src-main/core/train/sft-loop.ts'
import { deriveSeed, randInt, rng } from '../../src-main/core/random.ts'
import { childJson, PYTHON, torchMissing } from '../torch.ts'
import type { Suite } from './index.ts'

// Training: full next-token loss over random byte sequences (every position a target), as the
// reference measurements were taken. Sampling: one decision = one action (u/d/l/r, masked)
// for one compact 7x7 Sokoban context (25 interior cells), contexts in batches across threads.
// The reference model (preset `ref`) is also trained in PyTorch in the same run
// (bench/torch_ref_train.py, the same architecture, batch and measurement) where torch is present.

// Training runs tfjs-wasm, single-threaded in Node, in the calling thread and in as many helper
// threads as the data-parallel path (train/data-parallel.ts) is given: one core per thread. MFU
// is measured against the matmul peak of one core times the threads used.
// Sampling is measured on two worker threads, whatever the machine has, so runs on different
// machines compare.
const SAMPLE_THREADS = 2
const TORCH_THREADS = [1, 2] as const

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

function lmExamples(B: number, T: number, seed: number) {
  const next = rng(seed)
  // A sequence of T+1 tokens gives T predictions; all of them are targets.
  return Array.from({ length: B }, () => {
    const ids = [BOS, ...Array.from({ length: T - 1 }, () => 32 + randInt(next, 90)), EOS]
    return { ids, target: ids.map((_, i) => i > 0) }
  })
}

type TrainSpeed = { tokensPerS: number; mfu: number | null; peakGflops: number | null }

/**
 * Tokens per second of training steps (forward, backward, AdamW) on `threads` training threads,
 * the batch cut as the SFT loop cuts it, after a warm-up step. With `pairPeak`, the matmul peak
 * is also measured before every step; the peak is the best of all those measurements and
 * MFU = median achieved training FLOP/s ÷ (that peak × threads). On a loaded shared machine that
 * underestimates MFU (the best matmul saw less contention than the median step); on a quiet one
 * both agree.
 */
export async function trainSpeed(config: ModelConfig, B: number, T: number, o: { seconds: number; minSteps: number; pairPeak?: boolean; threads?: number }, log: (m: string) => void): Promise<TrainSpeed> {
  const threads = o.threads ?? 1
  const model = createModel(config, 1)
  const opt = new AdamW(model.params)
  const dp = await DataParallel.open('target', model, threads, tf.getBackend() as BackendId)
  const batches = stepParts(lmExamples(B, T, 7), undefined, threads).map((xs) => paddedBatch(xs))
  const parts = batches.map((batch) => ({ input: batch, share: batch.tokens / (B * T) }))
  const step = () => dp.step(opt, parts, 1e-3, 1)
  await step()
  const times: number[] = []
  const peaks: number[] = []
  const started = performance.now()
  while (times.length < o.minSteps || (performance.now() - started < o.seconds * 1000 && times.length < 50)) {
    if (o.pairPeak) peaks.push(matmulPeak())
    const t = performance.now()
    await step()
    times.push(performance.now() - t)
  }
  await dp.close()
  opt.dispose()
  disposeModel(model)
  const tps = (B * T) / (median(times) / 1000)
  const flops = trainFlopsPerToken(config, T)
  const peak = o.pairPeak ? Math.max(...peaks) : null
  const mfu = peak !== null ? (tps * flops) / (peak * 1e9 * threads) : null
  log(`  train ${tf.getBackend()} d=${config.dModel} L=${config.nLayers} B=${B} T=${T} on ${threads} thread(s): median step ${median(times).toFixed(0)} ms over ${times.length} → ${tps.toFixed(0)} tokens/s${mfu !== null ? `, MFU ${mfu.toFixed(3)} (${(flops / 1e6).toFixed(2)} MFLOP/token, matmul peak ${peak!.toFixed(1)} GFLOP/s × ${threads} core(s), per-step peaks ${peaks.map((x) => x.toFixed(1)).join(' ')})` : ''}`)
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
  const threads = SAMPLE_THREADS
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

/**
 * A plain fp32 matmul of m×k by k×n on the active backend, GFLOP/s: the best of `runs` after a warm-up. The
 * product stays a tensor; its values are read once (outside any tidy: a tidy scans what its
 * function returns, and over a million-element array that scan would be timed as well) and it
 * is disposed. On wasm the kernel runs synchronously, so the read adds only one copy.
 */
export function matmulGflops(runs: number, m: number, k = m, n = m): number {
  const a = tf.randomNormal([m, k])
  const b = tf.randomNormal([k, n])
  const run = (): number => {
    const t = performance.now()
    const c = tf.matMul(a, b)
    c.dataSync()
    const ms = performance.now() - t
    c.dispose()
    return ms
  }
  run()
  const best = Math.min(...Array.from({ length: runs }, run))
  tf.dispose([a, b])
  return (2 * m * k * n) / (best / 1000) / 1e9
}

/**
 * The matmul peak of one core: the best of square products of 256, 512 and 1024. On a shared
 * machine the 1024³ product (4 MB operands) suffers most from other processes' use of the cache;
 * the peak is what XNNPACK reaches at the size that suits it at that moment.
 */
const matmulPeak = (): number => Math.max(matmulGflops(5, 256), matmulGflops(3, 512), matmulGflops(2, 1024))

/** The widest x86 vector unit the CPU offers, in bits (wasm SIMD itself is 128-bit everywhere); 0 where unknown. */
function cpuSimdBits(): number {
  let flags = ''
  try {
    flags = readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1] ?? ''
  } catch {
    return 0
  }
  const has = (f: string) => new RegExp(`\\b${f}\\b`).test(flags)
  return has('avx512f') ? 512 : has('avx2') ? 256 : has('sse2') || has('sse') ? 128 : 0
}

type TorchRef = { tokensPerS: number; threads: number; steps: number; blas: string }

/** The reference model trained in PyTorch at `threads` threads (bench/torch_ref_train.py). */
function torchRefSpeed(config: ModelConfig, B: number, T: number, threads: number, seconds: number, log: (m: string) => void): TorchRef {
  const req = { vocab: config.vocabSize, d: config.dModel, layers: config.nLayers, heads: config.nHeads, mlp: config.mlpRatio, T, B, seconds, minSteps: 5, threads }
  const { answer, stdout } = childJson<TorchRef>(PYTHON, ['bench/torch_ref_train.py', JSON.stringify(req)])
  if (threads === TORCH_THREADS[0]) log(`  torch build (torch.__config__.show()):\n${stdout}`)
  log(`  train torch ${answer.threads} thread(s), BLAS mapped: ${answer.blas}: ${answer.steps} steps → ${answer.tokensPerS.toFixed(0)} tokens/s`)
  return answer
}

export const modelSuite: Suite = {
  name: 'model',
  summary: 'TF.js policy: training tokens/s (nano, tiny; wasm and cpu), matmul peak, MFU, the reference model on 1 and 2 training threads beside PyTorch on as many, sampling decisions/s on 2 threads (nano, micro, tiny)',
  async run(log) {
    // The load average of the shared machine, before and after: the ratios mean more on a quiet one.
    const out: Record<string, number | string> = { cpu_simd_bits: cpuSimdBits(), load_avg_1m_start: Number(loadavg()[0]!.toFixed(2)), sample_threads: SAMPLE_THREADS }
    const T = 64
    const B = 32
    for (const backend of ['wasm', 'cpu'] as const) {
      await selectBackend(backend)
      for (const preset of ['nano', 'tiny'] as const) {
        // The pure JS backend is 10-50x slower: two timed steps of it say enough.
        const o = backend === 'cpu' ? { seconds: 0, minSteps: 2 } : { seconds: 15, minSteps: 5, pairPeak: preset === 'tiny' }
        const r = await trainSpeed(presets[preset], B, T, o, log)
        out[`train_tokens_per_s_${backend}_${preset}`] = Math.round(r.tokensPerS)
        if (r.mfu !== null) {
          out.mfu_train_tiny_wasm = Number(r.mfu.toFixed(3))
          out.matmul_gflops_wasm_tiny_run = Number(r.peakGflops!.toFixed(2))
          out.train_flops_per_token_tiny = trainFlopsPerToken(presets.tiny, T)
        }
      }
    }
    out.wasm_over_cpu_train_tiny = Number(((out.train_tokens_per_s_wasm_tiny as number) / (out.train_tokens_per_s_cpu_tiny as number)).toFixed(2))

    // The reference model on 1 and on 2 training threads, each followed at once by PyTorch on as
    // many threads: each ratio compares two measurements taken back to back.
    await selectBackend('wasm')
    // Where the native products are on (native-kernels.ts), the same model is also trained with
    // wasm's own kernels, in a child process (the choice is made once per process), right after.
    const kernels = matmulChoice()!
    out.matmul_kernels = `${kernels.id}: ${kernels.detail}`
    log(`matrix products: ${out.matmul_kernels}`)
    const RB = 16
    const RT = presets.ref.contextLength
    out.train_flops_per_token_ref = trainFlopsPerToken(presets.ref, RT)
    const missing = torchMissing()
    if (missing) {
      out.ref_over_torch_missing = `${missing}: ref_over_torch_1t and ref_over_torch_2t are left out`
      log(out.ref_over_torch_missing)
    }
    for (const threads of TORCH_THREADS) {
      const ref = await trainSpeed(presets.ref, RB, RT, { seconds: 15, minSteps: 5, pairPeak: true, threads }, log)
      const key = threads === 1 ? '' : `_${threads}t`
      out[`train_tokens_per_s_wasm_ref${key}`] = Math.round(ref.tokensPerS)
      out[`mfu_train_ref_wasm${key}`] = Number(ref.mfu!.toFixed(3))
      out[`matmul_gflops_wasm${key}`] = Number(ref.peakGflops!.toFixed(2))
      if (missing) continue
      const t = torchRefSpeed(presets.ref, RB, RT, threads, 15, log)
      out[`train_tokens_per_s_torch_ref_${threads}t`] = Math.round(t.tokensPerS)
      out[`ref_over_torch_${threads}t`] = Number((ref.tokensPerS / t.tokensPerS).toFixed(3))
      out.torch_blas = t.blas
      if (kernels.id !== 'native') continue
      const w = childJson<TrainSpeed>(process.execPath, ['--import', 'tsx', 'bench/ref-train.ts', JSON.stringify({ threads, B: RB, T: RT })], { LEAFE_MATMUL: 'wasm' })
      log(w.stdout)
      out[`train_tokens_per_s_wasm_kernels_ref_${threads}t`] = Math.round(w.answer.tokensPerS)
      out[`mfu_train_ref_wasm_kernels_${threads}t`] = Number(w.answer.mfu!.toFixed(3))
      out[`native_over_wasm_kernels_ref_${threads}t`] = Number((ref.tokensPerS / w.answer.tokensPerS).toFixed(3))
      out[`wasm_kernels_ref_over_torch_${threads}t`] = Number((w.answer.tokensPerS / t.tokensPerS).toFixed(3))
    }
    out.wasm_ref_2t_over_1t = Number(((out.train_tokens_per_s_wasm_ref_2t as number) / (out.train_tokens_per_s_wasm_ref as number)).toFixed(3))

    for (const backend of ['wasm', 'cpu'] as const) {
      for (const preset of backend === 'cpu' ? (['nano', 'tiny'] as const) : (['nano', 'micro', 'tiny'] as const)) {
        out[`sample_decisions_per_s_${backend}_${preset}`] = Math.round(await sampleSpeed(presets[preset], backend, backend === 'cpu' ? 128 : 4096, log))
      }
    }
    out.load_avg_1m_end = Number(loadavg()[0]!.toFixed(2))
    return out
  },
}
