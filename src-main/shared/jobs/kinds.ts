// Every built-in job kind's three declarations — the params it is started with, the state it
// saves to resume from, the result it returns — gathered from the domain files next to this one.
// The engine's registry names these params schemas, each job parses its params and saved state
// with them, the contract's `Job` is a union on `kind` built from them, and the CLI and the UI
// read a finished job's result through `jobResult`, which checks it against its kind's schema.
import { z } from 'zod'
import { EvalParams, EvalState, EvalSummary } from './eval.ts'
import { ExploreParams, ExploreState, ExploreSummary } from './explore.ts'
import { QuickstartParams, QuickstartResult, QuickstartState } from './quickstart.ts'
import {
  BaseParams, BaseResult, BaseState, EarlyExperienceParams, EarlyExperienceResult, EarlyExperienceState, GrpoParams, GrpoResult, GrpoState,
  LeafeSftParams, LeafeSftResult, LeafeSftState, ReadingParams, ReadingResult, ReadingState, SftParams, SftResult, SftState,
} from './train.ts'

const kind = <P extends z.ZodType, S extends z.ZodType, R extends z.ZodType>(params: P, state: S, result: R) => ({ params, state, result })

/** Each built-in kind's params, saved state and result. */
export const jobKinds = {
  explore: kind(ExploreParams, ExploreState, ExploreSummary),
  eval: kind(EvalParams, EvalState, EvalSummary),
  base: kind(BaseParams, BaseState, BaseResult),
  sft: kind(SftParams, SftState, SftResult),
  grpo: kind(GrpoParams, GrpoState, GrpoResult),
  early_experience: kind(EarlyExperienceParams, EarlyExperienceState, EarlyExperienceResult),
  reading: kind(ReadingParams, ReadingState, ReadingResult),
  leafe_sft: kind(LeafeSftParams, LeafeSftState, LeafeSftResult),
  quickstart: kind(QuickstartParams, QuickstartState, QuickstartResult),
} as const
export type BuiltinKind = keyof typeof jobKinds
export const BUILTIN_KINDS = Object.keys(jobKinds) as BuiltinKind[]
export type JobParamsOf<K extends BuiltinKind> = z.output<(typeof jobKinds)[K]['params']>
export type JobStateOf<K extends BuiltinKind> = z.output<(typeof jobKinds)[K]['state']>
export type JobResultOf<K extends BuiltinKind> = z.output<(typeof jobKinds)[K]['result']>

export const isBuiltinKind = (k: string): k is BuiltinKind => Object.prototype.hasOwnProperty.call(jobKinds, k)

/**
 * Kinds registered at run time (tests, plugins) are namespaced, `<namespace>.<name>`, so they
 * can never take a built-in kind's name and a check of `job.kind` against a built-in one narrows
 * the job to that kind.
 */
export const RegisteredKindName = z.templateLiteral([z.string().min(1), '.', z.string().min(1)])
export type RegisteredKindName = z.infer<typeof RegisteredKindName>

export const JobStatus = z.enum(['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted'])

