import { z } from 'zod'
import { PolicySpec, TaskSource } from '../explore/config.ts'
import { DEFAULTS } from '../../shared/defaults.ts'

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
