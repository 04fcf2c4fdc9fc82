import { z } from 'zod'
import { GeneratedTasks, TaskSource, TfBackendSetting } from '../run-inputs.ts'
import { MODEL_PRESET_NAMES } from '../model-presets.ts'
import { DEFAULTS } from '../defaults.ts'

/**
 * How a dataset's weight enters the SFT loss. 'mean': it multiplies that dataset's MEAN per-token
 * NLL, so L = L_cf + β·L_reh holds as written whatever the datasets' sizes (data.ts
 * `weighDatasets`). 'token' (the older form): it multiplies every token's NLL and the sum is
 * divided by all target tokens, so each dataset also counts by its share of the tokens — β then
 * weighs items, not datasets.
 */
export const DATASET_WEIGHTINGS = ['mean', 'token'] as const
export type DatasetWeighting = (typeof DATASET_WEIGHTINGS)[number]

/**
 * How GRPO averages a rollout's tokens. 'rollout' (GRPO's): each rollout's token mean
 * 1/|o_i| Σ_t, then the mean over rollouts, so a long episode counts as much as a short one.
 * 'token': every drawn token of the batch counts the same (long episodes count more).
 */
export const GRPO_NORMALISATIONS = ['rollout', 'token'] as const
export type GrpoNormalisation = (typeof GRPO_NORMALISATIONS)[number]

/** One JSONL file of {prompt, target} lines and the weight of its examples in the loss. */
export const DatasetSpec = z
  .object({
    path: z.string().min(1),
    /** Multiplies this file's mean per-token loss (see datasetWeighting): L = L_cf + β·L_reh is datasets [{cf, 1}, {reh, β}]. */
    weight: z.number().min(0).max(1000).default(1),
  })
  .strict()
export type DatasetSpec = z.output<typeof DatasetSpec>

/**
 * LoRA on an imported Hugging Face model (the base stays frozen; PEFT's defaults for the family's
 * target modules when none are named). Ignored by nothing: a byte-level start refuses it.
 */
