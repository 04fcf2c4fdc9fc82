// Sokoban task parameters: named presets (room size with outer walls × boxes, as gym-sokoban's
// dim_room), the step limit, and how generated tasks are made from seeds.
import { z } from 'zod'
import { EngineError } from '../../errors.ts'
import { splitSeeds, type GeneratedSplit } from '../splits.ts'
import type { Task } from '../types.ts'
import { generateLevel } from './generator.ts'
import type { Level } from './grid.ts'

export { DEFAULT_PRESET, PRESET_NAMES, PRESETS, type Preset, type PresetName } from '../../../shared/sokoban-presets.ts'
import { DEFAULT_PRESET, PRESET_NAMES, PRESETS } from '../../../shared/sokoban-presets.ts'

export const sokobanParamsSchema = z
  .object({
    preset: z.enum(PRESET_NAMES).default(DEFAULT_PRESET),
    /** Override the preset's room (outer walls included) or box count. */
    width: z.number().int().min(5).max(30).optional(),
    height: z.number().int().min(5).max(30).optional(),
    boxes: z.number().int().min(1).max(10).optional(),
    /** Moves per episode (every action counts, invalid ones too); levels needing more are not generated. */
    maxSteps: z.number().int().min(1).max(100_000).optional(),
    /** End the episode when a push deadlocks the level (default: play on to the step limit). */
    endOnDeadlock: z.boolean().default(false),
    /**
     * A per-level step limit: the level's fewest moves plus this many (never above maxSteps).
     * The same levels, far less room for aimless play — the difficulty knob that keeps random
     * play's Pass@k low without making levels a small model cannot learn.
     */
    slack: z.number().int().min(0).max(100_000).optional(),
  })
  .strict()

export type ResolvedParams = { label: string; width: number; height: number; boxes: number; maxSteps: number; endOnDeadlock: boolean; slack?: number }

export function resolveParams(params: Record<string, unknown> | undefined): ResolvedParams {
  const parsed = sokobanParamsSchema.safeParse(params ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new EngineError('bad_request', `Sokoban parameters: ${issue.path.join('.') || '(root)'}: ${issue.message} (presets: ${PRESET_NAMES.join(', ')}).`)
  }
  const p = parsed.data
  const preset = PRESETS[p.preset]
  const width = p.width ?? preset.width
  const height = p.height ?? preset.height
  const boxes = p.boxes ?? preset.boxes
  const custom = width !== preset.width || height !== preset.height || boxes !== preset.boxes
  if ((width - 2) * (height - 2) < boxes + 2) throw new EngineError('bad_request', `A ${width}x${height} room cannot hold ${boxes} boxes.`)
  return {
    label: custom ? `${width}x${height}-${boxes}` : p.preset,
    width,
    height,
    boxes,
    maxSteps: p.maxSteps ?? (custom ? 30 * boxes + 2 * width * height : preset.maxSteps),
    endOnDeadlock: p.endOnDeadlock,
    ...(p.slack !== undefined ? { slack: p.slack } : {}),
  }
}

export const sokobanInstruction = (maxSteps: number): string =>
  `Push every box onto a goal in at most ${maxSteps} moves. You move up, down, left or right; walking into a box pushes it one cell if the cell behind it is free. Boxes cannot be pulled.`

/** Step limit for an imported level: Boxoban's 120 for rooms up to 10x10, more for the large classics. */
export const importedStepLimit = (level: Level): number => (level.width <= 10 && level.height <= 10 ? 120 : 1000)

/** One generated task: the level's text is stored in meta, so it can be replayed even if the generator changes. */
export function generatedTask(p: ResolvedParams, split: GeneratedSplit, seed: number): Task {
  const g = generateLevel({ width: p.width, height: p.height, boxes: p.boxes }, seed, split, p.maxSteps)
  const limit = p.slack === undefined ? p.maxSteps : Math.min(p.maxSteps, g.solution.actions.length + p.slack)
  return {
    env: 'sokoban',
    id: `${p.label}/${seed}`,
    split,
    seed,
    instruction: sokobanInstruction(limit),
    meta: {
      preset: p.label,
      width: p.width,
      height: p.height,
      boxes: p.boxes,
      maxSteps: limit,
      endOnDeadlock: p.endOnDeadlock,
      level: g.text,
      optimalMoves: g.solution.actions.length,
      optimalPushes: g.solution.pushes,
    },
  }
}

export function generatedTasks(split: string, count: number, offset: number, params?: Record<string, unknown>): Task[] {
  const p = resolveParams(params)
  return splitSeeds(split, count, offset).map((seed) => generatedTask(p, split as GeneratedSplit, seed))
}
