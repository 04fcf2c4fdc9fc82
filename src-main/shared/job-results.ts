// What each built-in job kind returns, declared once: the engine's jobs return these types, and
// the CLI and the renderer read a finished job's result through `jobResult`, which checks it
// against its kind's schema instead of trusting a cast. The quickstart's phases are declared here
// too, so the job that runs them and the panel that shows them cannot disagree on their order.
//
// Every schema is loose: a result may carry more than its kind declares (the quickstart's
// exploration phase adds its own counts to the exploration summary), and a reader keeps it whole,
// so `--json` prints exactly what the job wrote.
import { z } from 'zod'

const num = z.number()

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

export const ReadingResult = SftResult.extend({ episodes: num, failures: num, blamed: num, rehearsal: num })
export type ReadingResult = z.infer<typeof ReadingResult>

export const EarlyExperienceResult = SftResult.extend({ imitationExamples: num, worldExamples: num })
export type EarlyExperienceResult = z.infer<typeof EarlyExperienceResult>

export const LeafeSftResult = SftResult.extend({ cfExamples: num, rehExamples: num, skippedItems: num, invalidTargets: num })
export type LeafeSftResult = z.infer<typeof LeafeSftResult>

export const GrpoResult = z.looseObject({ runId: num, checkpointId: num, iterations: num, meanReward: num, seconds: num, backend: z.string() })
export type GrpoResult = z.infer<typeof GrpoResult>

export const EvalSummary = z.looseObject({
  runId: num,
  taskSet: z.string(),
  tasks: num,
  n: num,
  /** Per policy: Pass@1 = mean c/n, Pass@n = share of tasks solved at least once (both exact from (n, c)). */
  policies: z.array(z.looseObject({ policy: z.string(), passAt1: num, passAtN: num, errors: num })),
  /** Samples ended by an environment or policy fault (counted as failures), and the first reasons. */
  errors: num,
  errorSamples: z.array(z.looseObject({ policy: z.string(), task: z.string(), sample: num, message: z.string() })),
  seconds: num,
})
export type EvalSummary = z.infer<typeof EvalSummary>

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

export const QuickstartResult = z.looseObject({
  /**
   * The sizes it ran with (the engine's QuickstartConfig, kept whole); readers need only how it
   * was evaluated.
   */
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

/** Each built-in kind's result schema. */
export const jobResults = {
  sft: SftResult,
  reading: ReadingResult,
  early_experience: EarlyExperienceResult,
  leafe_sft: LeafeSftResult,
  grpo: GrpoResult,
  eval: EvalSummary,
  explore: ExploreSummary,
  quickstart: QuickstartResult,
} as const
export type JobResultKind = keyof typeof jobResults
export type JobResultOf<K extends JobResultKind> = z.infer<(typeof jobResults)[K]>

// The same table seen per kind, so that looking a schema up by a generic kind keeps its type.
const resultSchemas: { [K in JobResultKind]: z.ZodType<JobResultOf<K>> } = jobResults

type JobLike = { id: number; kind: string; status: string; result: unknown }

/**
 * A finished job's result as its kind declares it: null while the job is not done, when it is
 * of another kind, or when what it stored does not match (a result written by an older version).
 */
export function jobResult<K extends JobResultKind>(job: JobLike | null | undefined, kind: K): JobResultOf<K> | null {
  if (!job || job.kind !== kind || job.status !== 'done') return null
  const parsed = resultSchemas[kind].safeParse(job.result)
  return parsed.success ? parsed.data : null
}

/** The result of a job its caller saw finish: throws one line naming the job when there is none of its kind's shape. */
export function doneJobResult<K extends JobResultKind>(job: JobLike, kind: K): JobResultOf<K> {
  const result = jobResult(job, kind)
  if (result === null) throw new Error(`Job ${job.id} (${job.kind}, ${job.status}) holds no ${kind} result of the shape its kind declares.`)
  return result
}