export const LoraOption = z
  .object({
    r: z.number().int().min(1).max(1024),
    alpha: z.number().gt(0).max(100_000),
    dropout: z.number().min(0).lt(1).default(0),
    targetModules: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict()
export type LoraOption = z.output<typeof LoraOption>

/** Supervised fine-tuning: from a checkpoint or a fresh preset, on weighted datasets. */
export const SftConfig = z
  .object({
    name: z.string().min(1).max(200).default('sft'),
    start: z.union([
      z.object({ checkpoint: z.number().int().positive() }).strict(),
      z
        .object({
          preset: z.enum(MODEL_PRESET_NAMES),
          /** Overrides the preset's context length (shorter trains faster). */
          contextLength: z.number().int().min(8).max(4096).optional(),
        })
        .strict(),
    ]),
    datasets: z.array(DatasetSpec).min(1).max(32),
    /** Held out for the eval loss: a share of every dataset (chosen by seed), or a file of its own. */
    eval: z.union([z.object({ share: z.number().min(0).max(0.5) }).strict(), z.object({ path: z.string().min(1) }).strict()]).default({ share: 0.05 }),
    epochs: z.number().int().min(1).max(10_000).default(DEFAULTS.sft.epochs),
    batchSize: z.number().int().min(1).max(4096).default(DEFAULTS.sft.batchSize),
    /** Examples per forward pass: a larger batch is computed in parts of this size and their gradients summed (the same step in less memory). */
    microBatch: z.number().int().min(1).max(4096).optional(),
    /** Training threads, each with its own backend and a shard of every batch (absent: LEAFE_TRAIN_THREADS, else chosen from the backend and the batch; train/data-parallel.ts). */
    trainThreads: z.number().int().min(1).max(64).optional(),
    lr: z.number().gt(0).max(1).default(DEFAULTS.sft.lr),
    warmupSteps: z.number().int().min(0).default(20),
    decay: z.enum(['cosine', 'linear', 'none']).default('cosine'),
    minLrRatio: z.number().min(0).max(1).default(0.1),
    weightDecay: z.number().min(0).max(10).default(0.1),
    /** Clip the global gradient norm to this (null: no clipping). */
    gradClip: z.number().gt(0).nullable().default(1),
    seed: z.number().int().min(0).default(0),
    /** Several short examples per row (block-diagonal attention) instead of one padded example per row. */
    packing: z.boolean().default(false),
    /** 'mean': each dataset's weight multiplies its mean per-token NLL; 'token': every token's (datasets then also count by their token share). */
    datasetWeighting: z.enum(DATASET_WEIGHTINGS).default('mean'),
    backend: TfBackendSetting.optional(),
    /** Train a LoRA adapter (imported models only; an imported start trains one with PEFT's defaults when this is absent). */
    lora: LoraOption.optional(),
  })
  .strict()
export type SftConfig = z.output<typeof SftConfig>
/** A `Sft` job's params: its config, nothing else (the job kind's schema, parsed again by the job). */
export const SftParams = z.object({ config: SftConfig }).strict()
export type SftInput = z.input<typeof SftConfig>

/** The SFT knobs a pipeline passes through to its fine-tuning phase (the rest keep SftConfig's defaults). */
export const SftKnobs = z
  .object({
    epochs: z.number().int().min(1).max(10_000).optional(),
    batchSize: z.number().int().min(1).max(4096).optional(),
    microBatch: z.number().int().min(1).max(4096).optional(),
    /** Training threads, each with its own backend and a shard of every batch (absent: LEAFE_TRAIN_THREADS, else chosen from the backend and the batch; train/data-parallel.ts). */
    trainThreads: z.number().int().min(1).max(64).optional(),
    lr: z.number().gt(0).max(1).optional(),
    warmupSteps: z.number().int().min(0).optional(),
    eval: z.object({ share: z.number().min(0).max(0.5) }).strict().optional(),
    datasetWeighting: z.enum(DATASET_WEIGHTINGS).optional(),
    lora: LoraOption.optional(),
  })
  .strict()
  .default({})
export type SftKnobs = z.output<typeof SftKnobs>

const BackendOption = TfBackendSetting.optional()

/** `leafe train base`'s sizes: a few minutes on a 2-core CPU with wasm (README, bench/results/base.json). */
export const BASE_DEFAULTS = { model: 'micro', tasks: 2000, epochs: 8, batchSize: 128, lr: 3e-3, mistakeRate: 0.15, evalTasks: 200 } as const

/**
 * A base model from the expert: its demonstrations on generated training tasks, with a share of
 * steps replaced by another action (so the model sees mistakes it must not copy), learnt by SFT
 * from a fresh model. `leafe train base` and the quickstart's first phase both run this job.
 */
export const BaseConfig = z
  .object({
    env: z.string().min(1),
    /** The training tasks demonstrated (a generated set, never stored: the expert replays it). */
    tasks: GeneratedTasks,
    model: z.enum(MODEL_PRESET_NAMES).default(BASE_DEFAULTS.model),
    epochs: z.number().int().min(1).max(10_000).default(BASE_DEFAULTS.epochs),
    batchSize: z.number().int().min(1).max(4096).default(BASE_DEFAULTS.batchSize),
    lr: z.number().gt(0).max(1).default(BASE_DEFAULTS.lr),
    /** Share of demonstrated steps replaced by another action. */
    mistakeRate: z.number().min(0).max(0.9).default(BASE_DEFAULTS.mistakeRate),
    seed: z.number().int().min(0).default(0),
    backend: BackendOption,
  })
  .strict()
export type BaseConfig = z.output<typeof BaseConfig>
/** A `base` job's params: its config, nothing else (the job kind's schema, parsed again by the job). */
export const BaseParams = z.object({ config: BaseConfig }).strict()

/** GRPO: G rollouts per task, terminal reward, group-normalised advantages, clipped ratio, KL to a reference. */
export const GrpoConfig = z
  .object({
    name: z.string().min(1).max(200).default('grpo'),
    /** The checkpoint to improve. */
    from: z.number().int().positive(),
    /** The KL reference (default: the start checkpoint). */
    reference: z.number().int().positive().optional(),
    env: z.string().min(1),
    /** Training tasks; iterations walk through them in a seeded order. */
    tasks: TaskSource,
    iterations: z.number().int().min(1).max(100_000).default(DEFAULTS.grpo.iterations),
    tasksPerIteration: z.number().int().min(1).max(4096).default(DEFAULTS.grpo.tasksPerIteration),
    /** G: rollouts per task; advantages are normalised within these groups. */
    groupSize: z.number().int().min(2).max(256).default(DEFAULTS.grpo.groupSize),
    temperature: z.number().gt(0).max(5).default(1),
    lr: z.number().gt(0).max(1).default(DEFAULTS.grpo.lr),
    clip: z.number().gt(0).max(1).default(0.2),
    klBeta: z.number().min(0).max(10).default(DEFAULTS.grpo.klBeta),
    /** Passes over each iteration's rollouts (μ); more than one makes the clipping bite. */
    updateEpochs: z.number().int().min(1).max(16).default(2),
    /** (state, action) rows per gradient step. */
    minibatch: z.number().int().min(1).max(65_536).default(DEFAULTS.grpo.minibatch),
    /** Training threads, each with its own backend and a shard of every minibatch (absent: LEAFE_TRAIN_THREADS, else chosen from the backend and the batch; train/data-parallel.ts). */
    trainThreads: z.number().int().min(1).max(64).optional(),
    /** 'rollout': each rollout's token mean, then the mean over rollouts (GRPO's 1/|o_i|); 'token': every action token alike. */
    normalise: z.enum(GRPO_NORMALISATIONS).default('rollout'),
    gradClip: z.number().gt(0).nullable().default(1),
    seed: z.number().int().min(0).default(0),
    /** Save a checkpoint every this many iterations (and at the end): what a resume starts from. */
    checkpointEvery: z.number().int().min(1).default(5),
    backend: TfBackendSetting.optional(),
    /** Train a LoRA adapter (imported models only; an imported start trains one with PEFT's defaults when this is absent). */
    lora: LoraOption.optional(),
  })
  .strict()
export type GrpoConfig = z.output<typeof GrpoConfig>
/** A `Grpo` job's params: its config, nothing else (the job kind's schema, parsed again by the job). */
export const GrpoParams = z.object({ config: GrpoConfig }).strict()

/** The Early Experience baseline (implicit world modelling): data from the start checkpoint, then SFT. */
export const EarlyExperienceConfig = z
  .object({
    name: z.string().min(1).max(200).default('early experience'),
    from: z.number().int().positive(),
    env: z.string().min(1),
    tasks: TaskSource,
    /** Alternative actions proposed per expert state. */
    alternatives: z.number().int().min(1).max(16).default(DEFAULTS.earlyExperience.alternatives),
    temperature: z.number().gt(0).max(5).default(1),
    /** λ: L = mean imitation NLL + λ · mean next-state NLL (per target token; SFT's datasetWeighting 'mean'). */
    worldWeight: z.number().min(0).max(100).default(DEFAULTS.earlyExperience.worldWeight),
    train: SftKnobs,
    seed: z.number().int().min(0).default(0),
    backend: BackendOption,
  })
  .strict()
export type EarlyExperienceConfig = z.output<typeof EarlyExperienceConfig>
/** A `EarlyExperience` job's params: its config, nothing else (the job kind's schema, parsed again by the job). */
export const EarlyExperienceParams = z.object({ config: EarlyExperienceConfig }).strict()

/**
 * Teaching a checkpoint to read experience codes (train/reading.ts): its own critic-blamed
 * failures on these tasks, with the whole code and the diagnosis only, mixed 1:1 with plain
 * expert steps, then a short SFT.
 */
export const ReadingConfig = z
  .object({
    name: z.string().min(1).max(200).default('reading'),
    from: z.number().int().positive(),
    env: z.string().min(1),
    /** Training tasks the checkpoint did not train on. */
    tasks: TaskSource,
    /** Sampled episodes per task. */
    episodes: z.number().int().min(1).max(64).default(2),
    temperature: z.number().gt(0).max(5).default(1),
    train: SftKnobs,
    seed: z.number().int().min(0).default(0),
    backend: BackendOption,
  })
  .strict()
export type ReadingConfig = z.output<typeof ReadingConfig>
/** A `Reading` job's params: its config, nothing else (the job kind's schema, parsed again by the job). */
export const ReadingParams = z.object({ config: ReadingConfig }).strict()

/** LEAFE Stage 2: SFT on the accepted corpus, L = L_cf + β·L_reh. */
export const LeafeSftConfig = z
  .object({
    name: z.string().min(1).max(200).default('leafe'),
    from: z.number().int().positive(),
    /** β: L = mean L_cf + β · mean L_reh, each the dataset's mean per-token NLL (SFT's datasetWeighting 'mean'). */
    beta: z.number().min(0).max(100).default(DEFAULTS.leafe.beta),
    /** Only the accepted items of this environment (all environments when absent). */
    env: z.string().min(1).optional(),
    /** Only the items these exploration runs produced (all runs when absent). */
    runs: z.array(z.number().int().positive()).optional(),
    /** The ablation of L_cf: train on L_reh alone, leaving the counterfactual items out. */
    rehearsalOnly: z.boolean().default(false),
    train: SftKnobs,
    seed: z.number().int().min(0).default(0),
    backend: BackendOption,
  })
  .strict()
export type LeafeSftConfig = z.output<typeof LeafeSftConfig>
/** A `LeafeSft` job's params: its config, nothing else (the job kind's schema, parsed again by the job). */
export const LeafeSftParams = z.object({ config: LeafeSftConfig }).strict()

// ---------------------------------------------------------------------------------------------
// What the training jobs save to resume from, and what they return. Results are loose: a reader
// keeps whatever the job wrote (`--json` prints it whole); saved states are loose for the same
// reason (a state saved by an older version may carry fields this one no longer reads).

const num = z.number()

/** SFT: resumes after the last finished epoch of its run. */
export const SftState = z.looseObject({ runId: num, checkpointId: num.nullable(), epoch: num, step: num })
export type SftState = z.infer<typeof SftState>

/** The state of a pipeline's SFT phase (Reading, Early Experience, Stage 2 keep it under `sft`). */
const sftPhase = { sft: SftState.nullable().optional() }

export const ReadingState = z.looseObject({
  /** The training file of the data phase, once written. */
  file: z.string().optional(),
  counts: z.looseObject({ episodes: num, failures: num, blamed: num, rehearsal: num }).optional(),
  ...sftPhase,
})
export type ReadingState = z.infer<typeof ReadingState>

export const EarlyExperienceState = z.looseObject({
  files: z.looseObject({ imitation: z.string(), world: z.string(), counts: z.looseObject({ imitation: num, world: num }) }).optional(),
  ...sftPhase,
})
export type EarlyExperienceState = z.infer<typeof EarlyExperienceState>

export const LeafeSftState = z.looseObject({
  /** The Stage-2 training files written from the accepted corpus (corpus/training-data.ts). */
  files: z
    .looseObject({
      cf: z.looseObject({ path: z.string(), count: num }),
      reh: z.looseObject({ path: z.string(), count: num }),
      skipped: num,
      /** Absent in states saved before targets were checked. */
      invalidTargets: num.optional(),
    })
    .optional(),
  ...sftPhase,
})
export type LeafeSftState = z.infer<typeof LeafeSftState>

/** What the demonstrations phase of a base job made. */
export const BaseDemonstrations = z.looseObject({ steps: num, tasks: num, withoutExpert: num, mistakes: num })

export const BaseState = z.looseObject({
  /** The demonstrations file, once written, and its counts. */
  data: z.looseObject({ dataset: z.string(), demonstrations: BaseDemonstrations }).optional(),
  ...sftPhase,
})
export type BaseState = z.infer<typeof BaseState>

/** GRPO: resumes after the last finished iteration (its checkpoint, once one was saved). */
export const GrpoState = z.looseObject({ runId: num, iteration: num, checkpointId: num.nullable() })
export type GrpoState = z.infer<typeof GrpoState>

export const SftResult = z.looseObject({
  runId: num,
  checkpointId: num,
  epochs: num,
  steps: num,
  trainExamples: num,
  evalExamples: num,
  evalLoss: num.nullable(),
  /** The epoch a resumed run continued after (null on a first start). */
  resumedFrom: num.nullable(),
  seconds: num,
  backend: z.string(),
})
export type SftResult = z.infer<typeof SftResult>

export const BaseResult = SftResult.extend({ dataset: z.string(), demonstrations: BaseDemonstrations })
export type BaseResult = z.infer<typeof BaseResult>

export const ReadingResult = SftResult.extend({ episodes: num, failures: num, blamed: num, rehearsal: num })
export type ReadingResult = z.infer<typeof ReadingResult>

export const EarlyExperienceResult = SftResult.extend({ imitationExamples: num, worldExamples: num })
export type EarlyExperienceResult = z.infer<typeof EarlyExperienceResult>

export const LeafeSftResult = SftResult.extend({ cfExamples: num, rehExamples: num, skippedItems: num, invalidTargets: num })
export type LeafeSftResult = z.infer<typeof LeafeSftResult>

export const GrpoResult = z.looseObject({ runId: num, checkpointId: num, iterations: num, meanReward: num, seconds: num, backend: z.string() })
export type GrpoResult = z.infer<typeof GrpoResult>
