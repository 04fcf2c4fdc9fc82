import * as tf from '@tensorflow/tfjs-core'
import { gatherRows, mm } from './ops.ts'
import { VOCAB_SIZE } from './tokenizer.ts'
import type { ModelPresetName } from '../../shared/model-presets.ts'

// A decoder-only transformer in the style of nanoGPT: pre-norm blocks, causal self-attention,
// learned positions, a 4x MLP, an optional tied output head. Every op has a gradient on the
// wasm backend (see ops.ts). Activations stay 2-D ([rows, d]) between blocks, so that every
// linear layer is one plain matMul.

export type ModelConfig = {
  vocabSize: number
  /** The longest sequence the model reads (prompt + generated tokens). */
  contextLength: number
  dModel: number
  nLayers: number
  nHeads: number
  mlpRatio: number
  /** Output head = the token embedding, transposed. */
  tieWeights: boolean
}

/** Named sizes; parameter counts are exact for the byte vocabulary (see paramCount). */
export const presets = {
  /** 53,040 parameters */
  nano: { vocabSize: VOCAB_SIZE, contextLength: 96, dModel: 40, nLayers: 2, nHeads: 2, mlpRatio: 4, tieWeights: true },
  /** 121,728 parameters: the smallest that learns Sokoban's 7x7 rooms in minutes (the base bootstrap's default) */
  micro: { vocabSize: VOCAB_SIZE, contextLength: 96, dModel: 64, nLayers: 2, nHeads: 4, mlpRatio: 4, tieWeights: true },
  /**
   * 131,968 parameters: micro with a 256-token context, for the household's compact prompts
   * (Early Experience's world-model examples hold a state, a command and the next state)
   */
  'micro-256': { vocabSize: VOCAB_SIZE, contextLength: 256, dModel: 64, nLayers: 2, nHeads: 4, mlpRatio: 4, tieWeights: true },
  /** 481,344 parameters */
  tiny: { vocabSize: VOCAB_SIZE, contextLength: 128, dModel: 96, nLayers: 4, nHeads: 4, mlpRatio: 4, tieWeights: true },
  /** 4,857,344 parameters */
  small: { vocabSize: VOCAB_SIZE, contextLength: 256, dModel: 256, nLayers: 6, nHeads: 8, mlpRatio: 4, tieWeights: true },
  /** The fixed reference for speed comparisons against PyTorch (bench `model`): d=128, 4 layers, 4 heads, context 128, untied head. */
  ref: { vocabSize: VOCAB_SIZE, contextLength: 128, dModel: 128, nLayers: 4, nHeads: 4, mlpRatio: 4, tieWeights: false },
} as const satisfies Record<ModelPresetName, ModelConfig>

export type Params = Record<string, tf.Variable>

/** Every parameter's name and shape, in a fixed order (checkpoints store them in this order). */
export function paramShapes(c: ModelConfig): [string, number[]][] {
  const d = c.dModel
  const shapes: [string, number[]][] = [
    ['wte', [c.vocabSize, d]],
    ['wpe', [c.contextLength, d]],
  ]
  for (let l = 0; l < c.nLayers; l++) {
    shapes.push(
      [`h${l}.ln1.g`, [d]],
      [`h${l}.ln1.b`, [d]],
      [`h${l}.attn.wq`, [d, d]],
      [`h${l}.attn.wk`, [d, d]],
      [`h${l}.attn.wv`, [d, d]],
      [`h${l}.attn.wo`, [d, d]],
      [`h${l}.ln2.g`, [d]],
      [`h${l}.ln2.b`, [d]],
      [`h${l}.mlp.w1`, [d, c.mlpRatio * d]],
      [`h${l}.mlp.w2`, [c.mlpRatio * d, d]],
    )
  }
  shapes.push(['lnf.g', [d]], ['lnf.b', [d]])
  if (!c.tieWeights) shapes.push(['head', [d, c.vocabSize]])
  return shapes
}

export const paramCount = (c: ModelConfig): number =>
  paramShapes(c).reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0)

