// The data side of the contract: what the UI reads (runs, episodes, trees, corpus, checkpoints,
// train metrics, Pass@k) and the curation writes. contract.ts spreads these methods and events
// into the one contract; they live here so that the engine's long-work methods and the data
// views grow without editing the same lines. Pure: no Node, no Electron.
import { z } from 'zod'
import { QuickstartConfig } from '../shared/jobs/quickstart.ts'

const Int = z.number().int()
const RowId = Int.positive()
const ById = z.object({ id: RowId }).strict()
const Text = (max: number) => z.string().max(max)

// ---------------------------------------------------------------------------------------------
// Runs and episodes

export const RunStatus = z.enum(['running', 'done', 'failed', 'cancelled', 'interrupted'])

export const RunInfo = z.object({
  id: Int,
  kind: z.string(),
  name: z.string(),
  status: RunStatus,
  config: z.unknown(),
  summary: z.unknown(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  /** The job doing the run's work; live progress arrives as that job's job.updated events. */
  jobId: Int.nullable(),
  job: z
    .object({ status: z.string(), done: z.number(), total: z.number().nullable(), message: z.string() })
    .nullable(),
  episodes: z.object({ total: Int, success: Int, failure: Int, running: Int, error: Int }),
})
export type RunInfo = z.infer<typeof RunInfo>

export const EpisodeStatus = z.enum(['running', 'success', 'failure', 'error'])

export const EpisodeFilter = z
  .object({
    runId: RowId.optional(),
    env: Text(100).optional(),
    /** Matches task keys that start with this text. */
    task: Text(200).optional(),
    status: EpisodeStatus.optional(),
    sampler: Text(50).optional(),
  })
  .strict()
export type EpisodeFilter = z.infer<typeof EpisodeFilter>

export const EpisodeSummary = z.object({
  id: Int,
  runId: Int,
  env: z.string(),
  taskKey: z.string(),
  attempt: Int,
  sampler: z.string().nullable(),
  status: EpisodeStatus,
  /** Why an episode ended as an error (a server fault, a timeout); null otherwise. */
  error: z.string().nullable(),
  steps: Int,
  nodes: Int,
  branchEvents: Int,
  createdAt: z.string(),
  endedAt: z.string().nullable(),
})
export type EpisodeSummary = z.infer<typeof EpisodeSummary>

/** One node of the tree with everything a transcript or a state panel shows. */
export const NodeState = z.object({
  id: Int,
  parentId: Int.nullable(),
  step: Int,
  action: z.string().nullable(),
  rawAction: z.string().nullable(),
  observation: z.string(),
  feedback: z.string(),
  reward: z.number(),
  done: z.boolean(),
  success: z.boolean(),
  valid: z.boolean(),
  branchDepth: Int,
})
export type NodeState = z.infer<typeof NodeState>

/** A branch event: the reflection (tau, e) and what came of the branch. */
export const BranchEvent = z.object({
  id: Int,
  /** The state at tau: the node the branch leaves from. */
  nodeId: Int,
  /** Where the reflection ran (the failed attempt's last node). */
  failedNodeId: Int.nullable(),
  tau: Int,
  reflector: z.string(),
  experience: z.string(),
  avoid: z.array(z.string()),
  failedAction: z.string().nullable(),
  revisedAction: z.string().nullable(),
  childNodeId: Int.nullable(),
  rollbackMode: z.enum(['replay', 'snapshot']).nullable(),
  outcome: z.enum(['pending', 'success', 'failure', 'nondeterministic', 'error']),
  message: z.string(),
  createdAt: z.string(),
})
export type BranchEvent = z.infer<typeof BranchEvent>

export const LeafInfo = z.object({ id: Int, step: Int, done: z.boolean(), success: z.boolean(), branchDepth: Int })

export const Transcript = z.object({
  episode: EpisodeSummary,
  instruction: z.string().nullable(),
  /** The path root → leaf, one entry per step (the root is the reset observation). */
  steps: z.array(NodeState),
  leafId: Int,
  /** Every leaf of the episode's tree: each is one attempt the transcript can follow. */
  leaves: z.array(LeafInfo),
  /** Branch events whose state at tau lies on this path: shown at the step they blame. */
  reflections: z.array(BranchEvent),
})
export type Transcript = z.infer<typeof Transcript>

/** A node as the tree view draws it: no observation text (fetched on click with episodes.node). */
export const TreeNodeShape = NodeState.omit({ observation: true, feedback: true, rawAction: true })
export type TreeNodeShape = z.infer<typeof TreeNodeShape>

export const EpisodeTree = z.object({
  episode: EpisodeSummary,
  nodes: z.array(TreeNodeShape),
  branchEvents: z.array(BranchEvent),
})
export type EpisodeTree = z.infer<typeof EpisodeTree>

/** An attempt waiting for a person's reflection (the 'human' reflector). */
export const HumanRequest = z.object({
  id: Int,
  runId: Int,
  runName: z.string(),
  episodeId: Int,
  env: z.string(),
  taskKey: z.string(),
  /** The attempt's last node; tau is one of its steps 1..steps. */
  failedNodeId: Int,
  steps: Int,
  status: z.enum(['pending', 'answered', 'skipped', 'taken']),
  createdAt: z.string(),
})
export type HumanRequest = z.infer<typeof HumanRequest>

// ---------------------------------------------------------------------------------------------
// Corpus

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

// ---------------------------------------------------------------------------------------------
// Checkpoints, training, evaluation

export const CheckpointInfo = z.object({
  id: Int,
  name: z.string(),
  kind: z.enum(['local', 'endpoint']),
  parentId: Int.nullable(),
  /** Ancestors, parent first. */
  lineage: z.array(z.object({ id: Int, name: z.string() })),
  runId: Int.nullable(),
  runKind: z.string().nullable(),
  runName: z.string().nullable(),
  path: z.string().nullable(),
  config: z.unknown(),
  createdAt: z.string(),
})
export type CheckpointInfo = z.infer<typeof CheckpointInfo>

export const MetricPoint = z.object({
  id: Int,
  step: Int,
  epoch: z.number().nullable(),
  split: z.enum(['train', 'eval']),
  name: z.string(),
  value: z.number(),
})
export type MetricPoint = z.infer<typeof MetricPoint>

export const TrainMetrics = z.object({ runId: Int, points: z.array(MetricPoint), lastId: Int })
export type TrainMetrics = z.infer<typeof TrainMetrics>

/** Which eval results a curve is computed over: one task set, or one eval run's tasks. */
export const EvalScope = z.union([z.object({ taskSetId: RowId }).strict(), z.object({ runId: RowId }).strict()])
export type EvalScope = z.infer<typeof EvalScope>

/** A policy as eval_results names it: 'checkpoint:12', or a baseline such as 'random'. */
const PolicyKey = z.string().min(1).max(200)

export const EvalScopeInfo = z.object({
  scope: EvalScope,
  /** What a person reads ("Sokoban 7x7-1 · test · 16 levels"); `name` is the task set's stored key. */
  label: z.string(),
  name: z.string().nullable(),
  env: z.string().nullable(),
  policies: z.array(z.object({ policy: z.string(), name: z.string(), checkpointId: Int.nullable(), tasks: Int, n: Int, runId: Int })),
})
export type EvalScopeInfo = z.infer<typeof EvalScopeInfo>

export const PassCurveOut = z.object({
  policy: z.string(),
  name: z.string(),
  checkpointId: Int.nullable(),
  ks: z.array(Int),
  mean: z.array(z.number()),
  lo: z.array(z.number()),
  hi: z.array(z.number()),
  tasks: Int,
  n: Int,
  runId: Int,
})
export type PassCurveOut = z.infer<typeof PassCurveOut>

export const SolvedComparisonOut = z.object({
  a: z.string(),
  b: z.string(),
  common: Int,
  both: z.array(z.string()),
  onlyA: z.array(z.string()),
  onlyB: z.array(z.string()),
  neither: z.array(z.string()),
  /**
   * The paired comparison on the common tasks, per k up to the smallest n: mean Pass@k of a and
   * of b, and b − a with its 95 % paired bootstrap interval over tasks (eval/paired-bootstrap.ts).
   */
  paired: z.array(z.object({ k: Int, a: z.number(), b: z.number(), diff: z.number(), lo: z.number(), hi: z.number() })),
})
export type SolvedComparisonOut = z.infer<typeof SolvedComparisonOut>

// ---------------------------------------------------------------------------------------------
// Methods and events

export const dataMethods = {
  'runs.list': {
    input: z.object({ kinds: z.array(Text(50)).max(20).optional(), limit: Int.min(1).max(1000).optional() }).strict(),
    output: z.array(RunInfo),
    doc: 'Runs, newest first, with status, the job doing the work and episode counts by outcome.',
  },
  'episodes.list': {
    input: z.object({ filter: EpisodeFilter.default({}), offset: Int.min(0).default(0), limit: Int.min(1).max(500).default(50) }).strict(),
    output: z.object({ total: Int, items: z.array(EpisodeSummary) }),
    doc: 'Episodes matching a filter (run, environment, task prefix, outcome, sampler), newest first, one page.',
  },
  'episodes.facets': {
    input: z.object({ runId: RowId.optional() }).strict(),
    output: z.object({ envs: z.array(z.string()), samplers: z.array(z.string()), tasks: z.array(z.string()) }),
    doc: 'The environments, samplers and (up to 500) task keys present, for filter menus.',
  },
  'episodes.transcript': {
    input: z.object({ id: RowId, leafId: RowId.optional() }).strict(),
    output: Transcript,
    doc: "One path of an episode's tree (by default the first attempt) with reflections at the steps they blame.",
  },
  'episodes.tree': {
    input: ById,
    output: EpisodeTree,
    doc: "Every node (without observation text) and branch event of one episode's tree.",
  },
  'episodes.node': {
    input: ById,
    output: z.object({
      node: NodeState,
      episodeId: Int,
      env: z.string(),
      /** The actions taken from this state (one per child), first attempt first. */
      nextActions: z.array(z.string()),
      branchEvents: z.array(BranchEvent),
      manualItems: z.array(CorpusRow),
    }),
    doc: 'One state of a tree, with the branch events leaving it and the manual corrections written at it.',
  },

  'reflections.pending': {
    input: z.object({ episodeId: RowId.optional() }).strict(),
    output: z.array(HumanRequest),
    doc: "Attempts waiting for a person's reflection, oldest first.",
  },
  'reflections.answer': {
    input: z
      .object({
        id: RowId,
        rollbackStep: Int.min(1),
        experience: z.string().trim().min(1, 'Say what went wrong and what to do instead.').max(10_000),
        avoid: z.array(Text(1000)).max(50).default([]),
      })
      .strict(),
    output: HumanRequest,
    doc: 'Answer a pending request with (tau, e, avoid); the exploration branches from it at its next poll.',
  },
  'reflections.skip': { input: ById, output: HumanRequest, doc: 'Skip a pending request: that attempt gets no branch.' },

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

  'checkpoints.list': {
    input: z.object({}).strict(),
    output: z.array(CheckpointInfo),
    doc: 'Checkpoints, newest first, each with its lineage and the run that made it.',
  },
  'train.metrics': {
    input: z.object({ runId: RowId, afterId: Int.min(0).default(0) }).strict(),
    output: TrainMetrics,
    doc: "A training run's metrics (loss, lr, …) after a row id; train.metrics events bring the rest live.",
  },
  'eval.scopes': {
    input: z.object({}).strict(),
    output: z.array(EvalScopeInfo),
    doc: 'The task sets (or eval runs) with stored results, and which policies (checkpoints, baselines) were evaluated on each.',
  },
  'eval.curves': {
    input: z
      .object({
        scope: EvalScope,
        policies: z.array(PolicyKey).min(1).max(16),
        resamples: Int.min(0).max(10_000).default(1000),
        level: z.number().min(0.5).max(0.999).default(0.95),
        seed: Int.default(0),
      })
      .strict(),
    output: z.array(PassCurveOut),
    doc: 'Pass@k curves (k = 1, 2, 4, …, n) with a seeded bootstrap band over tasks, recomputed from stored (n, c).',
  },
  'quickstart.sizes': {
    input: z.object({ size: z.enum(['standard', 'reduced']) }).strict(),
    output: QuickstartConfig,
    doc: "The quickstart's sizes: 'standard' (about 10 minutes on a 2-core CPU) or 'reduced' (a minute or two, for trying it out).",
  },
  'quickstart.chart': {
    input: ById,
    output: z.object({ path: z.string(), svg: z.string() }),
    doc: "A finished quickstart job's Pass@k chart: the SVG file it wrote, and the file's text (for a download).",
  },
  'eval.compare': {
    input: z.object({ scope: EvalScope, a: PolicyKey, b: PolicyKey }).strict(),
    output: SolvedComparisonOut,
    doc: 'Sharpening versus expansion: the tasks solved within n samples by one policy and not the other.',
  },
} as const

export const dataEvents = {
  /** New train_metrics rows of a run, as they are written by the training job. */
  'train.metrics': TrainMetrics,
} as const
