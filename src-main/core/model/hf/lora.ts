import * as tf from '@tensorflow/tfjs-core'
import { rng } from '../../random.ts'
import { linearModules, type HfConfig, type LinearSpec } from './config.ts'
import { transposeHost as transpose, type LoraLayer, type LoraOnModel } from './model.ts'
import { LoraError, type LoraSpec } from './lora-settings.ts'

export { LoraError, type LoraSpec } from './lora-settings.ts'
import { encodeSafetensors, f32Tensor, parseSafetensors, tensorF32, type TensorOut } from './safetensors.ts'

// LoRA as PEFT defines it (huggingface/peft src/peft/tuners/lora/layer.py): lora_A: Linear(in, r)
// with kaiming-uniform(a=√5) init, lora_B: Linear(r, out) initialised to zero, scaling
// lora_alpha / r (lora_alpha / √r with use_rslora), dropout on the layer's input; for GPT-2's
// Conv1D (fan_in_fan_out) the A/B shapes are the same and only the merged delta is transposed.
// Saved as PEFT saves it (src/peft/utils/save_and_load.py, constants.py): adapter_config.json +
// adapter_model.safetensors holding `base_model.model.<module path>.lora_A.weight` [r, in] and
// `…lora_B.weight` [out, r], adapter name removed.

/** PEFT's check_target_module_exists for a list: the module's name, or its last dotted parts, equals a target. */
export const targets = (path: string, names: string[]): boolean => names.some((t) => path === t || path.endsWith(`.${t}`))

export function targetedModules(c: HfConfig, spec: LoraSpec): LinearSpec[] {
  const found = linearModules(c).filter((m) => targets(m.path, spec.targetModules))
  if (found.length === 0) throw new LoraError(`LoRA target modules ${spec.targetModules.join(', ')} match no linear layer of this ${c.family} model.`)
  return found
}

const scaling = (spec: LoraSpec) => (spec.useRslora ? spec.alpha / Math.sqrt(spec.r) : spec.alpha / spec.r)

/** Fresh adapter weights: A uniform in ±1/√in (kaiming_uniform_ with a = √5), B zero, so the model starts unchanged. */
export function createLora(c: HfConfig, spec: LoraSpec, seed: number): LoraOnModel {
  const next = rng(seed)
  const layers = new Map<string, LoraLayer>()
  for (const m of targetedModules(c, spec)) {
    const bound = 1 / Math.sqrt(m.in)
    const a = Float32Array.from({ length: m.in * spec.r }, () => (2 * next() - 1) * bound)
    layers.set(m.path, { A: tf.variable(tf.tensor2d(a, [m.in, spec.r]), true), B: tf.variable(tf.zeros([spec.r, m.out]), true), scale: scaling(spec) })
  }
  return { layers, dropout: spec.dropout }
}

/** The adapter's variables by a stable name: what AdamW and the gradient tests work on. */
export function loraParams(lora: LoraOnModel): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = {}
  for (const [path, l] of lora.layers) {
    out[`${path}.lora_A`] = l.A
    out[`${path}.lora_B`] = l.B
  }
  return out
}

export function disposeLora(lora: LoraOnModel): void {
  for (const l of lora.layers.values()) tf.dispose([l.A, l.B])
}

const PREFIX = 'base_model.model.'

/** adapter_config.json as PEFT's LoraConfig writes it (the fields vLLM and PEFT read). */
export function adapterConfig(spec: LoraSpec, c: HfConfig, base: string): Record<string, unknown> {
  return {
    peft_type: 'LORA', task_type: 'CAUSAL_LM', base_model_name_or_path: base, r: spec.r, lora_alpha: spec.alpha, lora_dropout: spec.dropout,
    target_modules: spec.targetModules, fan_in_fan_out: c.family === 'gpt2', bias: 'none', use_rslora: spec.useRslora ?? false,
    modules_to_save: null, init_lora_weights: true, inference_mode: true, layers_to_transform: null, layers_pattern: null, rank_pattern: {}, alpha_pattern: {},
  }
}

