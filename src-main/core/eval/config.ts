import { z } from 'zod'
import { PolicySpec, TaskSource } from '../explore/config.ts'

/** An evaluation run: policies × task set × n samples at a temperature (Pass@k needs n ≥ k). */
export const EvalConfig = z
  .object({
    env: z.string().min(1),
    tasks: TaskSource,
    limit: z.number().int().min(1).optional(),
    policies: z.array(PolicySpec).min(1).max(64),
    n: z.number().int().min(1).max(4096).default(32),
    temperature: z.number().min(0).max(5).default(1),
    topP: z.number().gt(0).max(1).default(1),
    seed: z.number().int().min(0).default(0),
  })
  .strict()
export type EvalConfig = z.output<typeof EvalConfig>

/** How eval_results names a policy: 'random', 'checkpoint:12'. */
export const policyKey = (p: PolicySpec): string => (p.kind === 'checkpoint' ? `checkpoint:${p.id}` : p.kind)
