import type { HfConfig } from './config.ts'
import type { LoraSpec } from './lora-settings.ts'

// Light enough for the policy factory and lists to import without the model code.

/** What the checkpoints table's config column holds for an imported model: enough for lists and for routing. */
export type HfCheckpointConfig = { format: 'hf'; family: HfConfig['family']; params: number; dtype: string; hidden: number; layers: number; vocab: number; chatTemplate: boolean; lora?: LoraSpec }

export const isHfConfig = (c: unknown): c is HfCheckpointConfig => (c as { format?: unknown } | null)?.format === 'hf'
