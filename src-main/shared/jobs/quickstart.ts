import { z } from 'zod'
import { MAX_TRAINING_SEED, TRAINING_ROLES, TfBackendSetting, type GeneratedSpec, type TrainingRole } from '../run-inputs.ts'
import { MODEL_PRESET_NAMES } from '../model-presets.ts'
import { ExploreSummary, type ExploreConfigInput, type Sampler, type TaskSource } from './explore.ts'

/**
 * The paper's comparison in one run: base → GRPO → Early Experience → LEAFE (explored
 * from the GRPO checkpoint, as the paper does, corrections accepted, Stage-2 SFT) → Pass@k of all
 * four and random play on held-out levels. Every size is here, recorded with the run and printed
 * with the results. Held-out (test) levels are used by the evaluation only.
 */
export const QuickstartConfig = z
  .object({
    env: z.string().min(1).default('sokoban'),
    /** The environment's task parameters: the difficulty. */
    params: z.record(z.string(), z.unknown()).default({}),
    /** Picks the training tasks of every phase (each its own slice) and the random streams; not the evaluation's levels. */
    seed: z.number().int().min(0).max(MAX_TRAINING_SEED).default(0),
    backend: TfBackendSetting.optional(),
    base: z
      .object({
        model: z.enum(MODEL_PRESET_NAMES),
        tasks: z.number().int().min(1),
        epochs: z.number().int().min(1),
        batchSize: z.number().int().min(1),
        lr: z.number().gt(0),
        mistakeRate: z.number().min(0).max(0.9),
      })
      .strict(),
    /** Teaching the base to read experience codes (train/reading.ts): every method starts from its result. */
    reading: z
      .object({
        tasks: z.number().int().min(1),
        episodes: z.number().int().min(1),
        temperature: z.number().gt(0),
        epochs: z.number().int().min(1),
        lr: z.number().gt(0),
        batchSize: z.number().int().min(1),
      })
      .strict(),
    grpo: z
      .object({ iterations: z.number().int().min(1), tasksPerIteration: z.number().int().min(1), groupSize: z.number().int().min(2), lr: z.number().gt(0), klBeta: z.number().min(0) })
      .strict(),
    earlyExperience: z
      .object({
        tasks: z.number().int().min(1),
        alternatives: z.number().int().min(1),
        worldWeight: z.number().min(0),
        epochs: z.number().int().min(1),
        lr: z.number().gt(0).default(5e-4),
        batchSize: z.number().int().min(1).default(32),
      })
      .strict(),
    explore: z
      .object({
        tasks: z.number().int().min(1),
        budget: z.number().int().min(1),
        maxDepth: z.number().int().min(0),
        branchesPerEvent: z.number().int().min(1),
        temperature: z.number().min(0),
        /** D_cf only from branches that later succeeded (the tiny CI run takes every correction). */
        onlySucceeded: z.boolean(),
        /** D_reh: share of successful trajectories whose steps become rehearsal items. */
        rehearsalShare: z.number().min(0).max(1).default(0.2),
      })
      .strict(),
    leafe: z.object({ beta: z.number().min(0), epochs: z.number().int().min(1), lr: z.number().gt(0), batchSize: z.number().int().min(1).default(32) }).strict(),
    eval: z
      .object({
        tasks: z.number().int().min(1),
        n: z.number().int().min(1),
        temperature: z.number().min(0),
        /**
         * `test` reports; `valid` is for choosing sizes and settings without looking at the test
         * levels. The set does not move with the seed: every seed is judged on the same levels.
         */
        split: z.enum(['test', 'valid']).default('test'),
      })
      .strict(),
  })
  .strict()
export type QuickstartConfig = z.output<typeof QuickstartConfig>
/** A `Quickstart` job's params: its config, nothing else (the job kind's schema, parsed again by the job). */
export const QuickstartParams = z.object({ config: QuickstartConfig }).strict()

/**
 * Sizes for a 2-core CPU with wasm: `standard` is meant to finish within 10 minutes there;
 * `reduced` runs every phase end to end in a minute or two (CI). The same code scales up by
 * raising them on a bigger machine.
 */
