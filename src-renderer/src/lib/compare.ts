// Two attempts side by side: where they agree (the common prefix: the same actions from the same
// start) and, from the first step where they part, each one's own steps in parallel rows.
import type { NodeState } from '../../../src-main/api/contract-runs.ts'

export type Aligned<S> = {
  /** Steps both attempts share, the start included (from a different start: 0). */
  common: S[]
  /** From the first differing step on: row i holds each attempt's (common.length + i)-th step, where it has one. */
  rows: { a: S | undefined; b: S | undefined }[]
}

type StepLike = Pick<NodeState, 'action' | 'observation'>

/**
 * Aligns two paths (start, step 1, step 2, …) at their common prefix. Two steps agree when they
 * took the same action and saw the same observation: two episodes of one task agree up to their
 * first different move; two different levels agree on nothing, not even the start.
 */
export function alignPaths<S extends StepLike>(a: readonly S[], b: readonly S[]): Aligned<S> {
  let k = 0
  while (k < a.length && k < b.length && a[k]!.action === b[k]!.action && a[k]!.observation === b[k]!.observation) k++
  const rows: Aligned<S>['rows'] = []
  for (let i = k; i < Math.max(a.length, b.length); i++) rows.push({ a: a[i], b: b[i] })
  return { common: a.slice(0, k), rows }
}
