// Sokoban's named difficulty presets (room size with outer walls × boxes, as gym-sokoban's
// dim_room, and the step limit). Pure data: the engine generates levels from them and the
// renderer offers them in its forms.
export type Preset = { width: number; height: number; boxes: number; maxSteps: number }

export const PRESETS = {
  '6x6-1': { width: 6, height: 6, boxes: 1, maxSteps: 20 },
  '7x7-1': { width: 7, height: 7, boxes: 1, maxSteps: 30 },
  '7x7-2': { width: 7, height: 7, boxes: 2, maxSteps: 40 },
  // Small enough for a tiny model's 25-byte prompt, hard enough that random play's Pass@32 stays below 0.2 (bench `env`).
  '7x7-3': { width: 7, height: 7, boxes: 3, maxSteps: 30 },
  '10x10-4': { width: 10, height: 10, boxes: 4, maxSteps: 120 },
} as const satisfies Record<string, Preset>

export type PresetName = keyof typeof PRESETS
export const PRESET_NAMES = Object.keys(PRESETS) as [PresetName, ...PresetName[]]
/** The default room everywhere (shared/defaults.ts): the quickstart's. */
export const DEFAULT_PRESET: PresetName = '7x7-1'
