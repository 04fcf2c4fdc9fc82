// Train, validation and test tasks of generated environments come from disjoint seed ranges, and
// every generated item also belongs to exactly one split by the hash of its content: two seeds
// that happen to generate the same level (likely in small rooms) can never put it in two splits.
import { EngineError } from '../errors.ts'
import { deriveSeed } from '../random.ts'

export const GENERATED_SPLITS = ['train', 'valid', 'test'] as const
export type GeneratedSplit = (typeof GENERATED_SPLITS)[number]

const RANGE = 1_000_000_000
const FIRST_SEED: Record<GeneratedSplit, number> = { train: 0, valid: RANGE, test: 2 * RANGE }

export function isGeneratedSplit(split: string): split is GeneratedSplit {
  return (GENERATED_SPLITS as readonly string[]).includes(split)
}

/**
 * The seeds of `count` tasks of a split, starting `offset` into the split's range. Ranges are a
 * billion seeds wide, so a split's sets never reach into another split's seeds.
 */
export function splitSeeds(split: string, count: number, offset: number): number[] {
  if (!isGeneratedSplit(split)) {
    throw new EngineError('bad_request', `Generated tasks come in splits ${GENERATED_SPLITS.join(', ')}; "${split}" is not one of them.`)
  }
  if (!Number.isInteger(count) || count < 0) throw new EngineError('bad_request', `The task count must be a whole number ≥ 0 (got ${count}).`)
  if (!Number.isInteger(offset) || offset < 0 || offset + count > RANGE) {
    throw new EngineError('bad_request', `The seed offset must be a whole number with offset + count ≤ ${RANGE} (got offset ${offset}, count ${count}).`)
  }
  const first = FIRST_SEED[split] + offset
  return Array.from({ length: count }, (_, i) => first + i)
}

/** Share of the content-hash space each split owns (train gets the rest). */
const BUCKETS: [GeneratedSplit, number][] = [
  ['test', 0.1],
  ['valid', 0.1],
]

/** The one split a generated item may appear in, decided by its canonical text. */
export function contentSplit(content: string): GeneratedSplit {
  let u = deriveSeed('split', content) / 4294967296
  for (const [split, share] of BUCKETS) {
    if (u < share) return split
    u -= share
  }
  return 'train'
}
