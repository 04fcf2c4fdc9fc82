import * as tf from '@tensorflow/tfjs-core'
import { gatherRows, mm, mmConst } from '../ops.ts'
import { linearModules, type HfConfig } from './config.ts'

// GPT-2, Llama and Qwen2 in TF.js, one block per family where they differ, written from
// transformers' modeling_gpt2.py (learned positions, LayerNorm, fused c_attn in Conv1D layout,
// gelu_new, tied head) and modeling_llama.py / modeling_qwen2.py (rotary positions with
// rotate_half, RMSNorm, grouped-query attention, SwiGLU MLP; Qwen2 adds q/k/v biases).
// Activations stay 2-D ([B·T, d]) between layers so every linear is one plain matMul (tfjs-wasm's
// fast path; transposed and batched products are ~10x slower there). Base weights are plain
// tensors, never variables: only LoRA trains.

/** A linear layer as the model multiplies it: kernel [in, out], optional bias [out]. */
export type Linear = { w: tf.Tensor2D; b?: tf.Tensor1D }

/** Low-rank update on one linear layer: y += dropout(x)·A·B·scale, A [in, r], B [r, out]. */
export type LoraLayer = { A: tf.Variable; B: tf.Variable; scale: number }
export type LoraOnModel = { layers: Map<string, LoraLayer>; dropout: number }

export type HfModel = {
  config: HfConfig
  /** Embedding tables stay on the host: the lookup is a host copy (wasm's gather is slow and has no gradient). */
  wte: Float32Array // [V, d]
  wpe: Float32Array | null // [P, d], GPT-2 only
  linears: Map<string, Linear>
  norms: Map<string, { g: tf.Tensor1D; b?: tf.Tensor1D }>
  head: tf.Tensor2D // [d, V]
}

/** Per layer: keys (after rotation) and values of earlier positions, (B, nKv, past, hs). */
export type HfCache = { k: tf.Tensor4D; v: tf.Tensor4D }[]

export type HfInput = {
  B: number
  T: number
  ids: Int32Array // [B·T]
  pos: Int32Array // [B·T] each token's position in its own sequence
  mask: tf.Tensor4D // [B, 1, T, Tk] additive: 0 = visible, -1e9 = not
  cache?: HfCache
}

export type HfForwardOptions = {
  /** Rows of the flattened [B·T] positions to compute logits for; all when absent. */
  rows?: Int32Array
  lora?: LoraOnModel
  /** Dropout on LoRA inputs is applied only while training. */
  training?: boolean
  seed?: number
}

const layerNorm = (x: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D, eps: number): tf.Tensor2D => {
  const { mean, variance } = tf.moments(x, -1, true)
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), g), b) as tf.Tensor2D
}

// LlamaRMSNorm: x · rsqrt(mean(x²) + eps) · weight.
const rmsNorm = (x: tf.Tensor2D, g: tf.Tensor1D, eps: number): tf.Tensor2D =>
  tf.mul(tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), eps))), g) as tf.Tensor2D

// GPT-2's gelu_new (transformers activations.NewGELUActivation), the tanh approximation
// 0.5·x·(1 + tanh(z)), z = √(2/π)·(x + 0.044715·x³), written as x·sigmoid(2z), which is the same
// function: tfjs-wasm's sigmoid is vectorised and its tanh and pow are scalar loops that took
// an eighth of a GPT-2 forward.
const geluNew = (x: tf.Tensor2D): tf.Tensor2D =>
  tf.mul(x, tf.sigmoid(tf.mul(2 * Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.mul(tf.square(x), x)))))) as tf.Tensor2D

const silu = (x: tf.Tensor2D): tf.Tensor2D => tf.mul(x, tf.sigmoid(x)) as tf.Tensor2D

function norm(m: HfModel, name: string, x: tf.Tensor2D): tf.Tensor2D {
  const n = m.norms.get(name)!
  return m.config.family === 'gpt2' ? layerNorm(x, n.g, n.b!, m.config.normEps) : rmsNorm(x, n.g, m.config.normEps)
}

function linear(m: HfModel, path: string, x: tf.Tensor2D, o: HfForwardOptions): tf.Tensor2D {
  const l = m.linears.get(path)!
  let y = mmConst(x, l.w) // (rows, out)
  if (l.b) y = tf.add(y, l.b)
  const lora = o.lora?.layers.get(path)
  if (lora) {
    const xin = o.training && o.lora!.dropout > 0 ? tf.dropout(x, o.lora!.dropout, undefined, o.seed) : x
    y = tf.add(y, tf.mul(mm(mm(xin as tf.Tensor2D, lora.A as tf.Tensor2D), lora.B as tf.Tensor2D), lora.scale)) // (rows, r) → (rows, out)
  }
  return y as tf.Tensor2D
}