/** The two files of a PEFT adapter folder. */
export function exportPeft(c: HfConfig, spec: LoraSpec, lora: LoraOnModel, base: string): { config: string; weights: Uint8Array } {
  const tensors = new Map<string, TensorOut>()
  for (const m of targetedModules(c, spec)) {
    const l = lora.layers.get(m.path)!
    tensors.set(`${PREFIX}${m.path}.lora_A.weight`, f32Tensor([spec.r, m.in], transpose(l.A.dataSync() as Float32Array, m.in, spec.r)))
    tensors.set(`${PREFIX}${m.path}.lora_B.weight`, f32Tensor([m.out, spec.r], transpose(l.B.dataSync() as Float32Array, spec.r, m.out)))
  }
  return { config: JSON.stringify(adapterConfig(spec, c, base), null, 2) + '\n', weights: encodeSafetensors(tensors, { format: 'pt' }) }
}

/** Reads a PEFT LoRA adapter for this model; every mismatch is refused in one line. */
export function importPeft(c: HfConfig, configText: string, weights: Uint8Array, where: string): { spec: LoraSpec; lora: LoraOnModel } {
  let j: Record<string, unknown>
  try {
    j = JSON.parse(configText) as Record<string, unknown>
  } catch (err) {
    throw new LoraError(`${where}/adapter_config.json is not JSON: ${(err as Error).message}`)
  }
  if (j.peft_type !== 'LORA') throw new LoraError(`${where}/adapter_config.json: peft_type ${String(j.peft_type)} is not supported (only LORA).`)
  if (j.bias && j.bias !== 'none') throw new LoraError(`${where}/adapter_config.json: bias "${String(j.bias)}" is not supported (only "none").`)
  if (j.modules_to_save) throw new LoraError(`${where}/adapter_config.json: modules_to_save is not supported.`)
  const r = j.r as number
  const tm = j.target_modules
  if (!Number.isInteger(r) || r < 1 || typeof j.lora_alpha !== 'number') throw new LoraError(`${where}/adapter_config.json: r and lora_alpha must be numbers.`)
  if (!Array.isArray(tm)) throw new LoraError(`${where}/adapter_config.json: target_modules must be a list of module names.`)
  const spec: LoraSpec = { r, alpha: j.lora_alpha, dropout: typeof j.lora_dropout === 'number' ? j.lora_dropout : 0, targetModules: tm as string[], ...(j.use_rslora === true ? { useRslora: true } : {}) }
  const file = parseSafetensors(weights, `${where}/adapter_model.safetensors`)
  const layers = new Map<string, LoraLayer>()
  const seen = new Set<string>()
  for (const m of targetedModules(c, spec)) {
    const get = (which: 'A' | 'B', shape: number[]) => {
      const name = `${PREFIX}${m.path}.lora_${which}.weight`
      const e = file.entries.get(name)
      if (!e) throw new LoraError(`${where}/adapter_model.safetensors: missing tensor ${name}.`)
      if (e.shape.join(',') !== shape.join(',')) throw new LoraError(`${where}/adapter_model.safetensors: ${name} has shape [${e.shape.join(', ')}], this model needs [${shape.join(', ')}].`)
      seen.add(name)
      return tensorF32(file, name)
    }
    const A = transpose(get('A', [r, m.in]), r, m.in) // → [in, r]
    const B = transpose(get('B', [m.out, r]), m.out, r) // → [r, out]
    layers.set(m.path, { A: tf.variable(tf.tensor2d(A, [m.in, r]), true), B: tf.variable(tf.tensor2d(B, [r, m.out]), true), scale: scaling(spec) })
  }
  const extra = [...file.entries.keys()].filter((k) => !seen.has(k))
  if (extra.length) {
    for (const l of layers.values()) tf.dispose([l.A, l.B])
    throw new LoraError(`${where}/adapter_model.safetensors: tensor ${extra[0]} belongs to no targeted layer of this model.`)
  }
  return { spec, lora: { layers, dropout: spec.dropout } }
}

/**
 * A base weight with the adapter merged in, in HF layout: W + scale·(B·A) for nn.Linear
 * ([out, in]), its transpose for GPT-2's Conv1D ([in, out]) — PEFT's merge().
 */
export function mergedWeight(m: LinearSpec, hfWeight: Float32Array, l: LoraLayer): Float32Array {
  const delta = tf.tidy(() => tf.mul(tf.matMul(l.A, l.B), l.scale).dataSync() as Float32Array) // [in, out]
  const add = m.conv1d ? delta : transpose(delta, m.in, m.out)
  return hfWeight.map((w, i) => w + add[i]!)
}
