import { z } from 'zod'
import { Name } from '../endpoint-config.ts'
import { ModelName, PolicySpec, TaskSource } from '../run-inputs.ts'
import { DEFAULTS } from '../defaults.ts'

export { PolicySpec, TaskSource }

/** The LLM reflector: a model on an endpoint asked for (tau, e) with the environment's template. */
export const LlmReflectorConfig = z
  .object({
    endpoint: Name,
    model: ModelName.optional(),
    /** Overrides the environment's template (Settings → prompts) for this run. */
    template: z.string().min(1).max(20_000).optional(),
    /** Requests per reflection before it is recorded as failed (a malformed reply is asked again). */
    attempts: z.number().int().min(1).max(10).default(3),
    temperature: z.number().min(0).max(2).default(0.7),
    maxTokens: z.number().int().min(16).max(8192).default(512),
  })
  .strict()
export type LlmReflectorConfig = z.output<typeof LlmReflectorConfig>

export const Sampler = z.enum(['leafe', 'is', 'ir'])
export type Sampler = z.infer<typeof Sampler>
export const ReflectorKind = z.enum(['critic', 'self', 'llm', 'human'])
export type ReflectorKind = z.infer<typeof ReflectorKind>

/**
 * One exploration run (LEAFE Stage 1, or the IS / IR samplers at the same step budget). Every
 * field is recorded in runs.config, with the seed, so the run can be reproduced.
 */
export const ExploreConfig = z
  .object({
    env: z.string().min(1),
    tasks: TaskSource,
    /** Use only the first N tasks of the set. */
    limit: z.number().int().min(1).optional(),
    policy: PolicySpec,
    sampler: Sampler.default('leafe'),
    reflector: ReflectorKind.default('critic'),
    trigger: z
      .object({
        /** Reflect every K steps of a line (null: only on failure). */
        everyK: z.number().int().min(1).nullable().default(null),
        onFailure: z.boolean().default(true),
      })
      .strict()
      .default({ everyK: null, onFailure: true }),
    /** The execution budget per task: what `budgetCounts` counts, branches and retries included. */
    budget: z.number().int().min(1).max(1_000_000).default(DEFAULTS.explore.budget),
    /**
     * `env_steps`: every environment step, the replayed prefix of a rollback included (the paper's
     * execution budget; restoring a snapshot costs none); `actions`: the policy's own actions only.
     */
    budgetCounts: z.enum(['env_steps', 'actions']).default('env_steps'),
    /**
     * The experience code the compact prompt carries where e applies (the first action of a
     * branch; for IR, a state an earlier attempt was blamed at): the reflector's whole code, its
     * diagnosis without the fix (what a reflector that is no oracle can say), or none (the failed
     * action is only masked).
     */
    experienceCode: z.enum(['full', 'diagnosis', 'none']).default('full'),
    /** Generations of branches below the first rollout (LEAFE). */
    maxDepth: z.number().int().min(0).max(1000).default(DEFAULTS.explore.maxDepth),
    /** Revised actions tried per branch event (distinct, sampled with the experience). */
    branchesPerEvent: z.number().int().min(1).max(16).default(DEFAULTS.explore.branchesPerEvent),
    /** IS / IR: attempts from scratch are repeated until the budget is spent. */
    stopOnSuccess: z.boolean().default(true),
    temperature: z.number().min(0).max(5).default(DEFAULTS.explore.temperature),
    topP: z.number().gt(0).max(1).default(1),
    seed: z.number().int().min(0).default(0),
    /** How to reach the state at tau: replay from reset (the paper's way), a snapshot, or snapshot where possible. */
    rollback: z.enum(['auto', 'replay', 'snapshot']).default('auto'),
    corpus: z
      .object({
        build: z.boolean().default(true),
        /** D_cf only from branch events whose branch later reached success. */
        onlySucceeded: z.boolean().default(true),
        maxEventsPerTask: z.number().int().min(0).default(3),
        /** D_reh: share of successful trajectories whose steps become rehearsal items. */
        rehearsalShare: z.number().min(0).max(1).default(0.2),
      })
      .strict()
      .default({ build: true, onlySucceeded: true, maxEventsPerTask: 3, rehearsalShare: 0.2 }),
    /** How long a 'human' reflection may stay unanswered before the branch point is skipped (seconds; 0 = wait forever). */
    humanTimeoutS: z.number().min(0).default(0),
    /** The 'llm' reflector's model; absent with an endpoint policy, that policy's endpoint reflects. */
    llm: LlmReflectorConfig.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.reflector === 'llm' && c.sampler !== 'is' && !c.llm && c.policy.kind !== 'endpoint') {
      ctx.addIssue({ code: 'custom', path: ['llm'], message: 'the llm reflector needs a model: set llm.endpoint (an endpoint policy reflects with its own endpoint)' })
    }
  })
export type ExploreConfig = z.output<typeof ExploreConfig>
/** A `Explore` job's params: its config, nothing else (the job kind's schema, parsed again by the job). */
export const ExploreParams = z.object({ config: ExploreConfig }).strict()
export type ExploreConfigInput = z.input<typeof ExploreConfig>

const num = z.number()

/** What an exploration run returns. Loose: a reader keeps whatever the job wrote. */
export const ExploreSummary = z.looseObject({
  runId: num,
  taskSet: z.string(),
  tasks: num,
  solved: num,
  solvedAtFirstAttempt: num,
  solvedByBranch: num,
  branchEvents: num,
  corpusItems: z.looseObject({ cf: num, reh: num }),
  stepsUsed: num,
  replaySteps: num,
  /** Decisions taken with an experience code in the context; of those with a fix, how many took it. */
  codes: z.looseObject({ shown: num, withFix: num, followedFix: num }),
  /** Revised actions at branch points whose reflection knew a fix, and how many took it (shown the code or not). */
  branchFix: z.looseObject({ branches: num, tookFix: num }),
  /** Tasks ended by an environment or policy fault (their episodes are marked 'error'), and the first reasons. */
  errors: num,
  errorTasks: z.array(z.looseObject({ task: z.string(), message: z.string() })),
  /** Reflections that failed (a malformed or missing reply): recorded as branch events with outcome 'error', no branch. */
  failedReflections: num,
  seconds: num,
})
export type ExploreSummary = z.infer<typeof ExploreSummary>

/**
 * What an exploration job keeps to resume: its run, and what it fixed at its first start — the
 * policy as pinned (a served model's name), the reflector's model, the reflection template.
 */
export const ExploreState = z.looseObject({
  runId: num.optional(),
  policy: PolicySpec.optional(),
  llm: z.looseObject({ endpoint: z.string(), model: z.string() }).nullable().optional(),
  template: z.string().nullable().optional(),
})
export type ExploreState = z.infer<typeof ExploreState>
