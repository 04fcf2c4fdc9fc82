// Seeded randomness for everything that must be reproducible from a recorded seed (generated
// levels and houses, splits, random baselines). Math.random is never used for those.

/** Mixes any number of integers and strings into one 32-bit seed (MurmurHash3's finaliser per part). */
export function mixSeed(...parts: (number | string)[]): number {
  let h = 0x9e3779b9
  for (const part of parts) {
    if (typeof part === 'number') {
      // Seeds may exceed 2^32 (split ranges); fold the high part in instead of truncating it.
      h = fmix(h ^ (part >>> 0))
      h = fmix(h ^ Math.floor(part / 0x1_0000_0000))
    } else {
      for (let i = 0; i < part.length; i++) h = fmix(h ^ part.charCodeAt(i))
    }
  }
  return h >>> 0
}

function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** mulberry32: small, fast and good enough for generators; the same seed gives the same stream everywhere. */
export class Random {
  private state: number

  constructor(seed: number) {
    this.state = mixSeed(seed)
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0)
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** An integer in [lo, hi] (both included). */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1)
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('Random.pick from an empty list')
    return xs[this.int(xs.length)]!
  }

  /** Shuffles in place (Fisher–Yates) and returns the array. */
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const t = xs[i]!
      xs[i] = xs[j]!
      xs[j] = t
    }
    return xs
  }
}