export function quickstartSizes(size: 'standard' | 'reduced', env: string = 'sokoban'): QuickstartConfig {
  if (env === 'household') return householdSizes(size)
  if (env !== 'sokoban') throw new Error(`The quickstart has sizes for ${QUICKSTART_ENVS.join(' and ')} only (asked for ${env}).`)
  // One-box 7x7 rooms (the paper's Sokoban is small one-box rooms) with a step limit of the
  // optimal solution + 1 move: random play's Pass@32 on the held-out levels stays below 0.2
  // (bench/results/quickstart.json), so no curve saturates, while a small model can learn to play.
  const common = { env: 'sokoban', params: { preset: '7x7-1', slack: 1 }, seed: 0 }
  if (size === 'reduced') return reducedSizes(common, 'nano')
  // Sizes were chosen on validation levels (eval.split 'valid'), never on the test levels.
  // Fine-tuning phases (Early Experience, Stage 2) start from one learning rate and batch size
  // (Stage 2's lr then had a grid of its own in bench:tune, Early Experience's did not). λ weighs the mean next-state NLL against the
  // mean imitation NLL (SFT's datasetWeighting 'mean'); 1 would weigh the two objectives equally.
  // (The 0.1 used before was per token: with 3 next-state targets of 27 tokens
  // per 2-token action, 40 times imitation's tokens, it gave world modelling about 4 times
  // imitation's weight.)
  return QuickstartConfig.parse({
    ...common,
    // 20 epochs at batch 64 (~3,730 steps): the loss sits on its ln 2 plateau (the move uniform
    // over four) for a number of steps that varies with the seed and even the training-thread
    // count, and the cosine schedule must not have decayed the rate by then. With 8 epochs seed 1
    // never left it; with 12 (on two threads, bench/results/plateau.json) seeds 0–2 left it at
    // steps 2,069, 1,536 and 1,043 of ~2,240, held-out loss 0.56 / 0.50 / 0.36; with 20 at 881,
    // 1,310 and 1,137, held-out 0.35 / 0.30 / 0.26 (lr 6e-3 at 12 epochs: 0.25 / 0.29 / 0.52).
    base: { model: 'micro', tasks: 2000, epochs: 20, batchSize: 64, lr: 3e-3, mistakeRate: 0.15 },
    // Reading: with lr 1e-3 and 3 epochs the loss never left its plateau (the fix was taken 52 % of
    // the time, masking alone 46 %); with 3e-3 and 6 epochs it left it after ~150 steps and took the
    // fix at 524 of 526 branch points (128 validation levels, one seed).
    reading: { tasks: 1000, episodes: 2, temperature: 1, epochs: 6, lr: 3e-3, batchSize: 64 },
    // GRPO, Early Experience and Stage 2 settings are bench:tune's choices on 128 validation levels,
    // seed 0 (bench/results/tune/sokoban.json): lr 3e-4 × 20 iterations gave 19.5 / 49.2
    // (Pass@1 / Pass@32), 1e-4 × 40 gave 19.8 / 54.7; λ 1 × 2 epochs 15.1 / 56.3, λ 0.25 × 4
    // epochs 20.0 / 63.3; Stage 2 kept β 1 × 8 epochs.
    grpo: { iterations: 40, tasksPerIteration: 16, groupSize: 8, lr: 1e-4, klBeta: 0.04 },
    earlyExperience: { tasks: 300, alternatives: 2, worldWeight: 0.25, epochs: 4, lr: 5e-4, batchSize: 32 },
    // On 128 validation levels from the read-trained base, at this budget: 1, 2 and 3 siblings
    // per branch event solved 106, 97 and 88 levels (the first sibling takes the fix nearly
    // always; more siblings spend the budget where it was not needed); a maximum depth of 4, 8
    // and 16 solved 106, 119 and 128 (levels with a tight limit need several corrections in a row).
    // Exploration size and Stage 2's lr × epochs: bench:tune's grid on 128 validation levels,
    // seed 0, from GRPO (bench/results/tune/sokoban.json, the run at ee0af70): exploring 512, 1,024
    // and 2,048 levels gave 1,132, 1,222 and 2,421 D_cf items; Stage 2 at lr 5e-4 × 8 epochs gave
    // 7.1 / 32.8 (Pass@1 / Pass@32) on the 512-level corpus and 8.4 / 38.3 on the 2,048-level one,
    // the best of 12 settings (lr 1e-4 and 4 epochs were no better; base 6.7 / 31.3 in that run).
    explore: { tasks: 2048, budget: 120, maxDepth: 16, branchesPerEvent: 1, temperature: 1, onlySucceeded: true, rehearsalShare: 0.2 },
    leafe: { beta: 1, epochs: 8, lr: 5e-4, batchSize: 32 },
    eval: { tasks: 128, n: 32, temperature: 1, split: 'test' },
  })
}

