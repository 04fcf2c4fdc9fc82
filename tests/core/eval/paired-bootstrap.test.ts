import { describe, expect, it } from 'vitest'
import { pairedBootstrap } from '../../../src-main/core/eval/paired-bootstrap.ts'

/** n tasks whose differences alternate 1, 0 (a solves every other task b does not). */
function alternating(n: number): { a: number[]; b: number[] } {
  const a = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 0.5))
  const b = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 0 : 0.5))
  return { a, b }
}

describe('pairedBootstrap', () => {
  it('matches the hand-computed bootstrap distribution of two tasks', () => {
    // Differences (1, 0): a resample of two tasks has mean 0 (p = 1/4), 0.5 (p = 1/2) or 1 (p = 1/4).
    const a = [1, 0.5]
    const b = [0, 0.5]
    const wide = pairedBootstrap(a, b, { iterations: 20000, level: 0.9, seed: 3 })
    expect(wide.mean).toBe(0.5)
    // The 5 % quantile falls in the mass at 0, the 95 % one in the mass at 1.
    expect(wide.lo).toBe(0)
    expect(wide.hi).toBe(1)
    // The 30 % and 70 % quantiles both fall in the middle half at 0.5.
    const narrow = pairedBootstrap(a, b, { iterations: 20000, level: 0.4, seed: 3 })
    expect(narrow).toEqual({ mean: 0.5, lo: 0.5, hi: 0.5 })
  })

  it('pairs the tasks: a constant difference has no spread however different the tasks are', () => {
    const a = [1, 0.25, 0.75, 0.5, 0.25]
    const b = a.map((x) => x - 0.25)
    expect(pairedBootstrap(a, b, { seed: 1 })).toEqual({ mean: 0.25, lo: 0.25, hi: 0.25 })
  })

  it('agrees with the normal approximation at 100 tasks: mean ± 1.96 · sd / √n', () => {
    const { a, b } = alternating(100)
    const r = pairedBootstrap(a, b, { iterations: 4000, seed: 7 })
    expect(r.mean).toBeCloseTo(0.5, 12)
    // sd of the differences is 0.5, so the half-width is 1.96 · 0.5 / 10 ≈ 0.098.
    expect(r.hi - r.lo).toBeGreaterThan(0.17)
    expect(r.hi - r.lo).toBeLessThan(0.23)
    expect(r.lo).toBeLessThan(0.5)
    expect(r.hi).toBeGreaterThan(0.5)
  })

  it('shrinks with more tasks', () => {
    const small = alternating(10)
    const large = alternating(160)
    const ws = pairedBootstrap(small.a, small.b, { seed: 2 })
    const wl = pairedBootstrap(large.a, large.b, { seed: 2 })
    // √16 = 4 times narrower in theory; at least 3 times here.
    expect(wl.hi - wl.lo).toBeLessThan((ws.hi - ws.lo) / 3)
  })

  it('is deterministic per seed and moves with it', () => {
    const { a, b } = alternating(12)
    expect(pairedBootstrap(a, b, { seed: 5 })).toEqual(pairedBootstrap(a, b, { seed: 5 }))
    const other = pairedBootstrap(a, b, { seed: 6, iterations: 37 })
    const first = pairedBootstrap(a, b, { seed: 5, iterations: 37 })
    expect([other.lo, other.hi]).not.toEqual([first.lo, first.hi])
  })

  it('refuses unpaired or empty input and bad options', () => {
    expect(() => pairedBootstrap([1, 0], [1])).toThrow(/one value per task/)
    expect(() => pairedBootstrap([], [])).toThrow(/at least one task/)
    expect(() => pairedBootstrap([1, 0], [0, 0], { level: 1 })).toThrow(/level/)
    expect(() => pairedBootstrap([1, 0], [0, 0], { iterations: 0 })).toThrow(/iterations/)
    expect(() => pairedBootstrap([1, NaN], [0, 0])).toThrow(/task 1/)
    expect(pairedBootstrap([0.75], [0.25])).toEqual({ mean: 0.5, lo: 0.5, hi: 0.5 })
  })
})
