// Pass@k: evaluation scopes, curves with bootstrap bands, and comparisons of two policies.
// Part of the one contract (contract.ts). Pure: no Node, no Electron.
import { z } from 'zod'
import { Int, RowId } from './contract-shapes.ts'

/** Which eval results a curve is computed over: one task set, or one eval run's tasks. */
export const EvalScope = z.union([z.object({ taskSetId: RowId }).strict(), z.object({ runId: RowId }).strict()])
export type EvalScope = z.infer<typeof EvalScope>

/** A policy as eval_results names it: 'checkpoint:12', or a baseline such as 'random'. */
const PolicyKey = z.string().min(1).max(200)

export const EvalScopeInfo = z.object({
  scope: EvalScope,
  /** What a person reads ("Sokoban 7x7-1 · test · 16 levels"); `name` is the task set's stored key. */
  label: z.string(),
  name: z.string().nullable(),
  env: z.string().nullable(),
  policies: z.array(z.object({ policy: z.string(), name: z.string(), checkpointId: Int.nullable(), tasks: Int, n: Int, runId: Int })),
})
export type EvalScopeInfo = z.infer<typeof EvalScopeInfo>

export const PassCurveOut = z.object({
  policy: z.string(),
  name: z.string(),
  checkpointId: Int.nullable(),
  ks: z.array(Int),
  mean: z.array(z.number()),
  lo: z.array(z.number()),
  hi: z.array(z.number()),
  tasks: Int,
  n: Int,
  runId: Int,
})
export type PassCurveOut = z.infer<typeof PassCurveOut>

export const SolvedComparisonOut = z.object({
  a: z.string(),
  b: z.string(),
  common: Int,
  both: z.array(z.string()),
  onlyA: z.array(z.string()),
  onlyB: z.array(z.string()),
  neither: z.array(z.string()),
  /**
   * The paired comparison on the common tasks, per k up to the smallest n: mean Pass@k of a and
   * of b, and b − a with its 95 % paired bootstrap interval over tasks (eval/paired-bootstrap.ts).
   */
  paired: z.array(z.object({ k: Int, a: z.number(), b: z.number(), diff: z.number(), lo: z.number(), hi: z.number() })),
})
export type SolvedComparisonOut = z.infer<typeof SolvedComparisonOut>

export const evalMethods = {
  'eval.scopes': {
    input: z.object({}).strict(),
    output: z.array(EvalScopeInfo),
    doc: 'The task sets (or eval runs) with stored results, and which policies (checkpoints, baselines) were evaluated on each.',
  },
  'eval.curves': {
    input: z
      .object({
        scope: EvalScope,
        policies: z.array(PolicyKey).min(1).max(16),
        resamples: Int.min(0).max(10_000).default(1000),
        level: z.number().min(0.5).max(0.999).default(0.95),
        seed: Int.default(0),
      })
      .strict(),
    output: z.array(PassCurveOut),
    doc: 'Pass@k curves (k = 1, 2, 4, …, n) with a seeded bootstrap band over tasks, recomputed from stored (n, c).',
  },
  'eval.compare': {
    input: z.object({ scope: EvalScope, a: PolicyKey, b: PolicyKey }).strict(),
    output: SolvedComparisonOut,
    doc: 'Sharpening versus expansion: the tasks solved within n samples by one policy and not the other.',
  },
} as const