/** Every phase end to end in a minute or two (CI): the same small sizes for every environment. */
function reducedSizes(common: { env: string; params: Record<string, unknown>; seed: number }, model: string): QuickstartConfig {
  return QuickstartConfig.parse({
    ...common,
    base: { model, tasks: 120, epochs: 1, batchSize: 64, lr: 3e-3, mistakeRate: 0.15 },
    reading: { tasks: 24, episodes: 2, temperature: 1, epochs: 1, lr: 1e-3, batchSize: 32 },
    grpo: { iterations: 2, tasksPerIteration: 4, groupSize: 4, lr: 3e-4, klBeta: 0.04 },
    earlyExperience: { tasks: 16, alternatives: 1, worldWeight: 1, epochs: 1 },
    explore: { tasks: 12, budget: 60, maxDepth: 2, branchesPerEvent: 1, temperature: 1, onlySucceeded: false },
    leafe: { beta: 1, epochs: 1, lr: 2e-3 },
    eval: { tasks: 8, n: 4, temperature: 1 },
  })
}

/** The environments the quickstart (and bench:paper) has sizes for. */
export const QUICKSTART_ENVS = ['sokoban', 'household'] as const

/**
 * The household quickstart: ALFWorld-style houses of 2–4 rooms, every task family, 20 commands
 * per episode (optimal plans take 3–13, median 7; random play among the admissible commands
 * solved none of 64 validation houses in 32 tries). The model is `micro` with a 256-token
 * context: compact household states are up to 120 bytes, and Early Experience's world-model
 * examples hold two of them.
 */
function householdSizes(size: 'standard' | 'reduced'): QuickstartConfig {
  const common = { env: 'household', params: { maxSteps: 20 }, seed: 0 }
  if (size === 'reduced') return reducedSizes(common, 'micro-256')
  return QuickstartConfig.parse({
    ...common,
    base: { model: 'micro-256', tasks: 1000, epochs: 6, batchSize: 64, lr: 3e-3, mistakeRate: 0.15 },
    // Reading, on 128 validation houses (the explore bench, one seed): with 400 houses × 4 epochs
    // the branches took the critic's fix at 19 % of branch points and greedy Pass@1 fell from
    // 2.3 % to 0.8 %; with 1,000 × 8 they took it at 38 %, Pass@1 rose to 10.2 %, and the tree
    // solved 97 houses instead of 60.
    reading: { tasks: 1000, episodes: 2, temperature: 1, epochs: 8, lr: 3e-3, batchSize: 64 },
    // GRPO, Early Experience and Stage 2 settings are bench:tune's choices on 64 validation houses,
    // seed 0 (bench/results/tune/household.json): GRPO lr 3e-4 gave 12.9 / 56.3 (Pass@1 /
    // Pass@32), 1e-4 gave 12.3 / 64.1; λ 1 10.5 / 57.8, λ 0.25 11.9 / 62.5; Stage 2 from that
    // GRPO: β 1 × 6 epochs 7.9 / 46.9, × 3 epochs 7.1 / 56.3.
    grpo: { iterations: 12, tasksPerIteration: 8, groupSize: 8, lr: 1e-4, klBeta: 0.04 },
    earlyExperience: { tasks: 150, alternatives: 2, worldWeight: 0.25, epochs: 2, lr: 5e-4, batchSize: 32 },
    // Exploration size and Stage 2's lr × epochs: bench:tune's grid on 64 validation houses, seed 0,
    // from GRPO (bench/results/tune/household.json, the run at ee0af70): 128, 256 and 512 houses
    // gave 141, 143 and 266 D_cf items and no larger corpus scored better; at lr 5e-4 × 3 epochs
    // Stage 2 gave 11.2 / 64.1 (Pass@1 / Pass@32), at lr 1e-4 × 2 epochs 15.2 / 65.6, the best of
    // 12 (base 11.8 / 64.1 in that run). Stage 2's lr was tuned here and Early Experience's was not.
    explore: { tasks: 128, budget: 160, maxDepth: 16, branchesPerEvent: 1, temperature: 1, onlySucceeded: true, rehearsalShare: 0.2 },
    leafe: { beta: 1, epochs: 2, lr: 1e-4, batchSize: 32 },
    eval: { tasks: 64, n: 32, temperature: 1, split: 'test' },
  })
}

