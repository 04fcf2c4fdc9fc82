// LEAFE Stage 1 (tree-structured exploration with rollback) and the two samplers it is compared
// with, at an equal execution budget per task (environment steps, replays included, unless the
// config counts actions). The samplers (samplers/: leafe, is, ir) say where a task's next line
// comes from and what a reflection does; rollback.ts reaches the state at tau again; everything
// is written through a Recorder (recording.ts). This file does what all three share:
// - Tasks advance together: each tick gathers one context from every task's active line and calls
//   the policy once for the whole batch.
// - Credit: a branch event succeeds only when a successful line descends from its child, i.e.
//   keeps a'_tau. A line that re-branches at or before an event's tau no longer holds a'_tau, so
//   the lines below that re-branch are not credited to the event.
// - Reflection: on failure (or every K steps, LEAFE), by the run's reflector; a person's answer
//   is polled for while the other tasks go on.
// - Faults: a task whose environment or policy fails (a server error, a timeout, a served model
//   that keeps failing) ends as an error — its episodes marked so, with the reason, every node
//   written before kept — and the other tasks go on.
import { closeQuietly } from '../envs/close.ts'
import type { Context, Environment, ExperienceCode, Reflection, Step, Task } from '../envs/types.ts'
import { EngineError } from '../errors.ts'
import { JobCancelled } from '../jobs/types.ts'
import { decide, type Policy } from '../policies/types.ts'
import { deriveSeed } from '../random.ts'
import type { DB } from '../store/db.ts'
import type { ExploreConfig } from '../../shared/jobs/explore.ts'
import { storeRecorder, type NewNode, type Recorder } from './recording.ts'
import type { Reflector } from './reflectors.ts'
import { usesSnapshots } from './rollback.ts'
import { samplers } from './samplers/registry.ts'
import type { BranchRecord, ExploreProgress, Line, PathPoint, TaskOutcome, TaskRun, TaskState } from './types.ts'

