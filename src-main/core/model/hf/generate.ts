import * as tf from '@tensorflow/tfjs-core'
import { decodeStep, leftPad, type HostInput, type TargetBatch } from '../batch.ts'
import { oneHotF32 } from '../ops.ts'
import { rng } from '../../random.ts'
import { hfForward, type HfCache, type HfModel, type LoraOnModel } from './model.ts'

// What the workbench asks of an imported model: next-token log-probabilities, generation with a
// KV cache, and the log-probabilities of target tokens (the loss LoRA training minimises).

const toInput = (h: HostInput, cache?: HfCache) => ({ B: h.B, T: h.Tq, ids: h.ids, pos: h.pos, mask: tf.tensor4d(h.mask, [h.B, 1, h.Tq, h.Tk]), ...(cache ? { cache } : {}) })

/** Log-softmax of the logits after each sequence, [B][V]. */
export function nextLogProbs(m: HfModel, seqs: number[][], lora?: LoraOnModel): Float32Array[] {
  const host = leftPad(seqs)
  const rows = Int32Array.from(seqs.map((_, b) => b * host.Tq + host.Tq - 1))
  const lp = tf.tidy(() => tf.logSoftmax(hfForward(m, toInput(host), { rows, ...(lora ? { lora } : {}) }).logits))
  const flat = lp.dataSync() as Float32Array
  lp.dispose()
  const V = m.config.vocabSize
  return seqs.map((_, b) => flat.slice(b * V, (b + 1) * V))
}

export type HfGenerateOptions = { maxTokens: number; /** 0 = greedy */ temperature: number; seed?: number; stop: number[]; lora?: LoraOnModel }

function pick(logits: Float32Array, temperature: number, next: () => number): number {
  if (temperature <= 0) {
    let best = 0
    for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i
    return best
  }
  let max = -Infinity
  for (const v of logits) max = Math.max(max, v)
  const p = Array.from(logits, (v) => Math.exp((v - max) / temperature))
  let u = next() * p.reduce((a, b) => a + b, 0)
  for (let i = 0; i < p.length; i++) if ((u -= p[i]!) <= 0) return i
  return p.length - 1
}

/**
 * New tokens after each prompt, stopping at a stop id (kept out of the result) or after
 * maxTokens. The prompt runs once; every later step feeds one token per row against the cache.
 */
export function generateHf(m: HfModel, prompts: number[][], o: HfGenerateOptions): number[][] {
  const next = rng(o.seed ?? 1)
  const host = leftPad(prompts)
  const V = m.config.vocabSize
  const lora = o.lora ? { lora: o.lora } : {}
  let cache: HfCache = []
  let logits: Float32Array
  {
    const rows = Int32Array.from(prompts.map((_, b) => b * host.Tq + host.Tq - 1))
    const out = tf.tidy(() => {
      const r = hfForward(m, toInput(host), { rows, ...lora })
      return [r.logits, ...r.cache.flatMap((c) => [c.k, c.v])]
    })
    logits = out[0]!.dataSync() as Float32Array
    out[0]!.dispose()
    for (let l = 0; l < m.config.nLayers; l++) cache.push({ k: out[1 + 2 * l] as tf.Tensor4D, v: out[2 + 2 * l] as tf.Tensor4D })
  }
  const result: number[][] = prompts.map(() => [])
  const done = prompts.map(() => false)
  let past = host.Tq
  for (let step = 0; step < o.maxTokens; step++) {
    const tokens = prompts.map((_, b) => (done[b] ? 0 : pick(logits.subarray(b * V, (b + 1) * V), o.temperature, next)))
    tokens.forEach((t, b) => {
      if (done[b]) return
      if (o.stop.includes(t)) done[b] = true
      else result[b]!.push(t)
    })
    if (done.every(Boolean) || step === o.maxTokens - 1 || past + 1 > m.config.maxPositions) break
    // The token picked at step s sits at position len + s of its own sequence.
    const positions = prompts.map((p) => p.length + step)
    const stepIn = decodeStep(tokens, positions, host.pad, past)
    const out = tf.tidy(() => {
      const r = hfForward(m, toInput(stepIn, cache), lora)
      return [r.logits, ...r.cache.flatMap((c) => [c.k, c.v])]
    })
    tf.dispose(cache.flatMap((c) => [c.k, c.v]))
    logits = out[0]!.dataSync() as Float32Array
    out[0]!.dispose()
    cache = []
    for (let l = 0; l < m.config.nLayers; l++) cache.push({ k: out[1 + 2 * l] as tf.Tensor4D, v: out[2 + 2 * l] as tf.Tensor4D })
    past++
  }
  tf.dispose(cache.flatMap((c) => [c.k, c.v]))
  return result
}

/** The flattened rows a target batch's labels belong to. */
export function targetRows(batch: TargetBatch): Int32Array {
  if ('rows' in batch.select) return batch.select.rows
  const { B, Tq } = batch.input
  const K = batch.select.lastK
  return Int32Array.from({ length: B * K }, (_, i) => Math.floor(i / K) * Tq + Tq - K + (i % K))
}

/** log p(label) at each target row, [rows] — differentiable with respect to the LoRA weights; at `temperature` as generateHf samples. */
export function hfLabelLogProbs(m: HfModel, batch: TargetBatch, lora?: LoraOnModel, training = false, seed?: number, temperature = 1): tf.Tensor1D {
  const { logits } = hfForward(m, toInput(batch.input), { rows: targetRows(batch), training, ...(lora ? { lora } : {}), ...(seed !== undefined ? { seed } : {}) }) // (rows, V)
  const scaled = temperature === 1 ? logits : tf.div(logits, temperature)
  return tf.sum(tf.mul(tf.logSoftmax(scaled), oneHotF32(tf.tensor1d(batch.labels, 'int32'), m.config.vocabSize)), 1) as tf.Tensor1D
}

/** Σ weight · NLL over target tokens ÷ their number: the same loss as the built-in model's SFT. */
export function hfTargetLoss(m: HfModel, batch: TargetBatch, lora?: LoraOnModel, training = false, seed?: number): tf.Scalar {
  const lp = hfLabelLogProbs(m, batch, lora, training, seed)
  return tf.div(tf.neg(tf.sum(tf.mul(lp, tf.tensor1d(batch.weights)))), Math.max(1, batch.tokens)) as tf.Scalar
}
