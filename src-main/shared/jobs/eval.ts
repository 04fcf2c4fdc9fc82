import { z } from 'zod'
import { PolicySpec, TaskSource } from './explore.ts'
import { DEFAULTS } from '../defaults.ts'

/** An evaluation run: policies × task set × n samples at a temperature (Pass@k needs n ≥ k). */
export const EvalConfig = z
  .object({
    env: z.string().min(1),
    tasks: TaskSource,
    limit: z.number().int().min(1).optional(),
    policies: z.array(PolicySpec).min(1).max(64),
    n: z.number().int().min(1).max(4096).default(DEFAULTS.eval.n),
    temperature: z.number().min(0).max(5).default(DEFAULTS.eval.temperature),
    topP: z.number().gt(0).max(1).default(1),
    seed: z.number().int().min(0).default(0),
  })
  .strict()
export type EvalConfig = z.output<typeof EvalConfig>
/** A `Eval` job's params: its config, nothing else (the job kind's schema, parsed again by the job). */
export const EvalParams = z.object({ config: EvalConfig }).strict()

/** How eval_results names a policy: 'random', 'checkpoint:12', 'endpoint:vllm/qwen2.5-7b'. */
export const policyKey = (p: PolicySpec): string =>
  p.kind === 'checkpoint' ? `checkpoint:${p.id}` : p.kind === 'endpoint' ? `endpoint:${p.endpoint}${p.model ? `/${p.model}` : ''}` : p.kind

const num = z.number()

/** What a Pass@k run returns. Loose: a reader keeps whatever the job wrote. */
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

/** What an eval job keeps to resume: its run, the policies as pinned at the first start, the faults so far. */
export const EvalState = z.looseObject({
  runId: num.optional(),
  policies: z.array(PolicySpec).optional(),
  errorSamples: EvalSummary.shape.errorSamples.optional(),
})
export type EvalState = z.infer<typeof EvalState>
