// What exploration writes, as one interface: the explore loop and the samplers record the tree
// through a Recorder and never touch the store themselves. `storeRecorder` writes a run's rows into the
// database (the SQL is in recorder.ts and store/nodes.ts); a test may pass one that keeps calls.
import type { Reflection, Task } from '../envs/types.ts'
import { writeTransaction, type DB } from '../store/db.ts'
import { insertNodes, type NewNode } from '../store/nodes.ts'
import * as rec from './recorder.ts'

export type { NewBranchEvent } from './recorder.ts'
export type { NewNode } from '../store/nodes.ts'

export type BranchOutcome = 'success' | 'failure' | 'nondeterministic' | 'error'

export interface Recorder {
  /** A new episode of the run: one per attempt (IS / IR), one per task's tree (LEAFE). */
  episode(task: Task & { rowId?: number }, attempt: number, sampler: string): number
  /** Steps of the tree, in order; returns their node ids. */
  nodes(nodes: NewNode[]): number[]
  episodeRoot(episodeId: number, rootNodeId: number): void
  endEpisode(episodeId: number, status: 'success' | 'failure', steps: number): void
  /** A fault ended the task: its still-running episodes become errors with the reason. */
  failEpisodes(episodeIds: number[], message: string): void
  branchEvent(e: rec.NewBranchEvent): number
  /** The revised action a'_tau a branch event produced, and its node. */
  branchChild(eventId: number, revisedAction: string, childNodeId: number): void
  /** A success is final: a later failure does not undo it. */
  branchOutcome(eventId: number, outcome: BranchOutcome, message?: string): void
  /** Branch events still pending when their task ended. */
  closeBranches(eventIds: number[], message: string, outcome: 'error' | 'failure'): void
  /** Asks a person for a reflection on a failed line; returns the request's id. */
  askHuman(episodeId: number, failedNodeId: number): number
  /** Answers that arrived since the last look (each handed out once), and the requests skipped. */
  humanAnswers(): { answers: Map<number, Reflection>; skipped: Set<number> }
  skipHuman(requestId: number): void
  /** The task's row with what it recorded: a resumed run skips the tasks that have one. */
  taskFinished(taskKey: string, solved: boolean, outcome: Record<string, number>): void
  /** Runs fn so that what it records lands together or not at all. */
  atomically<T>(fn: () => T): T
}

/** The recorder of one run in the store. */
export function storeRecorder(db: DB, runId: number): Recorder {
  return {
    episode: (task, attempt, sampler) => rec.createEpisode(db, runId, task, attempt, sampler),
    nodes: (nodes) => insertNodes(db, nodes),
    episodeRoot: (episodeId, rootNodeId) => rec.setEpisodeRoot(db, episodeId, rootNodeId),
    endEpisode: (episodeId, status, steps) => rec.finishEpisode(db, episodeId, status, steps),
    failEpisodes: (episodeIds, message) => rec.failRunningEpisodes(db, episodeIds, message),
    branchEvent: (e) => rec.insertBranchEvent(db, e),
    branchChild: (eventId, revisedAction, childNodeId) => rec.setBranchChild(db, eventId, revisedAction, childNodeId),
    branchOutcome: (eventId, outcome, message) => rec.setBranchOutcome(db, eventId, outcome, message),
    closeBranches: (eventIds, message, outcome) => rec.failPendingBranches(db, eventIds, message, outcome),
    askHuman: (episodeId, failedNodeId) => rec.requestHumanReflection(db, runId, episodeId, failedNodeId),
    humanAnswers: () => ({ answers: new Map(rec.takeHumanAnswers(db, runId).map((a) => [a.id, a.reflection])), skipped: rec.skippedHumanRequests(db, runId) }),
    skipHuman: (requestId) => rec.skipHumanRequest(db, requestId),
    taskFinished: (taskKey, solved, outcome) => rec.markTaskFinished(db, runId, taskKey, solved, outcome),
    atomically: (fn) => writeTransaction(db, fn)(),
  }
}
