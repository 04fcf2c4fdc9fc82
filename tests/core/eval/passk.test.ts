import { describe, expect, it } from 'vitest'
import { compareSolved, kGrid, passAtK, passCurve, type TaskCount } from '../../../src-main/core/eval/passk.ts'

/** C(n, k) exactly. */
function binom(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n
  let r = 1n
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i)
  return r
}

/** 1 − C(n−c, k)/C(n, k) as exact rational arithmetic, rounded to a double at the very end. */
function exactPassAtK(n: number, c: number, k: number): number {
  const total = binom(n, k)
  const scale = 10n ** 30n
  return Number(((total - binom(n - c, k)) * scale) / total) / 1e30
}

describe('pass@k', () => {
  it('agrees with exact rational arithmetic to 1e-12 on a table of (n, c, k) up to n = 1024', () => {
    const ns = [1, 2, 3, 5, 8, 10, 16, 32, 50, 100, 128, 256, 500, 1000, 1023, 1024]
    let checked = 0
    let worst = 0
    for (const n of ns) {
      const cs = [...new Set([0, 1, 2, 3, Math.floor(n / 100), Math.floor(n / 10), Math.floor(n / 3), Math.floor(n / 2), n - 2, n - 1, n])].filter((c) => c >= 0 && c <= n)
      const ks = [...new Set([...kGrid(n), 3, 7, 100, 511, n - 1].filter((k) => k >= 1 && k <= n))]
      for (const c of cs) {
        for (const k of ks) {
          const err = Math.abs(passAtK(n, c, k) - exactPassAtK(n, c, k))
          worst = Math.max(worst, err)
          expect(err, `n=${n} c=${c} k=${k}`).toBeLessThan(1e-12)
          checked++
        }
      }
    }
    expect(checked).toBeGreaterThan(800)
    expect(worst).toBeLessThan(1e-12)
  })

  it('is c/n at k = 1, 1 when n − c < k, 0 without a correct sample', () => {
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 15)
    expect(passAtK(10, 3, 8)).toBe(1)
    expect(passAtK(10, 0, 10)).toBe(0)
    expect(passAtK(1024, 1, 1024)).toBe(1)
    // A case the product form handles and naive binomials overflow: C(1024, 512) > 1e306.
    expect(passAtK(1024, 1, 512)).toBeCloseTo(0.5, 12)
  })

  it('refuses impossible inputs with a message naming them', () => {
    expect(() => passAtK(10, 11, 1)).toThrow(/n=10, c=11, k=1/)
    expect(() => passAtK(10, 1, 11)).toThrow(RangeError)
    expect(() => passAtK(0, 0, 1)).toThrow(RangeError)
    expect(() => passAtK(10, 1.5, 1)).toThrow(RangeError)
  })

  it('puts k on 1, 2, 4, … and ends at n', () => {
    expect(kGrid(1)).toEqual([1])
    expect(kGrid(8)).toEqual([1, 2, 4, 8])
    expect(kGrid(10)).toEqual([1, 2, 4, 8, 10])
    expect(kGrid(128)).toEqual([1, 2, 4, 8, 16, 32, 64, 128])
  })
})

describe('pass@k curves', () => {
  const tasks: TaskCount[] = [
    { taskKey: 'a', n: 8, c: 8 },
    { taskKey: 'b', n: 8, c: 1 },
    { taskKey: 'c', n: 8, c: 0 },
    { taskKey: 'd', n: 8, c: 4 },
  ]

  it('averages per-task pass@k over tasks, on the k grid up to the smallest n', () => {
    const curve = passCurve(tasks, { resamples: 0 })
    expect(curve.ks).toEqual([1, 2, 4, 8])
    expect(curve.tasks).toBe(4)
    expect(curve.mean[0]).toBeCloseTo((1 + 1 / 8 + 0 + 0.5) / 4, 15)
    expect(curve.mean[3]).toBeCloseTo(3 / 4, 15)
    for (let j = 0; j < curve.ks.length; j++) expect(curve.mean[j]).toBeCloseTo(tasks.reduce((s, t) => s + passAtK(t.n, t.c, curve.ks[j]!), 0) / 4, 15)
    // Recomputable for any k ≤ n later.
    expect(passCurve(tasks, { resamples: 0, ks: [3, 5] }).mean[0]).toBeCloseTo(tasks.reduce((s, t) => s + passAtK(8, t.c, 3), 0) / 4, 15)
    expect(passCurve([...tasks, { taskKey: 'e', n: 4, c: 1 }, { taskKey: 'z', n: 0, c: 0 }], { resamples: 0 }).ks).toEqual([1, 2, 4])
  })

  it('gives a seeded bootstrap band that contains the mean and is reproducible', () => {
    const many: TaskCount[] = Array.from({ length: 60 }, (_, i) => ({ taskKey: `t${i}`, n: 32, c: (i * 7) % 33 === 0 ? 0 : (i * 5) % 17 }))
    const a = passCurve(many, { resamples: 500, seed: 7 })
    const b = passCurve(many, { resamples: 500, seed: 7 })
    const c = passCurve(many, { resamples: 500, seed: 8 })
    expect(a).toEqual(b)
    expect(a.lo).not.toEqual(c.lo)
    for (let j = 0; j < a.ks.length; j++) {
      expect(a.lo[j]!).toBeLessThanOrEqual(a.mean[j]! + 1e-12)
      expect(a.hi[j]!).toBeGreaterThanOrEqual(a.mean[j]! - 1e-12)
      if (j > 0) expect(a.mean[j]!).toBeGreaterThanOrEqual(a.mean[j - 1]!)
    }
    // Spread shrinks with more tasks: the band of the first k is narrower than its range of task values.
    expect(a.hi[0]! - a.lo[0]!).toBeGreaterThan(0)
    expect(a.hi[0]! - a.lo[0]!).toBeLessThan(0.3)
  })

  it('is empty without tasks and has no band with one task', () => {
    expect(passCurve([])).toMatchObject({ ks: [], tasks: 0 })
    const one = passCurve([{ taskKey: 'a', n: 4, c: 1 }])
    expect(one.lo).toEqual(one.mean)
  })
})

describe('sharpening versus expansion', () => {
  it('lists the tasks solved within n by one checkpoint and not the other, on common tasks only', () => {
    const a: TaskCount[] = [
      { taskKey: 'x', n: 4, c: 4 },
      { taskKey: 'y', n: 4, c: 1 },
      { taskKey: 'z', n: 4, c: 0 },
      { taskKey: 'w', n: 4, c: 0 },
      { taskKey: 'only-in-a', n: 4, c: 2 },
    ]
    const b: TaskCount[] = [
      { taskKey: 'x', n: 4, c: 1 },
      { taskKey: 'y', n: 4, c: 0 },
      { taskKey: 'z', n: 4, c: 3 },
      { taskKey: 'w', n: 4, c: 0 },
    ]
    expect(compareSolved(a, b)).toEqual({ common: 4, both: ['x'], onlyA: ['y'], onlyB: ['z'], neither: ['w'] })
  })
})
