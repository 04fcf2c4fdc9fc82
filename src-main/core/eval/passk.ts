// Pass@k (Chen et al., 2021): the chance that at least one of k samples, drawn without
// replacement from n samples of which c were correct, is correct. Stored per task and checkpoint
// as (n, c), so every curve can be recomputed for any k ≤ n later.
import { rng } from '../random.ts'

import type { TaskCount } from '../../shared/jobs/quickstart.ts'
export type { TaskCount }

/**
 * The unbiased estimator 1 − C(n−c, k) / C(n, k) in product form:
 * C(n−c, k) / C(n, k) = ∏_{i=n−c+1}^{n} (1 − k/i), summed in log space (log1p / expm1) so that
 * neither huge binomials nor a product near 1 lose precision. When n − c < k every draw of k
 * contains a correct sample.
 */
export function passAtK(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k) || n < 1 || c < 0 || c > n || k < 1 || k > n) {
    throw new RangeError(`pass@k needs whole numbers 0 ≤ c ≤ n and 1 ≤ k ≤ n (got n=${n}, c=${c}, k=${k}).`)
  }
  if (c === 0) return 0
  if (n - c < k) return 1
  let logFail = 0
  for (let i = n - c + 1; i <= n; i++) logFail += Math.log1p(-k / i)
  return -Math.expm1(logFail)
}

/** k on 1, 2, 4, … up to n, with n itself last when it is not a power of two. */
export function kGrid(n: number): number[] {
  const ks: number[] = []
  for (let k = 1; k <= n; k *= 2) ks.push(k)
  if (n >= 1 && ks[ks.length - 1] !== n) ks.push(n)
  return ks
}

export type PassCurve = {
  ks: number[]
  /** Mean over tasks of each task's pass@k. */
  mean: number[]
  /** Bootstrap percentile band over tasks (resampled with replacement); equal to mean with one task. */
  lo: number[]
  hi: number[]
  tasks: number
  /** The smallest n among the tasks: the largest k the curve can reach. */
  n: number
}

export type CurveOptions = {
  /** Bootstrap resamples; 0 gives no band (lo = hi = mean). */
  resamples?: number
  /** Two-sided coverage of the band. */
  level?: number
  seed?: number
  ks?: number[]
}

/**
 * Pass@k per task, then averaged over tasks, for k on the grid up to the smallest n; a seeded
 * bootstrap over tasks gives the band. Tasks with n = 0 carry no information and are left out.
 */
export function passCurve(counts: TaskCount[], opts: CurveOptions = {}): PassCurve {
  const tasks = counts.filter((t) => t.n > 0)
  if (tasks.length === 0) return { ks: [], mean: [], lo: [], hi: [], tasks: 0, n: 0 }
  const n = Math.min(...tasks.map((t) => t.n))
  const ks = (opts.ks ?? kGrid(n)).filter((k) => k >= 1 && k <= n)
  const T = tasks.length
  const K = ks.length
  // values[t * K + j] = pass@ks[j] of task t: computed once, then resampled by row.
  const values = new Float64Array(T * K)
  for (let t = 0; t < T; t++) for (let j = 0; j < K; j++) values[t * K + j] = passAtK(tasks[t]!.n, tasks[t]!.c, ks[j]!)
  const mean = ks.map((_, j) => {
    let s = 0
    for (let t = 0; t < T; t++) s += values[t * K + j]!
    return s / T
  })
  const resamples = opts.resamples ?? 1000
  if (resamples <= 0 || T === 1) return { ks, mean, lo: [...mean], hi: [...mean], tasks: T, n }

  const rand = rng(opts.seed ?? 0)
  const level = opts.level ?? 0.95
  const draws = Array.from({ length: K }, () => new Float64Array(resamples))
  const sums = new Float64Array(K)
  for (let b = 0; b < resamples; b++) {
    sums.fill(0)
    for (let i = 0; i < T; i++) {
      const row = Math.floor(rand() * T) * K
      for (let j = 0; j < K; j++) sums[j]! += values[row + j]!
    }
    for (let j = 0; j < K; j++) draws[j]![b] = sums[j]! / T
  }
  const lo: number[] = []
  const hi: number[] = []
  for (const d of draws) {
    d.sort()
    lo.push(quantile(d, (1 - level) / 2))
    hi.push(quantile(d, 1 - (1 - level) / 2))
  }
  return { ks, mean, lo, hi, tasks: T, n }
}

/** Linear-interpolated quantile of sorted values (shared with the paired bootstrap). */
export function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q
  const i = Math.floor(pos)
  const f = pos - i
  return i + 1 < sorted.length ? sorted[i]! * (1 - f) + sorted[i + 1]! * f : sorted[i]!
}

export type SolvedComparison = {
  /** Tasks both checkpoints were evaluated on. */
  common: number
  both: string[]
  onlyA: string[]
  onlyB: string[]
  neither: string[]
}

/**
 * Sharpening versus expansion: among the tasks both were evaluated on, those solved within n
 * samples (c > 0) by one checkpoint and not the other. A checkpoint that gains Pass@1 while
 * solving no new tasks has sharpened; one that solves tasks the other never did has expanded.
 */
export function compareSolved(a: TaskCount[], b: TaskCount[]): SolvedComparison {
  const inB = new Map(b.map((t) => [t.taskKey, t]))
  const out: SolvedComparison = { common: 0, both: [], onlyA: [], onlyB: [], neither: [] }
  for (const ta of a) {
    const tb = inB.get(ta.taskKey)
    if (!tb || ta.n === 0 || tb.n === 0) continue
    out.common++
    const sa = ta.c > 0
    const sb = tb.c > 0
    ;(sa && sb ? out.both : sa ? out.onlyA : sb ? out.onlyB : out.neither).push(ta.taskKey)
  }
  return out
}
