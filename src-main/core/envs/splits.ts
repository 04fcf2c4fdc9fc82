// Train, validation and test tasks of generated environments come from disjoint seed ranges, and
// every generated item also belongs to exactly one split by the hash of what the agent cannot
// change in it: two seeds that happen to generate the same level (likely in small rooms) can
// never put it in two splits. Within the train range each experiment seed and training role
// (base, GRPO, ...) has its own slice, so seeds differ in their data and phases in theirs.
import { EngineError } from '../errors.ts'
import { deriveSeed } from '../random.ts'
import type { Task } from './types.ts'
import { MAX_TRAINING_SEED, ROLE_SLICE, ROLE_SLOTS, SPLIT_RANGE as RANGE, TRAINING_ROLES, type TrainingRole } from '../../shared/run-inputs.ts'

export { MAX_TRAINING_SEED, ROLE_SLICE, TRAINING_ROLES, type TrainingRole }

export const GENERATED_SPLITS = ['train', 'valid', 'test'] as const
export type GeneratedSplit = (typeof GENERATED_SPLITS)[number]

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

/** Where the slice of a (seed, role) starts in the train range (the offset `splitSeeds` takes). */
export function trainingOffset(seed: number, role: TrainingRole): number {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_TRAINING_SEED) {
    throw new EngineError('bad_request', `A training seed must be a whole number from 0 to ${MAX_TRAINING_SEED} (got ${seed}).`)
  }
  const slot = TRAINING_ROLES.indexOf(role)
  if (slot < 0) throw new EngineError('bad_request', `Training roles are ${TRAINING_ROLES.join(', ')}; "${role}" is not one of them.`)
  return (seed * ROLE_SLOTS + slot) * ROLE_SLICE
}

/** What makes two tasks the same task to a learner: their stored content (level, house, program), not their seed or id. */
export const taskContent = (task: Task): string => `${task.instruction}\n${JSON.stringify(task.meta ?? {})}`

/**
 * The training tasks of one role of a seed. `after` names earlier roles of the same seed and how
 * many tasks each took: a task whose content equals one of theirs is skipped (small rooms repeat
 * levels across seeds), and so is each of theirs that equals one of their own predecessors', in
 * TRAINING_ROLES order, so the roles' sets are pairwise disjoint by content. `generate(count,
 * offset)` makes train tasks from `splitSeeds('train', count, offset)`, as `Environment.tasks`.
 */
export function trainingTasks(
  generate: (count: number, offset: number) => Task[],
  seed: number,
  role: TrainingRole,
  count: number,
  after: Partial<Record<TrainingRole, number>> = {},
): Task[] {
  if (role in after) throw new EngineError('bad_request', `The ${role} tasks cannot come after themselves.`)
  const seen = new Set<string>()
  const take = (r: TrainingRole, n: number): Task[] => {
    if (!Number.isInteger(n) || n < 0 || n > ROLE_SLICE) throw new EngineError('bad_request', `A role takes 0 to ${ROLE_SLICE} tasks (${r}: ${n}).`)
    const start = trainingOffset(seed, r)
    const out: Task[] = []
    let next = 0
    while (out.length < n) {
      const chunk = Math.min(n - out.length + (seen.size ? 16 : 0), ROLE_SLICE - next)
      if (chunk <= 0) throw new EngineError('bad_request', `Seed ${seed}'s ${r} slice has fewer than ${n} tasks unlike the earlier roles' (too small a room?).`)
      for (const t of generate(chunk, start + next)) {
        if (out.length < n && !seen.has(taskContent(t))) out.push(t)
      }
      next += chunk
    }
    return out
  }
  for (const r of TRAINING_ROLES) {
    const n = after[r]
    if (n === undefined) continue
    for (const t of take(r, n)) seen.add(taskContent(t))
  }
  return take(role, count)
}
