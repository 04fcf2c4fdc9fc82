// LEAFE Stage 1 (DESIGN §1) and the two samplers it is compared with, at an equal execution
// budget per task (environment steps, replays included, unless the config counts actions):
//   leafe — roll out; on failure (or every K steps) reflect → (tau, e); roll back to the state
//           before a_tau (replay or snapshot) and branch with revised actions sampled with e in
//           the context (as text, and as a code for the compact form) and the failed action
//           masked — `branchesPerEvent` distinct siblings, each a branch event of its own; branch
//           requests are expanded breadth-first up to a maximum depth; when the queue is empty
//           and budget remains, a fresh rollout.
//   is    — independent attempts from scratch.
//   ir    — attempts from scratch with the reflections so far in the context (the codes of
//           earlier attempts where their state comes up again).
// Credit: a branch event succeeds only when a successful line descends from its child, i.e. keeps
// a'_tau. A line that re-branches at or before an event's tau no longer holds a'_tau, so the lines
// below that re-branch are not credited to the event.
// Tasks advance together: each tick gathers one context from every task's active line and calls
// the policy once for the whole batch. A task whose environment or policy fails (a server error,
// a timeout, a served model that keeps failing) ends as an error — its episodes marked so, with
// the reason, every node written before kept — and the other tasks go on.
import { closeQuietly } from '../envs/close.ts'
import type { Context, EnvSession, Environment, ExperienceCode, Reflection, Step, Task } from '../envs/types.ts'
import { EngineError } from '../errors.ts'
import { JobCancelled } from '../jobs/types.ts'
import { decide, type Policy } from '../policies/types.ts'
import { deriveSeed } from '../random.ts'
import { writeTransaction, type DB } from '../store/db.ts'
import { insertNodes, type NewNode } from '../store/nodes.ts'
import type { ExploreConfig } from '../../shared/jobs/explore.ts'
import * as rec from './recorder.ts'
import type { Reflector } from './reflectors.ts'

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

/** Decisions taken with an experience code in the context, and how many took the code's fix. */
export type CodeUse = { shown: number; withFix: number; followedFix: number }

export type ExploreProgress = {
  tasksDone: number; tasks: number; stepsUsed: number; stepBudget: number; solved: number; branchEvents: number
  /** Attempts waiting for a person's reflection (the human reflector). */
  waitingForYou: number
}

export type ExploreDeps = {
  db: DB
  runId: number
  env: Environment
  policy: Policy
  reflector: Reflector | null
  config: ExploreConfig
  tasks: (Task & { rowId?: number })[]
  signal?: AbortSignal
  onProgress?: (p: ExploreProgress) => void
  /**
   * Called as each task finishes, inside the transaction that records it (the job builds its
   * corpus items here); the numbers it returns are kept with the task's run_tasks row.
   */
  onTaskDone?: (outcome: TaskOutcome) => Record<string, number> | void
  /** Poll interval while only human reflections are awaited. */
  humanPollMs?: number
}

/** A branch event above a line, and the path index of its child (a'_tau): the line keeps a'_tau while its path reaches past it. */
type Credit = { eventId: number; childAt: number }