/** Training FLOPs per token (PaLM's estimate: 6 per matmul weight, plus attention over a context of t). */
export function trainFlopsPerToken(c: ModelConfig, t: number): number {
  const matmulWeights = c.nLayers * (4 + 2 * c.mlpRatio) * c.dModel ** 2 + c.dModel * c.vocabSize
  return 6 * matmulWeights + 12 * c.nLayers * t * c.dModel
}

/** GPT-2 initialisation, reproducible from the seed: N(0, 0.02), residual projections scaled by 1/√(2L). */
export function initParams(c: ModelConfig, seed: number): Params {
  const params: Params = {}
  paramShapes(c).forEach(([name, shape], i) => {
    const residual = name.endsWith('attn.wo') || name.endsWith('mlp.w2')
    const std = residual ? 0.02 / Math.sqrt(2 * c.nLayers) : 0.02
    // tf.randomNormal takes a seed of 0 as "no seed" and draws from Math.random: never pass 0.
    const init = name.endsWith('.g') ? tf.ones(shape) : name.endsWith('.b') ? tf.zeros(shape) : tf.randomNormal(shape, 0, std, 'float32', seed * 1000 + i + 1)
    params[name] = tf.variable(init, true)
    init.dispose()
  })
  return params
}

/** Keys and values of earlier positions, per layer: keys transposed [B·H, headDim, past], values [B·H, past, headDim]. */
export type KV = { kT: tf.Tensor3D; v: tf.Tensor3D }

export type ForwardInput = {
  B: number
  Tq: number
  ids: Int32Array // [B·Tq] token ids (host data: the embedding lookup is a host copy on wasm)
  pos: Int32Array // [B·Tq] each token's position within its own sequence
  mask: tf.Tensor4D // [B, 1, Tq, Tk] additive: 0 where a query may see a key, -1e9 where not
  cache?: KV[] // Tk = past + Tq
}

/**
 * Which output rows to compute: the last K positions of every row (sampling, left-padded
 * training batches — the last block then runs its queries and MLP there only), or chosen rows
 * of the flattened [B·Tq] positions (packed batches), or all.
 */
export type Select = { lastK: number } | { rows: Int32Array } | null

export const MASKED = -1e9

const layerNorm = (x: tf.Tensor2D, g: tf.Tensor, b: tf.Tensor): tf.Tensor2D => {
  const { mean, variance } = tf.moments(x, -1, true)
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), g), b) as tf.Tensor2D
}

// GELU's sigmoid approximation: three cheap ops with plain gradients.
const gelu = (x: tf.Tensor2D): tf.Tensor2D => tf.mul(x, tf.sigmoid(tf.mul(x, 1.702))) as tf.Tensor2D

function block(p: Params, c: ModelConfig, l: number, x: tf.Tensor2D, input: ForwardInput, B: number, T: number, K: number): { x: tf.Tensor2D; kv: KV } {
  const d = c.dModel
  const H = c.nHeads
  const hd = d / H
  const g = (name: string) => p[`h${l}.${name}`]!
  const h = layerNorm(x, g('ln1.g'), g('ln1.b')) // [B·T, d]
  // Three products rather than one fused [d, 3d] and a split: slicing columns is slow on wasm.
  // One rank-4 transpose per tensor: wasm transposes rank ≤ 4 fast, rank 5 ~50x slower.
  const heads = (w: string, perm: number[], shape: [number, number, number]) =>
    tf.reshape(tf.transpose(tf.reshape(mm(h, g(w) as tf.Tensor2D), [B, T, H, hd]), perm), shape) as tf.Tensor3D
  let q = heads('attn.wq', [0, 2, 1, 3], [B * H, T, hd])
  let kT = heads('attn.wk', [0, 2, 3, 1], [B * H, hd, T]) // keys already transposed for q·kᵀ
  let v = heads('attn.wv', [0, 2, 1, 3], [B * H, T, hd])
  const past = input.cache?.[l]
  if (past) {
    kT = tf.concat([past.kT, kT], 2) // [B·H, hd, Tk]
    v = tf.concat([past.v, v], 1) // [B·H, Tk, hd]
  }
  const Tk = v.shape[1]
  let mask = input.mask
  let residual = x
  if (K < T) {
    q = tf.slice(q, [0, T - K, 0], [B * H, K, hd]) // [B·H, K, hd]
    mask = tf.slice(mask, [0, 0, T - K, 0], [B, 1, K, Tk])
    residual = tf.reshape(tf.slice(tf.reshape(x, [B, T, d]), [0, T - K, 0], [B, K, d]), [B * K, d]) as tf.Tensor2D
  }
  const scores = mm(tf.mul(q, 1 / Math.sqrt(hd)) as tf.Tensor3D, kT) // [B·H, K, Tk]
  const masked = tf.add(tf.reshape(scores, [B, H, K, Tk]), mask) // [B, H, K, Tk]
  const att = tf.reshape(tf.softmax(masked), [B * H, K, Tk]) as tf.Tensor3D
  const y = tf.reshape(tf.transpose(tf.reshape(mm(att, v), [B, H, K, hd]), [0, 2, 1, 3]), [B * K, d]) as tf.Tensor2D
  x = tf.add(residual, mm(y, g('attn.wo') as tf.Tensor2D)) as tf.Tensor2D // [B·K, d]
  const hidden = gelu(mm(layerNorm(x, g('ln2.g'), g('ln2.b')), g('mlp.w1') as tf.Tensor2D)) // [B·K, 4d]
  x = tf.add(x, mm(hidden, g('mlp.w2') as tf.Tensor2D)) as tf.Tensor2D
  return { x, kv: { kT, v } }
}

