// LoRA settings without TF.js: what a run's config, the CLI's --lora flag and the Train form
// hold (the adapter's weights and the PEFT files are lora.ts).

import type { Family, LoraSpec } from '../../../shared/hf-checkpoint-config.ts'

export type { LoraSpec }

/** PEFT's default targets per model type (peft/utils/constants.py TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING). */
export const DEFAULT_TARGETS: Record<Family, string[]> = { gpt2: ['c_attn'], llama: ['q_proj', 'v_proj'], qwen2: ['q_proj', 'v_proj'] }

export class LoraError extends Error {}

/** The adapter an imported start trains when a run names none. */
export const LORA_DEFAULTS = { r: 8, alpha: 16, dropout: 0 } as const

/** Why a run that asks for LoRA on a built-in byte-level start is refused. */
export const LORA_NEEDS_IMPORTED = 'LoRA needs an imported Hugging Face model as the start (leafe model import); the built-in byte-level model trains all its weights.'

/** LoRA settings as a run's config holds them: target modules may be left to the family's default. */
export type LoraSettings = Omit<LoraSpec, 'targetModules' | 'useRslora'> & { targetModules?: string[] | undefined }

export const resolveLora = (s: LoraSettings, family: Family): LoraSpec => ({ r: s.r, alpha: s.alpha, dropout: s.dropout, targetModules: s.targetModules ?? DEFAULT_TARGETS[family] })

/** Parses `r=16,alpha=32[,dropout=0.05][,targets=q_proj+v_proj]`, as the CLI writes it. */
export function parseLoraFlag(text: string): LoraSettings {
  const spec: LoraSettings = { r: 8, alpha: 16, dropout: 0 }
  for (const part of text.split(',').filter(Boolean)) {
    const [k, v] = part.split('=')
    const n = Number(v)
    if (k === 'r' && Number.isInteger(n) && n >= 1) spec.r = n
    else if (k === 'alpha' && n > 0) spec.alpha = n
    else if (k === 'dropout' && n >= 0 && n < 1) spec.dropout = n
    else if (k === 'targets' && v) spec.targetModules = v.split('+')
    else throw new LoraError(`--lora: cannot read "${part}"; write r=16,alpha=32[,dropout=0.05][,targets=q_proj+v_proj].`)
  }
  return spec
}