type PendingBranch = {
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

type Line = {
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
  branch?: PendingBranch
  serial: number
}

type TaskRun = {
  task: Task & { rowId?: number }
  session?: EnvSession
  line?: Line
  queue: PendingBranch[]
  waiting: { requestId: number; at: number; line: Line; actions: string[] }[]
  budgetUsed: number
  replaySteps: number
  attempts: number
  reflections: string[]
  /** IR: the codes of earlier attempts, each with the state it was blamed at. */
  codes: { observation: string; code: ExperienceCode }[]
  codeUse: CodeUse
  solved: boolean
  solvedAtFirstAttempt: boolean
  solvedByBranch: boolean
  done: boolean
  events: number
  serial: number
  treeEpisode?: number
  /** LEAFE: the tree's root, where fresh rollouts start. */
  root?: PathPoint
  trajectories: Trajectory[]
  branches: BranchRecord[]
  episodeIds: number[]
  error?: string
}

export async function explore(deps: ExploreDeps): Promise<TaskOutcome[]> {
  const { db, env, policy, config } = deps
  const outcomes: TaskOutcome[] = []
  const runs: TaskRun[] = deps.tasks.map((task) => ({
    task, queue: [], waiting: [], budgetUsed: 0, replaySteps: 0, attempts: 0, reflections: [], codes: [], codeUse: { shown: 0, withFix: 0, followedFix: 0 },
    solved: false, solvedAtFirstAttempt: false, solvedByBranch: false, done: false, events: 0, serial: 0,
    trajectories: [], branches: [], episodeIds: [],
  }))
  const countReplays = config.budgetCounts === 'env_steps'
  /** The code a context carries, in the form the run asks for. */
  const codeForm = (code: ExperienceCode | undefined): ExperienceCode | undefined => {
    if (!code || config.experienceCode === 'none') return undefined
    if (config.experienceCode === 'diagnosis') return { blamed: code.blamed, place: code.place }
    return code
  }
  const useSnapshots = (s: EnvSession) => config.rollback !== 'replay' && typeof s.snapshot === 'function' && typeof s.restore === 'function'

  const report = () => {
    let solved = 0, tasksDone = 0, stepsUsed = 0, branchEvents = 0, waitingForYou = 0
    for (const t of runs) {
      waitingForYou += t.waiting.length
      if (t.solved) solved++
      if (t.done) tasksDone++
      stepsUsed += t.done ? config.budget : t.budgetUsed
      branchEvents += t.events
    }
    deps.onProgress?.({ tasksDone, tasks: runs.length, stepsUsed, stepBudget: runs.length * config.budget, solved, branchEvents, waitingForYou })
  }

  const insertRoot = async (t: TaskRun, episodeId: number): Promise<PathPoint> => {
    t.session ??= await env.open(t.task)
    if (config.rollback === 'snapshot' && !useSnapshots(t.session)) {
      throw new EngineError('bad_request', `Environment ${env.id} has no snapshots; use rollback "replay" or "auto".`)
    }
    const step = await t.session.reset()
    const [nodeId] = insertNodes(db, [{ episodeId, parentId: null, step: 0, action: null, ...stepFields(step), branchDepth: 0 }])
    rec.setEpisodeRoot(db, episodeId, nodeId!)
    return { nodeId: nodeId!, step, action: null, snapshot: useSnapshots(t.session) ? t.session.snapshot!() : undefined }
  }

  const finishTask = (t: TaskRun) => {
    if (t.done) return
    // A request nobody can act on any more must not stay pending for a finished run.
    for (const w of t.waiting) rec.skipHumanRequest(db, w.requestId)
    t.waiting = []
    t.done = true
    t.line = undefined
    void closeQuietly(t.session)
    t.session = undefined
    const outcome: TaskOutcome = {
      task: t.task, solved: t.solved, solvedAtFirstAttempt: t.solvedAtFirstAttempt, solvedByBranch: t.solvedByBranch,
      budgetUsed: t.budgetUsed, replaySteps: t.replaySteps, branchEvents: t.events, trajectories: t.trajectories,
      branches: t.branches, episodeIds: t.episodeIds, codes: t.codeUse, ...(t.error ? { error: t.error } : {}),
    }
    outcomes.push(outcome)
    // The task's end, what it adds to the corpus and its run_tasks row land together or not at all.
    writeTransaction(db, () => {
      // Siblings the budget never reached end as failures with the reason, not as 'pending'.
      if (!t.error) rec.failPendingBranches(db, t.queue.map((b) => b.eventId), 'Not expanded: the task ended (budget spent or solved) before this branch was tried.', 'failure')
      t.queue = []
      if (t.error) rec.failRunningEpisodes(db, t.episodeIds, t.error)
      else if (config.sampler === 'leafe' && t.treeEpisode !== undefined) rec.finishEpisode(db, t.treeEpisode, t.solved ? 'success' : 'failure', t.budgetUsed - (countReplays ? t.replaySteps : 0))
      const extra = deps.onTaskDone?.(outcome) ?? {}
      rec.markTaskFinished(db, deps.runId, t.task.id, t.solved, {
        solvedAtFirstAttempt: +t.solvedAtFirstAttempt, solvedByBranch: +t.solvedByBranch, steps: t.budgetUsed,
        replaySteps: t.replaySteps, branchEvents: t.events, errors: t.error ? 1 : 0,
        codesShown: t.codeUse.shown, codesWithFix: t.codeUse.withFix, codesFollowed: t.codeUse.followedFix, ...fixAtBranches(t.branches), ...extra,
      })
    })()
  }

  /**
   * Ends a task on a fault of its environment or policy: its running episodes become errors with
   * the reason, branch events still waiting for their branch too; what was written stays.
   */
  const failTask = (t: TaskRun, message: string) => {
    if (t.done) return
    t.error = message
    const waitingEvents = [...t.queue.map((b) => b.eventId), ...(t.line?.ancestors ?? []).map((a) => a.eventId)]
    rec.failPendingBranches(db, waitingEvents, `Not finished: the task ended with an error (${message})`)
    for (const w of t.waiting) rec.skipHumanRequest(db, w.requestId)
    t.queue = []
    t.waiting = []
    finishTask(t)
  }

  /** A fault of the environment is the task's; a mistake in the run's configuration is the run's. */
  const isTaskFault = (err: unknown) => !(err instanceof EngineError) && !(err instanceof JobCancelled)

  /** Reaches the state at the end of basePath: restore its snapshot, or reset and replay, checking each observation. */
  const rollback = async (t: TaskRun, b: PendingBranch): Promise<{ ok: true } | { ok: false; message: string }> => {
    const session = t.session!
    const target = b.basePath[b.basePath.length - 1]!
    if (target.snapshot !== undefined && useSnapshots(session)) {
      await session.restore!(target.snapshot)
      return { ok: true }
    }
    const first = await session.reset()
    if (first.observation !== b.basePath[0]!.step.observation) {
      return { ok: false, message: 'Non-deterministic environment: reset gave a different initial observation than the stored root; branch skipped.' }
    }
    for (let i = 1; i < b.basePath.length; i++) {
      const p = b.basePath[i]!
      const got = await session.step(p.action!)
      t.replaySteps++
      if (countReplays) t.budgetUsed++
      if (got.observation !== p.step.observation) {
        return {
          ok: false,
          message: `Non-deterministic environment: replaying a_1..a_${i} gave a different observation at step ${i} than the stored one; branch skipped.`,
        }
      }
    }
    return { ok: true }
  }

  /** Gives the task its next line, or finishes it. */
  const startNext = async (t: TaskRun): Promise<void> => {
    while (!t.done && !t.line) {
      if (config.stopOnSuccess && t.solved) return finishTask(t)
      if (t.budgetUsed >= config.budget) return finishTask(t)
      if (config.sampler === 'leafe') {
        const b = t.queue.shift()
        if (b) {
          // A replayed prefix must leave room for at least the revised action.
          const replay = b.basePath[b.basePath.length - 1]!.snapshot !== undefined && useSnapshots(t.session!) ? 0 : b.basePath.length - 1
          if (countReplays && t.budgetUsed + replay + 1 > config.budget) {
            rec.setBranchOutcome(db, b.eventId, 'failure', `Not expanded: replaying ${replay} steps to tau would leave no budget for the branch.`)
            continue
          }
          const ok = await rollback(t, b).catch((err: unknown) => {
            t.queue.unshift(b) // still waiting: a fault here ends the task with this branch marked
            throw err
          })
          if (!ok.ok) {
            rec.setBranchOutcome(db, b.eventId, 'nondeterministic', ok.message)
            continue
          }
          t.line = {
            episodeId: t.treeEpisode!, path: b.basePath, generation: b.generation, sinceReflect: 0,
            experience: b.experience, avoid: [...new Set([...b.avoid, ...b.siblings])], ...(b.code ? { code: b.code } : {}), ancestors: b.ancestors, branch: b, serial: t.serial++,
          }
          return
        }
        if (t.waiting.length > 0) return // a person's reflection may still add branches
        // The queue ran dry with budget left: a fresh rollout from the root of the same tree.
        if (t.treeEpisode === undefined) {
          t.treeEpisode = rec.createEpisode(db, deps.runId, t.task, 0, 'leafe')
          t.episodeIds.push(t.treeEpisode)
          t.root = await insertRoot(t, t.treeEpisode)
        } else {
          await t.session!.reset()
        }
        t.attempts++
        t.line = { episodeId: t.treeEpisode, path: [t.root!], generation: 0, sinceReflect: 0, ancestors: [], serial: t.serial++ }
        return
      }
      // is / ir: a new attempt from scratch, one episode each.
      const episodeId = rec.createEpisode(db, deps.runId, t.task, t.attempts, config.sampler)
      t.episodeIds.push(episodeId)
      const root = await insertRoot(t, episodeId)
      const experience = config.sampler === 'ir' && t.reflections.length ? t.reflections.join('\n') : undefined
      t.attempts++
      t.line = { episodeId, path: [root], generation: 0, sinceReflect: 0, experience, ancestors: [], serial: t.serial++ }
    }
  }

  /** The code in a line's next context: a branch's own at h_tau; for IR, the latest earlier code blamed at this very state. */
  const codeAt = (t: TaskRun, line: Line): ExperienceCode | undefined => {
    if (line.code) return line.code
    if (config.sampler !== 'ir' || t.codes.length === 0) return undefined
    const here = line.path[line.path.length - 1]!.step.observation
    return t.codes.findLast((c) => c.observation === here)?.code
  }

  const contextOf = (t: TaskRun, line: Line): Context => {
    const code = codeAt(t, line)
    return {
      task: t.task,
      initial: line.path[0]!.step,
      history: line.path.slice(1).map((p) => ({ action: p.action!, step: p.step })),
      ...(line.experience ? { experience: line.experience } : {}),
      ...(code ? { code } : {}),
      ...(line.avoid?.length ? { avoid: line.avoid } : {}),
      ...(t.session?.validActions ? { validActions: t.session.validActions() } : {}),
    }
  }

  const endLine = (t: TaskRun, line: Line, success: boolean) => {
    t.trajectories.push({ path: line.path, success, generation: line.generation, ...(line.experience ? { experience: line.experience } : {}) })
    if (config.sampler !== 'leafe') rec.finishEpisode(db, line.episodeId, success ? 'success' : 'failure', line.path.length - 1)
    for (const a of line.ancestors) rec.setBranchOutcome(db, a.eventId, success ? 'success' : 'failure')
    if (success) for (const b of t.branches) if (line.ancestors.some((a) => a.eventId === b.eventId)) b.success = true
    t.line = undefined
  }

  /** Turns a reflection into branch requests (leafe) or accumulated experience (ir). */
  const applyReflection = (t: TaskRun, line: Line, reflection: Reflection, failedNodeId: number) => {
    const actions = line.path.slice(1).map((p) => p.action!)
    const tau = reflection.rollbackStep
    const base = { episodeId: line.episodeId, failedNodeId, reflection, rollbackMode: null }
    if (!Number.isInteger(tau) || tau < 1 || tau > actions.length) {
      rec.insertBranchEvent(db, { ...base, nodeId: failedNodeId, tau: Number.isInteger(tau) ? tau : 0, failedAction: null, outcome: 'error', message: `Reflection named step ${tau}, outside the trajectory (1..${actions.length}); ignored.` })
      return
    }
    t.events++
    const nodeId = line.path[tau - 1]!.nodeId
    const failedAction = actions[tau - 1]!
    if (config.sampler === 'ir') {
      t.reflections.push(`Attempt ${t.attempts}, step ${tau} (${failedAction}): ${reflection.experience}`)
      const code = codeForm(reflection.code)
      if (code) t.codes.push({ observation: line.path[tau - 1]!.step.observation, code })
      rec.insertBranchEvent(db, { ...base, nodeId, tau, failedAction, outcome: 'failure', message: 'IR: the next attempt starts from scratch with this reflection in context.' })
      return
    }
    if (line.generation + 1 > config.maxDepth) {
      rec.insertBranchEvent(db, { ...base, nodeId, tau, failedAction, outcome: 'failure', message: `Not branched: maximum depth ${config.maxDepth} reached.` })
      return
    }
    const basePath = line.path.slice(0, tau)
    const mode = basePath[basePath.length - 1]!.snapshot !== undefined ? 'snapshot' : 'replay'
    const avoid = [...new Set([...(reflection.avoid ?? []), failedAction])]
    const code = codeForm(reflection.code)
    // Only the events whose child lies on the kept prefix stay credited: a re-branch at or before
    // an event's tau replaces its a'_tau.
    const kept = line.ancestors.filter((a) => a.childAt < tau)
    const siblings: string[] = []
    for (let i = 0; i < config.branchesPerEvent; i++) {
      const eventId = rec.insertBranchEvent(db, { ...base, nodeId, tau, failedAction, rollbackMode: mode, outcome: 'pending' })
      const record: BranchRecord = { eventId, basePath, reflection, failedAction, revisedAction: null, childNodeId: null, success: false }
      t.branches.push(record)
      t.queue.push({ eventId, basePath, experience: reflection.experience, ...(code ? { code } : {}), avoid, generation: line.generation + 1, siblings, ancestors: [...kept, { eventId, childAt: tau }], record })
    }
  }

  const reflectOn = async (t: TaskRun, line: Line, failed: boolean): Promise<boolean> => {
    const reflector = deps.reflector
    if (!reflector || config.sampler === 'is') return false
    const last = line.path[line.path.length - 1]!
    const req = {
      task: t.task,
      initial: line.path[0]!.step,
      actions: line.path.slice(1).map((p) => p.action!),
      steps: line.path.slice(1).map((p) => p.step),
      failed,
    }
    let result
    try {
      result = await reflector.reflect(req)
    } catch (err) {
      rec.insertBranchEvent(db, {
        episodeId: line.episodeId, nodeId: last.nodeId, failedNodeId: last.nodeId, tau: 0,
        reflection: { rollbackStep: 0, experience: '', source: reflector.kind }, failedAction: null, rollbackMode: null,
        outcome: 'error', message: `Reflection failed: ${(err as Error).message}`,
      })
      return false
    }
    if (result === null) return false
    if (result === 'pending') {
      // With the budget spent a branch could not take a step: asking a person would be in vain.
      if (t.budgetUsed >= config.budget) return false
      const requestId = rec.requestHumanReflection(db, deps.runId, line.episodeId, last.nodeId)
      t.waiting.push({ requestId, at: Date.now(), line, actions: req.actions })
      return true
    }
    applyReflection(t, line, result, last.nodeId)
    return true
  }

  const pollHumans = () => {
    if (!runs.some((t) => t.waiting.length)) return
    const answers = new Map(rec.takeHumanAnswers(db, deps.runId).map((a) => [a.id, a.reflection]))
    const skipped = rec.skippedHumanRequests(db, deps.runId)
    for (const t of runs) {
      t.waiting = t.waiting.filter((w) => {
        const answer = answers.get(w.requestId)
        if (answer) {
          applyReflection(t, w.line, answer, w.line.path[w.line.path.length - 1]!.nodeId)
          return false
        }
        if (skipped.has(w.requestId)) return false // the person skipped it: nothing to branch from
        if (config.humanTimeoutS > 0 && Date.now() - w.at > config.humanTimeoutS * 1000) {
          rec.skipHumanRequest(db, w.requestId)
          return false
        }
        return true
      })
    }
  }

  let tick = 0
  while (runs.some((t) => !t.done)) {
    if (deps.signal?.aborted) throw new JobCancelled()
    pollHumans()
    for (const t of runs) {
      if (t.done || t.line) continue
      try {
        await startNext(t)
      } catch (err) {
        if (!isTaskFault(err)) throw err
        failTask(t, `environment: ${(err as Error).message}`)
      }
    }
    const active = runs.filter((t) => t.line)
    if (active.length === 0) {
      if (runs.some((t) => t.waiting.length)) await new Promise((r) => setTimeout(r, deps.humanPollMs ?? 1000))
      report()
      continue
    }

    const contexts = active.map((t) => contextOf(t, t.line!))
    const seeds = active.map((t) => deriveSeed(config.seed, t.task.id, t.line!.serial, t.line!.path.length))
    const decisions = await decide(policy, contexts, { temperature: config.temperature, topP: config.topP, seed: deriveSeed(config.seed, tick++), seeds })
    const settled = await Promise.allSettled(active.map((t, i) => (decisions[i]!.error ? Promise.reject(null) : t.session!.step(decisions[i]!.action))))

    // Tasks whose policy or environment failed this tick end here; the others' steps are recorded.
    const stepped: { t: TaskRun; context: Context; decision: (typeof decisions)[number]; step: Step }[] = []
    active.forEach((t, i) => {
      const d = decisions[i]!
      const r = settled[i]!
      if (d.error) failTask(t, `policy: ${d.error}`)
      else if (r.status === 'rejected') {
        if (!isTaskFault(r.reason)) throw r.reason
        failTask(t, `environment: ${(r.reason as Error)?.message ?? String(r.reason)}`)
      } else stepped.push({ t, context: contexts[i]!, decision: d, step: r.value })
    })
    const actions = stepped.map((s) => s.decision.action)
    const steps = stepped.map((s) => s.step)

    const nodes: NewNode[] = stepped.map(({ t, decision, step }) => {
      const line = t.line!
      return {
        episodeId: line.episodeId, parentId: line.path[line.path.length - 1]!.nodeId, step: line.path.length,
        action: decision.action, rawAction: decision.raw ?? null, ...stepFields(step), branchDepth: line.generation,
      }
    })
    const ids = insertNodes(db, nodes)
    stepped.forEach(({ t, context }, i) => {
      const code = context.code
      if (!code) return
      t.codeUse.shown++
      if (code.fix === undefined) return
      t.codeUse.withFix++
      if (actions[i] === code.fix) t.codeUse.followedFix++
    })

    for (let i = 0; i < stepped.length; i++) {
      const t = stepped[i]!.t
      const line = t.line!
      const step = steps[i]!
      const point: PathPoint = { nodeId: ids[i]!, step, action: actions[i]!, snapshot: useSnapshots(t.session!) ? t.session!.snapshot!() : undefined }
      if (line.branch && line.path === line.branch.basePath) {
        // The first action of a branch: the revised action a'_tau.
        line.branch.siblings.push(actions[i]!)
        line.branch.record.revisedAction = actions[i]!
        line.branch.record.childNodeId = ids[i]!
        rec.setBranchChild(db, line.branch.eventId, actions[i]!, ids[i]!)
        line.avoid = undefined
        line.code = undefined
      }
      line.path = [...line.path, point]
      line.sinceReflect++
      t.budgetUsed++

      if (step.success) {
        t.solved = true
        if (t.attempts === 1 && line.generation === 0) t.solvedAtFirstAttempt = true
        if (line.generation > 0) t.solvedByBranch = true
        endLine(t, line, true)
        if (config.stopOnSuccess) {
          // The queue is left for finishTask, which ends its events with the reason.
          for (const w of t.waiting) rec.skipHumanRequest(db, w.requestId)
          t.waiting = []
        }
        continue
      }
      if (step.done) {
        endLine(t, line, false)
        if (config.trigger.onFailure) await reflectOn(t, line, true)
        continue
      }
      if (t.budgetUsed >= config.budget) {
        endLine(t, line, false)
        continue
      }
      if (config.trigger.everyK !== null && line.sinceReflect >= config.trigger.everyK) {
        line.sinceReflect = 0
        if (config.sampler === 'leafe' && (await reflectOn(t, line, false))) endLine(t, line, false)
      }
    }
    report()
  }
  report()
  return outcomes
}

/**
 * Branches whose reflection knew a fix, and how many revised actions took it — whether or not the
 * policy was shown the code (without it, this is what masking the failed action alone achieves).
 */
function fixAtBranches(branches: BranchRecord[]): { branchesWithFix: number; branchesTookFix: number } {
  let branchesWithFix = 0
  let branchesTookFix = 0
  for (const b of branches) {
    const fix = b.reflection.code?.fix
    if (b.revisedAction === null || fix === undefined) continue
    branchesWithFix++
    if (b.revisedAction === fix) branchesTookFix++
  }
  return { branchesWithFix, branchesTookFix }
}

export const stepFields = (s: Step): Pick<NewNode, 'observation' | 'feedback' | 'reward' | 'done' | 'success' | 'valid'> => ({
  observation: s.observation,
  feedback: s.feedback,
  reward: s.reward,
  done: s.done,
  success: s.success,
  valid: s.valid,
})