/** cos and sin of every token's rotary angles, (B, 1, T, hs), halves repeated as in HF's cat((freqs, freqs)). */
function rotaryTables(c: HfConfig, B: number, T: number, pos: Int32Array): { cos: tf.Tensor4D; sin: tf.Tensor4D } {
  const hs = c.headDim
  const half = hs / 2
  const cos = new Float32Array(B * T * hs)
  const sin = new Float32Array(B * T * hs)
  for (let i = 0; i < B * T; i++) {
    for (let j = 0; j < half; j++) {
      // Math.fround: HF computes inv_freq and the angles in float32.
      const invFreq = Math.fround(1 / Math.fround(c.ropeTheta ** Math.fround((2 * j) / hs)))
      const a = Math.fround(pos[i]! * invFreq)
      cos[i * hs + j] = cos[i * hs + j + half] = Math.cos(a)
      sin[i * hs + j] = sin[i * hs + j + half] = Math.sin(a)
    }
  }
  return { cos: tf.tensor4d(cos, [B, 1, T, hs]), sin: tf.tensor4d(sin, [B, 1, T, hs]) }
}

// q·cos + rotate_half(q)·sin, rotate_half(x) = cat(−x2, x1).
function rotate(x: tf.Tensor4D, cos: tf.Tensor4D, sin: tf.Tensor4D): tf.Tensor4D {
  const [B, H, T, hs] = x.shape
  const x1 = tf.slice(x, [0, 0, 0, 0], [B, H, T, hs / 2])
  const x2 = tf.slice(x, [0, 0, 0, hs / 2], [B, H, T, hs / 2])
  return tf.add(tf.mul(x, cos), tf.mul(tf.concat([tf.neg(x2), x1], 3), sin)) as tf.Tensor4D
}

const toHeads = (x: tf.Tensor2D, B: number, T: number, H: number, hs: number) => tf.transpose(tf.reshape(x, [B, T, H, hs]), [0, 2, 1, 3]) as tf.Tensor4D // (B, H, T, hs)

function attention(m: HfModel, l: number, h: tf.Tensor2D, input: HfInput, rope: { cos: tf.Tensor4D; sin: tf.Tensor4D } | null, o: HfForwardOptions) {
  const c = m.config
  const { B, T } = input
  const [H, kvH, hs] = [c.nHeads, c.nKvHeads, c.headDim]
  let q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D
  if (c.family === 'gpt2') {
    const [q2, k2, v2] = tf.split(linear(m, `transformer.h.${l}.attn.c_attn`, h, o), 3, 1) as tf.Tensor2D[] // 3 × (B·T, d)
    ;[q, k, v] = [toHeads(q2!, B, T, H, hs), toHeads(k2!, B, T, H, hs), toHeads(v2!, B, T, H, hs)] // (B, nh, T, hs)
  } else {
    const p = `model.layers.${l}.self_attn`
    q = toHeads(linear(m, `${p}.q_proj`, h, o), B, T, H, hs) // (B, nh, T, hs)
    k = toHeads(linear(m, `${p}.k_proj`, h, o), B, T, kvH, hs) // (B, nkv, T, hs)
    v = toHeads(linear(m, `${p}.v_proj`, h, o), B, T, kvH, hs)
    q = rotate(q, rope!.cos, rope!.sin)
    k = rotate(k, rope!.cos, rope!.sin)
  }
  const past = input.cache?.[l]
  if (past) {
    k = tf.concat([past.k, k], 2) // (B, nkv, Tk, hs)
    v = tf.concat([past.v, v], 2)
  }
  const Tk = k.shape[2]
  // Grouped-query attention without repeat_kv's copies: query heads j·rep … j·rep + rep − 1 all
  // read kv head j, so they are stacked as one (rep·T)-row query block per kv head.
  const rep = H / kvH
  const kT = tf.reshape(tf.transpose(k, [0, 1, 3, 2]), [B * kvH, hs, Tk]) as tf.Tensor3D // (B·nkv, hs, Tk)
  const scores = mm(tf.reshape(tf.mul(q, 1 / Math.sqrt(hs)), [B * kvH, rep * T, hs]) as tf.Tensor3D, kT) // (B·nkv, rep·T, Tk)
  const att = tf.softmax(tf.add(tf.reshape(scores, [B, H, T, Tk]), input.mask)) // (B, nh, T, Tk)
  const y = mm(tf.reshape(att, [B * kvH, rep * T, Tk]) as tf.Tensor3D, tf.reshape(v, [B * kvH, Tk, hs]) as tf.Tensor3D) // (B·nkv, rep·T, hs)
  const merged = tf.reshape(tf.transpose(tf.reshape(y, [B, H, T, hs]), [0, 2, 1, 3]), [B * T, H * hs]) as tf.Tensor2D // (B·T, nh·hs)
  const out = linear(m, c.family === 'gpt2' ? `transformer.h.${l}.attn.c_proj` : `model.layers.${l}.self_attn.o_proj`, merged, o)
  return { out, kv: { k, v } }
}

function mlp(m: HfModel, l: number, h: tf.Tensor2D, o: HfForwardOptions): tf.Tensor2D {
  if (m.config.family === 'gpt2') {
    const p = `transformer.h.${l}.mlp`
    return linear(m, `${p}.c_proj`, geluNew(linear(m, `${p}.c_fc`, h, o)), o) // (B·T, 4d) → (B·T, d)
  }
  const p = `model.layers.${l}.mlp`
  return linear(m, `${p}.down_proj`, tf.mul(silu(linear(m, `${p}.gate_proj`, h, o)), linear(m, `${p}.up_proj`, h, o)) as tf.Tensor2D, o) // (B·T, ff) → (B·T, d)
}

