// Seeded randomness for everything that must be reproducible: task generation, sampling,
// exploration. Never use Math.random in the engine.

/** mulberry32: a small, fast 32-bit PRNG; uniform floats in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A 32-bit seed derived from several parts (run seed, task id, attempt …), stable across runs. */
export function deriveSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5
  for (const part of parts) {
    const s = String(part)
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i)
      h = Math.imul(h, 0x01000193)
    }
    h ^= 0xff
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** A uniform integer in [0, n). */
export const randInt = (next: () => number, n: number): number => Math.floor(next() * n)

/** The same stream with the draws generators need (ranges, picks, shuffles), for code that draws a lot. */
export class Random {
  readonly next: () => number

  constructor(seed: number) {
    this.next = rng(seed)
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return randInt(this.next, n)
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
