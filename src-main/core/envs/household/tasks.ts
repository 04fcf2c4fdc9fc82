// Household task parameters and generated tasks: the house and goal are stored in the task, so
// a run can be replayed even if the generator changes.
import { z } from 'zod'
import { EngineError } from '../../errors.ts'
import { contentSplit, splitSeeds, type GeneratedSplit } from '../splits.ts'
import type { Task } from '../types.ts'
import { FAMILIES, type Family } from './catalog.ts'
import { generateHouse, instruction } from './generator.ts'
import { plan } from './planner.ts'
import { World, type Goal, type HouseSpec } from './world.ts'

export const householdParamsSchema = z
  .object({
    /** One of ALFWorld's six families, or any (drawn per task). */
    family: z.enum([...FAMILIES, 'any']).default('any'),
    /** Rooms per house, the kitchen included (default: 2 to 4). */
    rooms: z.number().int().min(1).max(4).optional(),
    /** Commands per episode (ALFWorld's usual 50). */
    maxSteps: z.number().int().min(1).max(10_000).default(50),
  })
  .strict()

export type HouseholdTaskMeta = { house: HouseSpec; goal: Goal; maxSteps: number; optimalSteps: number }

const SHORT: Record<Family, string> = {
  pick_and_place: 'pick',
  look_at_obj_in_light: 'look',
  pick_clean_then_place: 'clean',
  pick_heat_then_place: 'heat',
  pick_cool_then_place: 'cool',
  pick_two_obj_and_place: 'two',
}

export function resolveHouseholdParams(params: Record<string, unknown> | undefined) {
  const parsed = householdParamsSchema.safeParse(params ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new EngineError('bad_request', `Household parameters: ${issue.path.join('.') || '(root)'}: ${issue.message} (families: ${FAMILIES.join(', ')}, any).`)
  }
  return parsed.data
}

const MAX_ATTEMPTS = 1000

/**
 * What decides a household task's split: the rooms, the receptacles and the goal. Commands move
 * objects and the agent (and open, heat, cool or clean things) but never change these, so every
 * state an episode can reach keeps its task's split; where objects lie and where the agent starts
 * are left out, or two houses differing only in them could land in two splits.
 */
export const splitKey = (house: HouseSpec, goal: Goal): string => JSON.stringify({ rooms: house.rooms, receptacles: house.receptacles, goal })

export function householdTask(params: ReturnType<typeof resolveHouseholdParams>, split: GeneratedSplit, seed: number): Task {
  const family = params.family === 'any' ? undefined : params.family
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { house, goal } = generateHouse(seed, { family, rooms: params.rooms }, attempt)
    if (contentSplit(splitKey(house, goal)) !== split) continue
    const expert = plan(new World(house, goal))
    if (!expert || expert.length > params.maxSteps) continue
    const meta: HouseholdTaskMeta = { house, goal, maxSteps: params.maxSteps, optimalSteps: expert.length }
    return { env: 'household', id: `${SHORT[goal.family]}/${seed}`, split, seed, instruction: instruction(goal), meta }
  }
  throw new EngineError('bad_request', `No household task for seed ${seed} within ${MAX_ATTEMPTS} houses (step limit ${params.maxSteps} too small?).`)
}

export function householdTasks(split: string, count: number, offset: number, params?: Record<string, unknown>): Task[] {
  const p = resolveHouseholdParams(params)
  return splitSeeds(split, count, offset).map((seed) => householdTask(p, split as GeneratedSplit, seed))
}

/** The house, goal and limit of a task: stored in meta (regenerated from the seed when absent). */
export function taskWorld(task: Task): { world: World; maxSteps: number } {
  const meta = (task.meta ?? {}) as Partial<HouseholdTaskMeta> & Record<string, unknown>
  if (meta.house && meta.goal) return { world: new World(meta.house, meta.goal), maxSteps: typeof meta.maxSteps === 'number' ? meta.maxSteps : 50 }
  const regenerated = householdTask(resolveHouseholdParams(pickParams(meta)), task.split as GeneratedSplit, task.seed).meta as HouseholdTaskMeta
  return { world: new World(regenerated.house, regenerated.goal), maxSteps: regenerated.maxSteps }
}

function pickParams(meta: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(['family', 'rooms', 'maxSteps'].filter((k) => meta[k] !== undefined).map((k) => [k, meta[k]]))
}
