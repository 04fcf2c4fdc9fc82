// What an imported Hugging Face checkpoint is, as lists, the renderer and the policy factory read
// it without the model code.

export const FAMILIES = ['gpt2', 'llama', 'qwen2'] as const
export type Family = (typeof FAMILIES)[number]

/** A LoRA adapter's shape: rank, scale, dropout and the modules it wraps. */
export type LoraSpec = { r: number; alpha: number; dropout: number; targetModules: string[]; useRslora?: boolean }

/** What the checkpoints table's config column holds for an imported model: enough for lists and for routing. */
export type HfCheckpointConfig = { format: 'hf'; family: Family; params: number; dtype: string; hidden: number; layers: number; vocab: number; chatTemplate: boolean; lora?: LoraSpec }

export const isHfConfig = (c: unknown): c is HfCheckpointConfig => (c as { format?: unknown } | null)?.format === 'hf'
