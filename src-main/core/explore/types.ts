// The shapes of an exploration: what a task's tree is made of (shared by the explore loop, the
// samplers and the corpus builders), and what the explore loop keeps per task while it runs.
import type { EnvSession, ExperienceCode, Reflection, Step, Task } from '../envs/types.ts'

/** One point on a path through the tree: the node, the step that produced it, the action taken to get there. */
export type PathPoint = { nodeId: number; step: Step; action: string | null; snapshot?: unknown }

/** A finished line of play, as the corpus builders need it. */
export type Trajectory = { path: PathPoint[]; success: boolean; generation: number; experience?: string }

/** A branch event with what the corpus builders need to render h_tau. */
export type BranchRecord = {
  eventId: number
  basePath: PathPoint[] // o_0 … o_{tau-1}: the state where the revised action is taken
  reflection: Reflection
  failedAction: string | null
  revisedAction: string | null
  childNodeId: number | null
  success: boolean
}

/** Decisions taken with an experience code in the context, and how many took the code's fix. */
export type CodeUse = { shown: number; withFix: number; followedFix: number }

export type TaskOutcome = {
  task: Task
  solved: boolean
  solvedAtFirstAttempt: boolean
  solvedByBranch: boolean
  budgetUsed: number
  replaySteps: number
  branchEvents: number
  trajectories: Trajectory[]
  branches: BranchRecord[]
  episodeIds: number[]
  codes: CodeUse
  /** Why the task ended early: an environment or policy fault (its episodes are marked 'error'). */
  error?: string
}

export type ExploreProgress = {
  tasksDone: number; tasks: number; stepsUsed: number; stepBudget: number; solved: number; branchEvents: number
  /** Attempts waiting for a person's reflection (the human reflector). */
  waitingForYou: number
}

/** A branch event above a line, and the path index of its child (a'_tau): the line keeps a'_tau while its path reaches past it. */
export type Credit = { eventId: number; childAt: number }

/** A request to branch at h_tau with a revised action: one per sibling, each a branch event of its own. */
export type PendingBranch = {
  eventId: number
  basePath: PathPoint[]
  experience: string
  code?: ExperienceCode
  avoid: string[]
  generation: number
  /** Revised actions already tried by sibling branches of the same reflection: each sibling must differ. */
  siblings: string[]
  /** Events whose a'_tau the branch keeps, this one included: a success below is a success of each. */
  ancestors: Credit[]
  record: BranchRecord
}

/** The line of play a task is on: its path so far and what its next context carries. */
export type Line = {
  episodeId: number
  path: PathPoint[]
  generation: number
  sinceReflect: number
  experience?: string
  /** Masked only for the first action of a branch (the revised action a'_tau). */
  avoid?: string[]
  /** In the context only for the first action of a branch: e applies at h_tau, not at the states after it. */
  code?: ExperienceCode
  /** Branch events whose a'_tau this line keeps: a success here is a success of each of them. */
  ancestors: Credit[]
  /** Set while the line stands at h_tau, before its revised action. */
  branch?: PendingBranch
  /** Numbers the task's lines, so that each decision's seed depends on the line it is taken on. */
  serial: number
}

/** Where a reflection blames a line: a_tau (1-based), the node it was taken from, and the node the reflection was made at. */
export type BranchPoint = { tau: number; nodeId: number; failedAction: string; failedNodeId: number }

/**
 * One task under one sampler: where its next line comes from and what a reflection or a line's end
 * does. The explore loop owns everything the samplers share (stepping, budget, credit, faults).
 */
export interface TaskSampler {
  /**
   * The next line to play (the explore loop sets its serial); 'skipped' when a branch could not
   * be started (the loop checks the budget again and asks once more); 'waiting' when nothing can
   * start until a person's reflection arrives.
   */
  next(): Promise<Omit<Line, 'serial'> | 'skipped' | 'waiting'>
  /** A code for the line's next context beyond a branch's own (IR: one an earlier attempt was blamed at here). */
  codeAt(line: Line): ExperienceCode | undefined
  /** A reflection on a line, its tau already checked against the line: branches (LEAFE), context for the next attempt (IR). */
  reflected(line: Line, reflection: Reflection, at: BranchPoint): void
  /** A line ended, successful or not. */
  lineEnded(line: Line, success: boolean): void
  /** Hands over the branch events still waiting to be expanded, and forgets them (a fault ends the task). */
  abandon(): number[]
  /** The task ended without a fault: close what the sampler still holds. Runs inside the task's closing transaction. */
  finish(): void
}

/** What the explore loop keeps for one task while it explores (the sampler's own state is its own). */
export type TaskState = {
  task: Task & { rowId?: number }
  session?: EnvSession
  line?: Line
  waiting: { requestId: number; at: number; line: Line; actions: string[] }[]
  budgetUsed: number
  replaySteps: number
  /** Lines started from the initial state (not branches). */
  attempts: number
  codeUse: CodeUse
  solved: boolean
  solvedAtFirstAttempt: boolean
  solvedByBranch: boolean
  done: boolean
  events: number
  serial: number
  trajectories: Trajectory[]
  branches: BranchRecord[]
  episodeIds: number[]
  error?: string
}

/** A task's state with its sampler. */
export type TaskRun = TaskState & { sampler: TaskSampler }
