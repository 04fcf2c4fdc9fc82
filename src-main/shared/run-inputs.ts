// What a run acts with (a policy) and on (a task source): the job forms in the renderer and the
// engine's job configs read the same schemas.
import { z } from 'zod'
import { Extraction, Name } from './endpoint-config.ts'

/**
 * The pipelines' uses of training tasks. Each (seed, role) draws from its own slice of the train
 * range, so two seeds never train on the same seeds' levels and one seed's phases never share
 * one: exploration, for one, must not run on the levels the base was trained on.
 */
export const TRAINING_ROLES = ['base', 'grpo', 'early_experience', 'explore', 'reading'] as const
export type TrainingRole = (typeof TRAINING_ROLES)[number]

/** Tasks one (seed, role) may take: as many as one generated set may hold. */
export const ROLE_SLICE = 100_000

/** How many seeds each generated split's range holds (train, valid and test never overlap). */
export const SPLIT_RANGE = 1_000_000_000
/** Slices per seed: room for more roles without moving the slices of the existing ones. */
export const ROLE_SLOTS = 10
/** The largest experiment seed whose slices fit into the train range. */
export const MAX_TRAINING_SEED = SPLIT_RANGE / (ROLE_SLICE * ROLE_SLOTS) - 1

/** The TF.js backend a run asks for ('auto' picks the fastest that loads). */
export const TfBackendSetting = z.enum(['auto', 'node-gpu', 'webgpu', 'node', 'wasm', 'cpu'])

/** A model's id on an endpoint. */
export const ModelName = z.string().min(1).max(300)

/**
 * Which policy acts: random play, a checkpoint (local weights, or a served model registered as a
 * checkpoint), or a model on an OpenAI-compatible endpoint named in Settings.
 */
export const PolicySpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('random') }).strict(),
  z.object({ kind: z.literal('checkpoint'), id: z.number().int().positive() }).strict(),
  z
    .object({
      kind: z.literal('endpoint'),
      endpoint: Name,
      /** Overrides the endpoint's model (e.g. a LoRA adapter the server also serves). */
      model: ModelName.optional(),
      maxTokens: z.number().int().min(1).max(65_536).optional(),
      /** Overrides the environment's extraction (Settings → prompts). */
      extraction: Extraction.optional(),
    })
    .strict(),
])
export type PolicySpec = z.infer<typeof PolicySpec>

/**
 * A generated task set: `count` tasks of a split with the environment's task parameters. With a
 * `role` (train only), `seed` is the experiment seed and the tasks are that role's (the engine's
 * envs/splits.ts `trainingTasks`), none equal to a task of the earlier roles counted in `after`;
 * without one, `seed` is an offset into the split's seed range.
 */
export const GeneratedTasks = z
  .object({
    split: z.string().min(1),
    count: z.number().int().min(1).max(100_000),
    seed: z.number().int().min(0).default(0),
    params: z.record(z.string(), z.unknown()).default({}),
    /** A training role (train split): `seed` then picks the experiment's slice for that role, not an offset. */
    role: z.enum(TRAINING_ROLES).optional(),
    /** Earlier roles of the same seed and their task counts: their tasks' content is left out. */
    after: z.partialRecord(z.enum(TRAINING_ROLES), z.number().int().min(1).max(ROLE_SLICE)).optional(),
  })
  .strict()
export type GeneratedSpec = z.output<typeof GeneratedTasks>

/** Where the tasks come from: a stored task set, or one generated (and stored) from a seed range. */
export const TaskSource = z.union([z.object({ taskSet: z.string().min(1) }).strict(), GeneratedTasks])
export type TaskSource = z.infer<typeof TaskSource>
