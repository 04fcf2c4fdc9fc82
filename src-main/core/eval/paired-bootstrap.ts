// The paired comparison of two policies evaluated on the same tasks: per-task differences
// a[i] − b[i], their mean, and a percentile bootstrap over tasks. Pairing matters because task
// difficulty varies far more than the policies differ: resampling the two curves independently
// (as passCurve's bands do) adds the task variance twice and hides real gains.
import { rng } from '../random.ts'
import { quantile } from './passk.ts'

export type PairedBootstrapOptions = {
  /** Bootstrap resamples (default 2000). */
  iterations?: number
  /** Seed of the resampling stream (default 0): the same inputs and seed give the same interval. */
  seed?: number
  /** Two-sided coverage of the interval (default 0.95). */
  level?: number
}

import type { PairedInterval } from '../../shared/jobs/quickstart.ts'
export type { PairedInterval }

/**
 * mean(a − b) over tasks, with the percentile bootstrap interval: tasks are resampled with
 * replacement (a task's two values always travel together), the mean difference of each
 * resample is recorded, and the interval is the (1 − level)/2 and (1 + level)/2 quantiles of
 * those means. One task gives lo = hi = mean (there is nothing to resample).
 */
export function pairedBootstrap(a: number[], b: number[], opts: PairedBootstrapOptions = {}): PairedInterval {
  if (a.length !== b.length) throw new RangeError(`pairedBootstrap needs one value per task from each side (got ${a.length} and ${b.length}).`)
  if (a.length === 0) throw new RangeError('pairedBootstrap needs at least one task.')
  const iterations = opts.iterations ?? 2000
  const level = opts.level ?? 0.95
  if (!Number.isInteger(iterations) || iterations < 1) throw new RangeError(`iterations must be a whole number ≥ 1 (got ${iterations}).`)
  if (!(level > 0 && level < 1)) throw new RangeError(`level must lie strictly between 0 and 1 (got ${level}).`)
  const T = a.length
  const diff = new Float64Array(T)
  let sum = 0
  for (let i = 0; i < T; i++) {
    const d = a[i]! - b[i]!
    if (!Number.isFinite(d)) throw new RangeError(`pairedBootstrap: task ${i} has a value that is not a finite number.`)
    diff[i] = d
    sum += d
  }
  const mean = sum / T
  if (T === 1) return { mean, lo: mean, hi: mean }
  const rand = rng(opts.seed ?? 0)
  const means = new Float64Array(iterations)
  for (let r = 0; r < iterations; r++) {
    let s = 0
    for (let i = 0; i < T; i++) s += diff[Math.floor(rand() * T)]!
    means[r] = s / T
  }
  means.sort()
  return { mean, lo: quantile(means, (1 - level) / 2), hi: quantile(means, (1 + level) / 2) }
}
