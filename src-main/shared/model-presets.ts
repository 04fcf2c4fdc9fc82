// The names of the local model's sizes. The job configs validate `model` / `start.preset`
// against this list in the pure layer; core/model/transformer.ts holds each size's dimensions
// and must define exactly these (its table is typed by this list).
export const MODEL_PRESET_NAMES = ['nano', 'micro', 'micro-256', 'tiny', 'small', 'ref'] as const
export type ModelPresetName = (typeof MODEL_PRESET_NAMES)[number]

export const isModelPreset = (name: string): name is ModelPresetName => (MODEL_PRESET_NAMES as readonly string[]).includes(name)
