// The corpus of corrections: the Corpus view's reads and the curation writes (status, edited
// target, note, bulk actions, manual corrections). Part of the one contract (contract.ts). Pure.
import { z } from 'zod'
import { ById, Int, RowId, Text } from './contract-shapes.ts'

export const CorpusKind = z.enum(['cf', 'reh', 'manual'])
export const CorpusStatus = z.enum(['pending', 'accepted', 'rejected'])

export const CorpusFilter = z
  .object({
    env: Text(100).optional(),
    kind: CorpusKind.optional(),
    status: CorpusStatus.optional(),
    source: Text(100).optional(),
    /** Exact task key. */
    task: Text(200).optional(),
    /** Case-insensitive substring of the prompt, target, experience, failed action or note. */
    text: Text(200).optional(),
  })
  .strict()
export type CorpusFilter = z.infer<typeof CorpusFilter>

export const CorpusSort = z
  .object({
    by: z.enum(['id', 'updated', 'task', 'env', 'kind', 'status']),
    dir: z.enum(['asc', 'desc']),
  })
  .strict()
export type CorpusSort = z.infer<typeof CorpusSort>

/** A row of the corpus table: short fields only (the prompt comes with corpus.get). */
export const CorpusRow = z.object({
  id: Int,
  kind: CorpusKind,
  env: z.string(),
  taskKey: z.string().nullable(),
  status: CorpusStatus,
  /** The effective target: the edited one when there is one. */
  target: z.string(),
  edited: z.boolean(),
  failedAction: z.string().nullable(),
  /** The first 200 characters of e. */
  experience: z.string().nullable(),
  source: z.string(),
  note: z.string(),
  updatedAt: z.string(),
  /** Why the environment would not accept the target (corpus/target-check.ts); null when it would. Such items are left out of training files and exports. */
  targetProblem: z.string().nullable(),
})
export type CorpusRow = z.infer<typeof CorpusRow>

export const CorpusHistoryEntry = z.object({
  field: z.enum(['status', 'target', 'note']),
  before: z.string().nullable(),
  after: z.string().nullable(),
  at: z.string(),
})

export const CorpusItem = CorpusRow.extend({
  prompt: z.string(),
  originalTarget: z.string(),
  experience: z.string().nullable(),
  sourceRunId: Int.nullable(),
  sourceNodeId: Int.nullable(),
  branchEventId: Int.nullable(),
  /** The episode the item came from, for "open in tree". */
  episodeId: Int.nullable(),
  tau: Int.nullable(),
  meta: z.unknown(),
  createdAt: z.string(),
  history: z.array(CorpusHistoryEntry),
})
export type CorpusItem = z.infer<typeof CorpusItem>

const Count = z.object({ key: z.string(), n: Int })
export const CorpusCounts = z.object({
  total: Int,
  byEnv: z.array(Count),
  byKind: z.array(Count),
  byStatus: z.array(Count),
  bySource: z.array(Count),
  /** The 100 tasks with most items. */
  byTask: z.array(Count),
})
export type CorpusCounts = z.infer<typeof CorpusCounts>

export const CorpusTarget = z.string().trim().min(1, 'The target action cannot be empty.').max(10_000)

export const BulkAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), status: CorpusStatus }).strict(),
  z.object({ type: z.literal('note'), note: Text(10_000) }).strict(),
  z.object({ type: z.literal('target'), target: CorpusTarget }).strict(),
])
export type BulkAction = z.infer<typeof BulkAction>

export const BulkResult = z.object({
  matched: Int,
  changed: Int,
  /** Items left as they were, with the reason (the first 100). */
  skipped: z.array(z.object({ id: Int, reason: z.string() })),
  skippedCount: Int,
})
export type BulkResult = z.infer<typeof BulkResult>

export const corpusMethods = {
  'corpus.list': {
    input: z
      .object({
        filter: CorpusFilter.default({}),
        sort: CorpusSort.default({ by: 'id', dir: 'asc' }),
        offset: Int.min(0).default(0),
        limit: Int.min(1).max(1000).default(100),
      })
      .strict(),
    output: z.object({ total: Int, offset: Int, items: z.array(CorpusRow) }),
    doc: 'A window of corpus rows matching a filter, sorted, with the total count (for a virtualised table).',
  },
  'corpus.get': { input: ById, output: CorpusItem, doc: 'One corpus item in full, with its edit history.' },
  'corpus.counts': {
    input: z.object({ filter: CorpusFilter.default({}) }).strict(),
    output: CorpusCounts,
    doc: 'Item counts by environment, kind, status, source and task, under a filter.',
  },
  'corpus.setStatus': {
    input: z.object({ ids: z.array(RowId).min(1).max(10_000), status: CorpusStatus }).strict(),
    output: z.object({ changed: Int }),
    doc: 'Accept, reject or reset items; every change is kept in the history.',
  },
  'corpus.editTarget': {
    input: z.object({ id: RowId, target: CorpusTarget }).strict(),
    output: CorpusItem,
    doc: "Edit an item's target action; refused when the (prompt, target) pair is already another item.",
  },
  'corpus.editNote': {
    input: z.object({ id: RowId, note: Text(10_000) }).strict(),
    output: CorpusItem,
    doc: "Edit an item's note.",
  },
  'corpus.bulk': {
    input: z
      .object({
        filter: CorpusFilter,
        action: BulkAction,
        /** The count the user saw; when the filter now matches another number, nothing is changed. */
        expectMatched: Int.min(0).optional(),
      })
      .strict(),
    output: BulkResult,
    doc: 'Apply a status, note or target to every item matching a filter, in one transaction.',
  },
  'corpus.manual': {
    input: z.object({ nodeId: RowId, action: CorpusTarget, note: Text(10_000).default('') }).strict(),
    output: CorpusItem,
    doc: 'A manual correction: at this state the agent should have taken this action (an accepted manual item).',
  },
} as const
