// Runs, episodes and their trees, and the human reflector's requests: what the Episodes and Tree
// views read, and the answers a person gives. Part of the one contract (contract.ts). Pure: no Node, no Electron.
import { z } from 'zod'
import { ById, Int, RowId, Text } from './contract-shapes.ts'
import { CorpusRow } from './contract-corpus.ts'

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

export const runMethods = {
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
} as const