export type ExploreDeps = (
  | { db: DB; runId: number }
  /** Where the tree is written instead of the store (a test's recorder). */
  | { recorder: Recorder }
) & {
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

export async function explore(deps: ExploreDeps): Promise<TaskOutcome[]> {
  const { env, policy, config } = deps
  const recorder = 'recorder' in deps ? deps.recorder : storeRecorder(deps.db, deps.runId)
  const sampler = samplers[config.sampler]
  const outcomes: TaskOutcome[] = []
  const snapshots = (t: TaskState) => t.session !== undefined && usesSnapshots(t.session, config.rollback)

  /** Opens the task's session if need be, resets it and records the root node of an episode. */
  const openRoot = async (t: TaskState, episodeId: number): Promise<PathPoint> => {
    t.session ??= await env.open(t.task)
    if (config.rollback === 'snapshot' && !snapshots(t)) {
      throw new EngineError('bad_request', `Environment ${env.id} has no snapshots; use rollback "replay" or "auto".`)
    }
    const step = await t.session.reset()
    const [nodeId] = recorder.nodes([{ episodeId, parentId: null, step: 0, action: null, ...stepFields(step), branchDepth: 0 }])
    recorder.episodeRoot(episodeId, nodeId!)
    return { nodeId: nodeId!, step, action: null, snapshot: snapshots(t) ? t.session.snapshot!() : undefined }
  }

  const runs: TaskRun[] = deps.tasks.map((task) => {
    const state: TaskState = {
      task, waiting: [], budgetUsed: 0, replaySteps: 0, attempts: 0, codeUse: { shown: 0, withFix: 0, followedFix: 0 },
      solved: false, solvedAtFirstAttempt: false, solvedByBranch: false, done: false, events: 0, serial: 0,
      trajectories: [], branches: [], episodeIds: [],
    }
    const ctx = { config, recorder, run: state, openRoot: (episodeId: number) => openRoot(state, episodeId), snapshots: () => snapshots(state) }
    return Object.assign(state, { sampler: sampler.start(ctx) })
  })

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

  const finishTask = (t: TaskRun) => {
    if (t.done) return
    // A request nobody can act on any more must not stay pending for a finished run.
    for (const w of t.waiting) recorder.skipHuman(w.requestId)
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
    recorder.atomically(() => {
      if (t.error) recorder.failEpisodes(t.episodeIds, t.error)
      else t.sampler.finish()
      const extra = deps.onTaskDone?.(outcome) ?? {}
      recorder.taskFinished(t.task.id, t.solved, {
        solvedAtFirstAttempt: +t.solvedAtFirstAttempt, solvedByBranch: +t.solvedByBranch, steps: t.budgetUsed,
        replaySteps: t.replaySteps, branchEvents: t.events, errors: t.error ? 1 : 0,
        codesShown: t.codeUse.shown, codesWithFix: t.codeUse.withFix, codesFollowed: t.codeUse.followedFix, ...fixAtBranches(t.branches), ...extra,
      })
    })
  }

  /**
   * Ends a task on a fault of its environment or policy: its running episodes become errors with
   * the reason, branch events still waiting for their branch too; what was written stays.
   */
  const failTask = (t: TaskRun, message: string) => {
    if (t.done) return
    t.error = message
    const waitingEvents = [...t.sampler.abandon(), ...(t.line?.ancestors ?? []).map((a) => a.eventId)]
    recorder.closeBranches(waitingEvents, `Not finished: the task ended with an error (${message})`, 'error')
    for (const w of t.waiting) recorder.skipHuman(w.requestId)
    t.waiting = []
    finishTask(t)
  }

  /** A fault of the environment is the task's; a mistake in the run's configuration is the run's. */
  const isTaskFault = (err: unknown) => !(err instanceof EngineError) && !(err instanceof JobCancelled)

  /** Gives the task its next line, or finishes it. */
  const startNext = async (t: TaskRun): Promise<void> => {
    while (!t.done && !t.line) {
      if (config.stopOnSuccess && t.solved) return finishTask(t)
      if (t.budgetUsed >= config.budget) return finishTask(t)
      const next = await t.sampler.next()
      if (next === 'waiting') return
      if (next === 'skipped') continue
      if (!next.branch) t.attempts++
      t.line = { ...next, serial: t.serial++ }
    }
  }

  /** The code in a line's next context: a branch's own at h_tau, else what the sampler carries (IR). */
  const codeAt = (t: TaskRun, line: Line): ExperienceCode | undefined => line.code ?? t.sampler.codeAt(line)

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
    t.sampler.lineEnded(line, success)
    for (const a of line.ancestors) recorder.branchOutcome(a.eventId, success ? 'success' : 'failure')
    if (success) for (const b of t.branches) if (line.ancestors.some((a) => a.eventId === b.eventId)) b.success = true
    t.line = undefined
  }

  /** Checks a reflection's tau against the line, then hands it to the sampler. */
  const applyReflection = (t: TaskRun, line: Line, reflection: Reflection, failedNodeId: number) => {
    const actions = line.path.slice(1).map((p) => p.action!)
    const tau = reflection.rollbackStep
    if (!Number.isInteger(tau) || tau < 1 || tau > actions.length) {
      recorder.branchEvent({
        episodeId: line.episodeId, nodeId: failedNodeId, failedNodeId, tau: Number.isInteger(tau) ? tau : 0, reflection, failedAction: null, rollbackMode: null,
        outcome: 'error', message: `Reflection named step ${tau}, outside the trajectory (1..${actions.length}); ignored.`,
      })
      return
    }
    t.events++
    t.sampler.reflected(line, reflection, { tau, nodeId: line.path[tau - 1]!.nodeId, failedAction: actions[tau - 1]!, failedNodeId })
  }

  const reflectOn = async (t: TaskRun, line: Line, failed: boolean): Promise<boolean> => {
    const reflector = deps.reflector
    if (!reflector || !sampler.reflects) return false
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
      recorder.branchEvent({
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
      const requestId = recorder.askHuman(line.episodeId, last.nodeId)
      t.waiting.push({ requestId, at: Date.now(), line, actions: req.actions })
      return true
    }
    applyReflection(t, line, result, last.nodeId)
    return true
  }

  const pollHumans = () => {
    if (!runs.some((t) => t.waiting.length)) return
    const { answers, skipped } = recorder.humanAnswers()
    for (const t of runs) {
      t.waiting = t.waiting.filter((w) => {
        const answer = answers.get(w.requestId)
        if (answer) {
          applyReflection(t, w.line, answer, w.line.path[w.line.path.length - 1]!.nodeId)
          return false
        }
        if (skipped.has(w.requestId)) return false // the person skipped it: nothing to branch from
        if (config.humanTimeoutS > 0 && Date.now() - w.at > config.humanTimeoutS * 1000) {
          recorder.skipHuman(w.requestId)
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
    const ids = recorder.nodes(nodes)
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
      const point: PathPoint = { nodeId: ids[i]!, step, action: actions[i]!, snapshot: snapshots(t) ? t.session!.snapshot!() : undefined }
      if (line.branch && line.path === line.branch.basePath) {
        // The first action of a branch: the revised action a'_tau.
        line.branch.siblings.push(actions[i]!)
        line.branch.record.revisedAction = actions[i]!
        line.branch.record.childNodeId = ids[i]!
        recorder.branchChild(line.branch.eventId, actions[i]!, ids[i]!)
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
          // The unexpanded branches are left for finishTask, which ends their events with the reason.
          for (const w of t.waiting) recorder.skipHuman(w.requestId)
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
        if (sampler.reflectsMidLine && (await reflectOn(t, line, false))) endLine(t, line, false)
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

const stepFields = (s: Step): Pick<NewNode, 'observation' | 'feedback' | 'reward' | 'done' | 'success' | 'valid'> => ({
  observation: s.observation,
  feedback: s.feedback,
  reward: s.reward,
  done: s.done,
  success: s.success,
  valid: s.valid,
})