/**
 * The exploration these sizes describe, from a checkpoint with the critic: the quickstart's LEAFE
 * phase, and the IS / IR runs bench:paper and the explore bench compare with it at the same budget.
 */
export function quickstartExploreConfig(cfg: QuickstartConfig, o: { tasks: TaskSource; checkpoint: number; sampler: Sampler; buildCorpus: boolean }): ExploreConfigInput {
  const { tasks: _count, onlySucceeded, rehearsalShare, ...sampling } = cfg.explore
  return {
    env: cfg.env, tasks: o.tasks, policy: { kind: 'checkpoint', id: o.checkpoint }, sampler: o.sampler, reflector: 'critic', seed: cfg.seed, ...sampling,
    corpus: { build: o.buildCorpus, onlySucceeded, maxEventsPerTask: 3, rehearsalShare },
  }
}

/** How many training tasks each phase of the quickstart takes. */
export function quickstartRoleCounts(cfg: QuickstartConfig): Record<TrainingRole, number> {
  return { base: cfg.base.tasks, grpo: cfg.grpo.iterations * cfg.grpo.tasksPerIteration, early_experience: cfg.earlyExperience.tasks, explore: cfg.explore.tasks, reading: cfg.reading.tasks }
}

/**
 * The training tasks of one phase: the seed's own slice for that role, leaving out every task
 * whose content equals one of an earlier role's (in TRAINING_ROLES order), so no two phases
 * share a level and exploration never runs on the base's. `count` defaults to the phase's size.
 */
export function quickstartTrainTasks(cfg: QuickstartConfig, role: TrainingRole, count?: number): GeneratedSpec {
  const counts: Partial<Record<TrainingRole, number>> = quickstartRoleCounts(cfg)
  const n = count ?? counts[role]
  if (n === undefined) throw new Error(`The quickstart has no task count for the ${role} role; give one.`)
  const after = Object.fromEntries(TRAINING_ROLES.slice(0, TRAINING_ROLES.indexOf(role)).map((r) => [r, counts[r]]).filter(([, c]) => c !== undefined))
  return { split: 'train', role, seed: cfg.seed, count: n, params: cfg.params, ...(Object.keys(after).length ? { after } : {}) }
}

// ---------------------------------------------------------------------------------------------
// Its phases, what it saves to resume from, and what it returns.

const num = z.number()
const seconds = num
const checkpointId = num

/** The quickstart's phases in the order it runs them, each with what the UI calls it. */
export const QUICKSTART_PHASES = [
  { phase: 'base', label: 'base model' },
  { phase: 'reading', label: 'reading experience' },
  { phase: 'grpo', label: 'GRPO' },
  { phase: 'early_experience', label: 'Early Experience' },
  { phase: 'explore', label: 'LEAFE exploration' },
  { phase: 'leafe', label: 'LEAFE Stage 2' },
  { phase: 'eval', label: 'Pass@k evaluation' },
] as const
export type QuickstartPhase = (typeof QUICKSTART_PHASES)[number]['phase']
const QuickstartPhase = z.enum(QUICKSTART_PHASES.map((p) => p.phase) as [QuickstartPhase, ...QuickstartPhase[]])

