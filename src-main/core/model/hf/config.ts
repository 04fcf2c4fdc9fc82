// What the workbench reads from a Hugging Face `config.json`, for the three families it runs,
// and which tensors (HF names, HF shapes) a checkpoint of that configuration must hold. Names and
// defaults follow transformers' configuration_gpt2.py / configuration_llama.py /
// configuration_qwen2.py and the module trees of modeling_gpt2.py (GPT2LMHeadModel:
// transformer.{wte,wpe,h.N.{ln_1,attn.c_attn,attn.c_proj,ln_2,mlp.c_fc,mlp.c_proj},ln_f}, Conv1D
// weights stored [in, out]) and modeling_llama.py / modeling_qwen2.py (LlamaForCausalLM:
// model.{embed_tokens,layers.N.{input_layernorm,self_attn.{q,k,v,o}_proj,post_attention_layernorm,
// mlp.{gate,up,down}_proj},norm}, lm_head; nn.Linear weights stored [out, in]).

import { FAMILIES, type Family } from '../../../shared/hf-checkpoint-config.ts'

export { FAMILIES, type Family }

export type HfConfig = {
  family: Family
  vocabSize: number
  hidden: number
  nLayers: number
  nHeads: number
  /** Grouped-query attention: key/value heads (= nHeads for GPT-2). */
  nKvHeads: number
  headDim: number
  intermediate: number
  maxPositions: number
  normEps: number
  /** Rotary base (Llama, Qwen2); GPT-2 has learned positions. */
  ropeTheta: number
  tieWordEmbeddings: boolean
  /** Biases on q/k/v (GPT-2: every linear has one; Qwen2: q/k/v only; Llama: attention_bias). */
  qkvBias: boolean
  oBias: boolean
  mlpBias: boolean
  bosTokenId: number | null
  eosTokenIds: number[]
}

export class ConfigError extends Error {}

const ARCH: Record<string, Family> = { GPT2LMHeadModel: 'gpt2', LlamaForCausalLM: 'llama', Qwen2ForCausalLM: 'qwen2' }

function num(j: Record<string, unknown>, key: string, fallback?: number): number {
  const v = j[key] ?? fallback
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConfigError(`config.json: "${key}" is missing or not a number.`)
  return v
}

const ids = (v: unknown): number[] => (typeof v === 'number' ? [v] : Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [])

/** The normalised configuration, or a ConfigError saying in one line why it is not supported. */
export function parseHfConfig(j: Record<string, unknown>): HfConfig {
  const archs = Array.isArray(j.architectures) ? (j.architectures as string[]) : []
  const family = archs.map((a) => ARCH[a]).find(Boolean) ?? (j.model_type === 'gpt2' || j.model_type === 'llama' || j.model_type === 'qwen2' ? j.model_type : undefined)
  if (!family) {
    throw new ConfigError(`config.json: unsupported architecture ${archs.join(', ') || String(j.model_type ?? '(none named)')}; supported: ${Object.keys(ARCH).join(', ')}.`)
  }
  const eos = ids(j.eos_token_id)
  const bos = typeof j.bos_token_id === 'number' ? j.bos_token_id : null
  if (family === 'gpt2') {
    const act = (j.activation_function as string | undefined) ?? 'gelu_new'
    if (act !== 'gelu_new') throw new ConfigError(`config.json: activation_function "${act}" is not supported (GPT-2 uses gelu_new).`)
    if (j.scale_attn_by_inverse_layer_idx === true) throw new ConfigError('config.json: scale_attn_by_inverse_layer_idx is not supported.')
    if (j.scale_attn_weights === false) throw new ConfigError('config.json: scale_attn_weights = false is not supported.')
    const d = num(j, 'n_embd')
    const H = num(j, 'n_head')
    if (d % H) throw new ConfigError(`config.json: n_embd ${d} is not a multiple of n_head ${H}.`)
    return {
      family, vocabSize: num(j, 'vocab_size'), hidden: d, nLayers: num(j, 'n_layer'), nHeads: H, nKvHeads: H, headDim: d / H,
      intermediate: typeof j.n_inner === 'number' ? j.n_inner : 4 * d, maxPositions: num(j, 'n_positions', 1024), normEps: num(j, 'layer_norm_epsilon', 1e-5),
      ropeTheta: 0, tieWordEmbeddings: j.tie_word_embeddings !== false, qkvBias: true, oBias: true, mlpBias: true, bosTokenId: bos, eosTokenIds: eos,
    }
  }
  const act = (j.hidden_act as string | undefined) ?? 'silu'
  if (act !== 'silu') throw new ConfigError(`config.json: hidden_act "${act}" is not supported (Llama and Qwen2 use silu).`)
  if (j.rope_scaling != null) throw new ConfigError('config.json: rope_scaling is not supported (only plain rotary positions).')
  if (j.use_sliding_window === true) throw new ConfigError('config.json: use_sliding_window is not supported.')
  const d = num(j, 'hidden_size')
  const H = num(j, 'num_attention_heads')
  const kv = num(j, 'num_key_value_heads', H)
  if (H % kv) throw new ConfigError(`config.json: num_attention_heads ${H} is not a multiple of num_key_value_heads ${kv}.`)
  const hd = typeof j.head_dim === 'number' ? j.head_dim : d / H
  if (!Number.isInteger(hd) || hd % 2) throw new ConfigError(`config.json: head dimension ${hd} is not an even integer.`)
  const attnBias = family === 'qwen2' ? true : j.attention_bias === true
  return {
    family, vocabSize: num(j, 'vocab_size'), hidden: d, nLayers: num(j, 'num_hidden_layers'), nHeads: H, nKvHeads: kv, headDim: hd,
    intermediate: num(j, 'intermediate_size'), maxPositions: num(j, 'max_position_embeddings', 2048), normEps: num(j, 'rms_norm_eps', 1e-6),
    ropeTheta: num(j, 'rope_theta', 10000), tieWordEmbeddings: j.tie_word_embeddings === true,
    qkvBias: attnBias, oBias: family === 'llama' && j.attention_bias === true, mlpBias: family === 'llama' && j.mlp_bias === true, bosTokenId: bos, eosTokenIds: eos,
  }
}