const jobFields = {
  id: z.number().int(),
  title: z.string(),
  status: JobStatus,
  progress: z.object({
    done: z.number(),
    total: z.number().nullable(),
    /** Units of work per second, measured over the recent past; null until known. */
    rate: z.number().nullable(),
    etaSeconds: z.number().nullable(),
  }),
  message: z.string(),
  error: z.string().nullable(),
  resumable: z.boolean(),
  attempts: z.number().int(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
}

// Each built-in kind as a job on the wire: its params, and its result once done (null before).
// (The kind's schemas are passed in, not looked up by a generic kind: that would type every
// branch's params as the union of all kinds' params, and `job.kind` would narrow nothing.)
const builtinJob = <K extends BuiltinKind, P extends z.ZodType, R extends z.ZodType>(k: K, spec: { params: P; result: R }) =>
  z.object({ ...jobFields, kind: z.literal(k), params: spec.params, result: spec.result.nullable() })
const builtinJobs = [
  builtinJob('explore', jobKinds.explore), builtinJob('eval', jobKinds.eval), builtinJob('base', jobKinds.base), builtinJob('sft', jobKinds.sft),
  builtinJob('grpo', jobKinds.grpo), builtinJob('early_experience', jobKinds.early_experience), builtinJob('reading', jobKinds.reading),
  builtinJob('leafe_sft', jobKinds.leafe_sft), builtinJob('quickstart', jobKinds.quickstart),
] as const

/** A job as every client sees it: a union on `kind`, each built-in kind with its own params and result. */
export const Job = z.union([
  z.discriminatedUnion('kind', builtinJobs),
  z.object({ ...jobFields, kind: RegisteredKindName, params: z.unknown(), result: z.unknown() }),
])
export type Job = z.infer<typeof Job>

// The same table seen per kind, so that looking a schema up by a generic kind keeps its type.
const resultSchemas: { [K in BuiltinKind]: z.ZodType<JobResultOf<K>> } = {
  explore: jobKinds.explore.result, eval: jobKinds.eval.result, base: jobKinds.base.result, sft: jobKinds.sft.result, grpo: jobKinds.grpo.result,
  early_experience: jobKinds.early_experience.result, reading: jobKinds.reading.result, leafe_sft: jobKinds.leafe_sft.result, quickstart: jobKinds.quickstart.result,
}
const stateSchemas: { [K in BuiltinKind]: z.ZodType<JobStateOf<K>> } = {
  explore: jobKinds.explore.state, eval: jobKinds.eval.state, base: jobKinds.base.state, sft: jobKinds.sft.state, grpo: jobKinds.grpo.state,
  early_experience: jobKinds.early_experience.state, reading: jobKinds.reading.state, leafe_sft: jobKinds.leafe_sft.state, quickstart: jobKinds.quickstart.state,
}

/** What reading a job's result needs of it: any job, whatever its kind (a stored row, a test's stand-in). */
export type JobLike = { id: number; kind: string; status: string; result: unknown }

/**
 * A finished job's result as its kind declares it: null while the job is not done, when it is
 * of another kind, or when what it stored does not match (a result written by an older version).
 */
export function jobResult<K extends BuiltinKind>(job: JobLike | null | undefined, kind: K): JobResultOf<K> | null {
  if (!job || job.kind !== kind || job.status !== 'done') return null
  const parsed = resultSchemas[kind].safeParse(job.result)
  return parsed.success ? parsed.data : null
}

/** The result of a job its caller saw finish: throws one line naming the job when there is none of its kind's shape. */
export function doneJobResult<K extends BuiltinKind>(job: JobLike, kind: K): JobResultOf<K> {
  const result = jobResult(job, kind)
  if (result === null) throw new Error(`Job ${job.id} (${job.kind}, ${job.status}) holds no ${kind} result of the shape its kind declares.`)
  return result
}

/**
 * The state a job of this kind saved, as its kind declares it; null on a first start. A state
 * of another shape (saved by an older version) throws one line: resuming from it would go wrong.
 */
export function savedJobState<K extends BuiltinKind>(kind: K, state: unknown): JobStateOf<K> | null {
  if (state === null || state === undefined) return null
  const parsed = stateSchemas[kind].safeParse(state)
  if (!parsed.success) throw new Error(`The saved state of this ${kind} job does not have the shape its kind declares (${parsed.error.issues[0]?.message ?? 'invalid'}); start the job again instead of resuming it.`)
  return parsed.data
}

/**
 * A job as stored, typed by its kind's declarations. A stored result of another shape (written by
 * an older version) is shown as none, as `jobResult` would read it. Params are checked when the
 * job is started, and a kind's params schema only grows (new fields come with defaults), so
 * stored params that no longer parse are a fault worth one line naming the job.
 */
export function jobFromStore(fields: Omit<z.input<typeof Job>, 'kind' | 'params' | 'result'> & { kind: string; params: unknown; result: unknown }): Job {
  const parsed = Job.safeParse(fields)
  if (parsed.success) return parsed.data
  const withoutResult = Job.safeParse({ ...fields, result: null })
  if (withoutResult.success) return withoutResult.data
  // The issue as the job's own kind sees it (the union only says that no branch matched).
  const own = isBuiltinKind(fields.kind) ? builtinJobs.find((b) => b.shape.kind.value === fields.kind)?.safeParse({ ...fields, result: null }) : undefined
  const issue = (own && !own.success ? own.error : withoutResult.error).issues[0]
  throw new Error(`Job ${fields.id} (${fields.kind}) is stored in a shape its kind does not accept: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}.`)
}
