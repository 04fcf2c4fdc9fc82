// The Settings view's list of imported Hugging Face models (and the LoRA adapters trained or
// imported onto them): what the checkpoints table's config says about each.
import type { CheckpointInfo } from '../../../src-main/api/contract-training.ts'
import { isHfConfig, type HfCheckpointConfig } from '../../../src-main/shared/hf-checkpoint-config.ts'

export type ImportedModel = { id: number; name: string; family: string; parameters: string; dtype: string; tokenizer: string; adapter: string | null; parentId: number | null }

export const isImported = (c: CheckpointInfo): c is CheckpointInfo & { config: HfCheckpointConfig } => isHfConfig(c.config)

export function formatParameters(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(1)}B` : n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : `${(n / 1e3).toFixed(1)}k`
}

export function importedModels(all: CheckpointInfo[]): ImportedModel[] {
  return all.filter(isImported).map((c) => ({
    id: c.id,
    name: c.name,
    family: c.config.family,
    parameters: formatParameters(c.config.params),
    dtype: c.config.dtype,
    tokenizer: `vocabulary ${c.config.vocab}${c.config.chatTemplate ? ', chat template' : ', no chat template'}`,
    adapter: c.config.lora ? `LoRA r=${c.config.lora.r}, α=${c.config.lora.alpha} on ${c.config.lora.targetModules.join(', ')}` : null,
    parentId: c.parentId,
  }))
}

/** The Train form's LoRA fields as a config's `lora`: target modules blank = the family's PEFT defaults. */
export function loraConfig(f: { r: number; alpha: number; dropout: number; targets: string }): { r: number; alpha: number; dropout: number; targetModules?: string[] } {
  const targets = f.targets.split(/[\s,]+/).filter(Boolean)
  return { r: f.r, alpha: f.alpha, dropout: f.dropout, ...(targets.length ? { targetModules: targets } : {}) }
}