/** What each phase keeps once done (in the saved state, so a resumed run skips it), with the seconds it took. */
const PHASE_DONE = {
  base: z.looseObject({ checkpointId, demonstrations: num, seconds }),
  reading: z.looseObject({ checkpointId, episodes: num, failures: num, blamed: num, seconds }),
  grpo: z.looseObject({ checkpointId, meanReward: num, seconds }),
  early_experience: z.looseObject({ checkpointId, imitation: num, world: num, seconds }),
  /** The exploration summary and how many of its corrections the quickstart accepted. */
  explore: ExploreSummary.extend({ accepted: num }),
  leafe: z.looseObject({ checkpointId, cf: num, reh: num, seconds }),
  eval: z.looseObject({ runId: num, taskSet: z.string(), seconds }),
} satisfies Record<QuickstartPhase, z.ZodType>
export type PhaseDone<P extends QuickstartPhase> = z.infer<(typeof PHASE_DONE)[P]>
// The same table seen per phase, so that looking a schema up by a generic phase keeps its type.
const phaseDoneSchemas: { [P in QuickstartPhase]: z.ZodType<PhaseDone<P>> } = PHASE_DONE

/** A finished phase's record as its declaration reads it; null when it is of another shape. */
export function phaseDone<P extends QuickstartPhase>(phase: P, stored: unknown): PhaseDone<P> | null {
  const parsed = phaseDoneSchemas[phase].safeParse(stored)
  return parsed.success ? parsed.data : null
}

export const QuickstartState = z.looseObject({
  /** Each finished phase's record (`QUICKSTART_PHASES[].done` with its seconds). */
  done: z.partialRecord(QuickstartPhase, z.record(z.string(), z.unknown())).default({}),
  /** The phase under way and the state its job saved (that job reads it with its own schema). */
  current: z.looseObject({ phase: QuickstartPhase, state: z.unknown() }).optional(),
})
export type QuickstartState = z.infer<typeof QuickstartState>

/** A mean difference with its 95 % interval. */
export const PairedInterval = z.looseObject({ mean: num, lo: num, hi: num })
export type PairedInterval = z.infer<typeof PairedInterval>

/** One evaluated task: n samples, c of them solved. */
export const TaskCount = z.looseObject({ taskKey: z.string(), n: num, c: num })
export type TaskCount = z.infer<typeof TaskCount>

export const QuickstartRow = z.looseObject({ method: z.string(), policy: z.string(), checkpointId: num.nullable(), passAt1: num, passAtN: num })
export type QuickstartRow = z.infer<typeof QuickstartRow>

/** LEAFE minus another method, per task on the same levels: the mean difference and its paired bootstrap 95 % interval. */
export const PairedRow = z.looseObject({ versus: z.string(), passAt1: PairedInterval, passAtN: PairedInterval })
export type PairedRow = z.infer<typeof PairedRow>

/** Loose like every result: a reader keeps whatever the job wrote. */
export const QuickstartResult = z.looseObject({
  /** The sizes it ran with (kept whole; loose, so a result written with other sizes still reads). */
  config: z.looseObject({ eval: z.looseObject({ split: z.enum(['valid', 'test']), temperature: num }) }),
  rows: z.array(QuickstartRow),
  n: num,
  testTasks: num,
  /** LEAFE against the base and against GRPO, task by task. */
  paired: z.array(PairedRow),
  /** Per method, every evaluated task's (n, c): what any later comparison is computed from. */
  counts: z.record(z.string(), z.array(TaskCount)),
  /** LEAFE against GRPO: tasks solved within n samples by one and not the other. */
  expansion: z.looseObject({ leafeOnly: num, grpoOnly: num, both: num, neither: num }),
  explore: ExploreSummary,
  phaseSeconds: z.record(QuickstartPhase, num),
  files: z.looseObject({ svg: z.string(), json: z.string(), markdown: z.string() }),
  seconds: num,
})
export type QuickstartResult = z.infer<typeof QuickstartResult>