/**
 * Logits for the selected positions, [rows, vocab], and every layer's keys and values (for a
 * KV cache). Call it inside one tf.tidy per forward: several forwards in one tidy exhaust the
 * wasm heap.
 */
export function forward(p: Params, c: ModelConfig, input: ForwardInput, select: Select = null): { logits: tf.Tensor2D; cache: KV[] } {
  const { B, Tq: T } = input
  if (T > c.contextLength || input.mask.shape[3] > c.contextLength) {
    throw new Error(`A sequence of ${input.mask.shape[3]} tokens is longer than the model's context (${c.contextLength}).`)
  }
  let x = tf.add(gatherRows(p.wte as tf.Tensor2D, input.ids), gatherRows(p.wpe as tf.Tensor2D, input.pos)) as tf.Tensor2D // [B·T, d]
  const cache: KV[] = []
  let rows = T
  for (let l = 0; l < c.nLayers; l++) {
    const K = l === c.nLayers - 1 && select && 'lastK' in select ? Math.min(select.lastK, T) : T
    const out = block(p, c, l, x, input, B, T, K)
    x = out.x
    rows = K
    cache.push(out.kv)
  }
  if (select && 'rows' in select) {
    if (rows !== T) throw new Error('forward: rows and lastK cannot be combined')
    x = gatherRows(x, select.rows)
  }
  const head = c.tieWeights ? (tf.transpose(p.wte!) as tf.Tensor2D) : (p.head as tf.Tensor2D)
  return { logits: mm(layerNorm(x, p['lnf.g']!, p['lnf.b']!), head), cache }
}

/** A model: its configuration and its live weights. */
export type Model = { config: ModelConfig; params: Params }

export const createModel = (config: ModelConfig, seed: number): Model => ({ config, params: initParams(config, seed) })

export function disposeModel(m: Model): void {
  for (const v of Object.values(m.params)) v.dispose()
}

/** All weights in paramShapes order, one flat array (checkpoints and worker threads carry this). */
export function exportWeights(m: Model): Float32Array {
  const shapes = paramShapes(m.config)
  const out = new Float32Array(paramCount(m.config))
  let at = 0
  for (const [name] of shapes) {
    const data = m.params[name]!.dataSync() as Float32Array
    out.set(data, at)
    at += data.length
  }
  return out
}

export function importWeights(config: ModelConfig, flat: Float32Array): Model {
  const expected = paramCount(config)
  if (flat.length !== expected) throw new Error(`Weights hold ${flat.length} numbers; this configuration needs ${expected}.`)
  const params: Params = {}
  let at = 0
  for (const [name, shape] of paramShapes(config)) {
    const n = shape.reduce((a, b) => a * b, 1)
    const t = tf.tensor(flat.subarray(at, at + n), shape)
    params[name] = tf.variable(t, true)
    t.dispose()
    at += n
  }
  return { config, params }
}