function hostRows(table: Float32Array, d: number, V: number, ids: Int32Array): tf.Tensor2D {
  const out = new Float32Array(ids.length * d)
  // Ids outside the table are padding (the workbench pads with its own id): masked, any row will do.
  for (let r = 0; r < ids.length; r++) {
    const id = ids[r]! < V && ids[r]! >= 0 ? ids[r]! : 0
    out.set(table.subarray(id * d, id * d + d), r * d)
  }
  return tf.tensor2d(out, [ids.length, d])
}

/**
 * Logits for the chosen rows, [rows, V], and every layer's keys and values. Call inside one
 * tf.tidy per forward (several forwards in one tidy exhaust the wasm heap).
 */
export function hfForward(m: HfModel, input: HfInput, o: HfForwardOptions = {}): { logits: tf.Tensor2D; cache: HfCache } {
  const c = m.config
  const { B, T } = input
  if (input.mask.shape[3] > c.maxPositions) throw new Error(`A sequence of ${input.mask.shape[3]} tokens is longer than the model's context (${c.maxPositions}).`)
  let x = hostRows(m.wte, c.hidden, c.vocabSize, input.ids) // (B·T, d)
  if (m.wpe) x = tf.add(x, hostRows(m.wpe, c.hidden, c.maxPositions, input.pos)) as tf.Tensor2D
  const rope = c.family === 'gpt2' ? null : rotaryTables(c, B, T, input.pos)
  const cache: HfCache = []
  const pre = c.family === 'gpt2' ? ['ln_1', 'ln_2'] : ['input_layernorm', 'post_attention_layernorm']
  const layer = c.family === 'gpt2' ? 'transformer.h' : 'model.layers'
  for (let l = 0; l < c.nLayers; l++) {
    const a = attention(m, l, norm(m, `${layer}.${l}.${pre[0]}`, x), input, rope, o)
    x = tf.add(x, a.out) as tf.Tensor2D
    x = tf.add(x, mlp(m, l, norm(m, `${layer}.${l}.${pre[1]}`, x), o)) as tf.Tensor2D
    cache.push(a.kv)
  }
  if (o.rows) x = gatherRows(x, o.rows) // (rows, d): the vocabulary-wide head only where needed
  x = norm(m, c.family === 'gpt2' ? 'transformer.ln_f' : 'model.norm', x)
  return { logits: mmConst(x, m.head), cache } // (rows, V)
}

/** A row-major [rows, cols] array as [cols, rows]. */
export function transposeHost(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(a.length)
  for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) out[k * rows + r] = a[r * cols + k]!
  return out
}

/**
 * Builds the model from float32 tensors by HF name and HF layout (see config.ts
 * expectedTensors; the caller has checked names and shapes).
 */
export function buildHfModel(c: HfConfig, get: (name: string) => Float32Array): HfModel {
  const d = c.hidden
  const linears = new Map<string, Linear>()
  for (const s of linearModules(c)) {
    const raw = get(`${s.path}.weight`)
    const w = tf.tensor2d(s.conv1d ? raw : transposeHost(raw, s.out, s.in), [s.in, s.out])
    linears.set(s.path, s.bias ? { w, b: tf.tensor1d(get(`${s.path}.bias`)) } : { w })
  }
  const norms = new Map<string, { g: tf.Tensor1D; b?: tf.Tensor1D }>()
  const names =
    c.family === 'gpt2'
      ? [...Array.from({ length: c.nLayers }, (_, l) => [`transformer.h.${l}.ln_1`, `transformer.h.${l}.ln_2`]).flat(), 'transformer.ln_f']
      : [...Array.from({ length: c.nLayers }, (_, l) => [`model.layers.${l}.input_layernorm`, `model.layers.${l}.post_attention_layernorm`]).flat(), 'model.norm']
  for (const n of names) norms.set(n, c.family === 'gpt2' ? { g: tf.tensor1d(get(`${n}.weight`)), b: tf.tensor1d(get(`${n}.bias`)) } : { g: tf.tensor1d(get(`${n}.weight`)) })
  const wte = get(c.family === 'gpt2' ? 'transformer.wte.weight' : 'model.embed_tokens.weight')
  const headRows = c.tieWordEmbeddings ? wte : get('lm_head.weight') // [V, d]
  return {
    config: c,
    wte,
    wpe: c.family === 'gpt2' ? get('transformer.wpe.weight') : null,
    linears,
    norms,
    head: tf.tensor2d(transposeHost(headRows, c.vocabSize, d), [d, c.vocabSize]),
  }
}

export function disposeHfModel(m: HfModel): void {
  for (const l of m.linears.values()) tf.dispose([l.w, ...(l.b ? [l.b] : [])])
  for (const n of m.norms.values()) tf.dispose([n.g, ...(n.b ? [n.b] : [])])
  m.head.dispose()
}