/** A linear layer by its HF module path; `kernel` shapes are [in, out] (how the model multiplies). */
export type LinearSpec = { path: string; in: number; out: number; bias: boolean; /** GPT-2's Conv1D stores [in, out]; nn.Linear stores [out, in]. */ conv1d: boolean }

export function linearModules(c: HfConfig): LinearSpec[] {
  const out: LinearSpec[] = []
  const d = c.hidden
  for (let l = 0; l < c.nLayers; l++) {
    if (c.family === 'gpt2') {
      const p = `transformer.h.${l}`
      out.push(
        { path: `${p}.attn.c_attn`, in: d, out: 3 * d, bias: true, conv1d: true },
        { path: `${p}.attn.c_proj`, in: d, out: d, bias: true, conv1d: true },
        { path: `${p}.mlp.c_fc`, in: d, out: c.intermediate, bias: true, conv1d: true },
        { path: `${p}.mlp.c_proj`, in: c.intermediate, out: d, bias: true, conv1d: true },
      )
    } else {
      const p = `model.layers.${l}`
      const q = c.nHeads * c.headDim
      const kv = c.nKvHeads * c.headDim
      out.push(
        { path: `${p}.self_attn.q_proj`, in: d, out: q, bias: c.qkvBias, conv1d: false },
        { path: `${p}.self_attn.k_proj`, in: d, out: kv, bias: c.qkvBias, conv1d: false },
        { path: `${p}.self_attn.v_proj`, in: d, out: kv, bias: c.qkvBias, conv1d: false },
        { path: `${p}.self_attn.o_proj`, in: q, out: d, bias: c.oBias, conv1d: false },
        { path: `${p}.mlp.gate_proj`, in: d, out: c.intermediate, bias: c.mlpBias, conv1d: false },
        { path: `${p}.mlp.up_proj`, in: d, out: c.intermediate, bias: c.mlpBias, conv1d: false },
        { path: `${p}.mlp.down_proj`, in: c.intermediate, out: d, bias: c.mlpBias, conv1d: false },
      )
    }
  }
  return out
}

/** Every tensor a checkpoint must hold, by its HF name, with its HF shape. */
export function expectedTensors(c: HfConfig): Map<string, number[]> {
  const t = new Map<string, number[]>()
  const d = c.hidden
  for (const m of linearModules(c)) {
    t.set(`${m.path}.weight`, m.conv1d ? [m.in, m.out] : [m.out, m.in])
    if (m.bias) t.set(`${m.path}.bias`, [m.out])
  }
  if (c.family === 'gpt2') {
    t.set('transformer.wte.weight', [c.vocabSize, d])
    t.set('transformer.wpe.weight', [c.maxPositions, d])
    for (let l = 0; l < c.nLayers; l++) for (const n of ['ln_1', 'ln_2']) for (const w of ['weight', 'bias']) t.set(`transformer.h.${l}.${n}.${w}`, [d])
    t.set('transformer.ln_f.weight', [d]).set('transformer.ln_f.bias', [d])
  } else {
    t.set('model.embed_tokens.weight', [c.vocabSize, d])
    for (let l = 0; l < c.nLayers; l++) for (const n of ['input_layernorm', 'post_attention_layernorm']) t.set(`model.layers.${l}.${n}.weight`, [d])
    t.set('model.norm.weight', [d])
  }
  if (!c.tieWordEmbeddings) t.set('lm_head.weight', [c.vocabSize, d])
  return t
}

/**
 * The name a stored tensor has in the model's tree, or null for buffers that are not weights:
 * GPT-2 checkpoints saved from GPT2Model omit the `transformer.` prefix and may carry the
 * causal-mask buffers `attn.bias` / `attn.masked_bias`; Llama ones may carry `rotary_emb.inv_freq`.
 */
export function canonicalName(c: HfConfig, name: string): string | null {
  if (c.family === 'gpt2') {
    if (/\.attn\.(masked_)?bias$/.test(name)) return null
    if (name === 'lm_head.weight') return c.tieWordEmbeddings ? null : name
    return name.startsWith('transformer.') ? name : `transformer.${name}`
  }
  if (name.endsWith('rotary_emb.inv_freq')) return null
  if (name === 'lm_head.weight' && c.tieWordEmbeddings) return null
  return name
}

export function parameterCount(c: HfConfig): number {
  let n = 0
  for (const s of expectedTensors(c).values()) n += s.reduce((a, b) => a * b, 1)
  return n
}
