// Pass@k sampling: n independent episodes per task for one policy, all tasks and samples
// advancing together so that each policy call carries the whole batch. Only (n, c) per task is
// kept: Pass@k for any k ≤ n can be recomputed from it later. An episode whose environment or
// policy fails (a server error, a timeout) counts as a failure — never as a success — and is
// counted in `errors` with its reason reported, while the other episodes go on.
import { closeQuietly } from '../envs/close.ts'
import type { Context, EnvSession, Environment, Step, Task } from '../envs/types.ts'
import { throwIfCancelled } from '../jobs/types.ts'
import { decide, type Policy } from '../policies/types.ts'
import { deriveSeed } from '../random.ts'

export type TaskResult = { task: Task & { rowId?: number }; n: number; c: number; errors: number }

export type SampleDeps = {
  env: Environment
  policy: Policy
  policyKey: string
  tasks: (Task & { rowId?: number })[]
  n: number
  temperature: number
  topP: number
  seed: number
  signal?: AbortSignal
  /** At most this many episodes are open at once (sessions and contexts are held in memory). */
  maxConcurrent?: number
  /** A safety net for environments without a step limit of their own: the episode counts as failed. */
  maxSteps?: number
  onTaskDone?: (r: TaskResult) => void
  /** Every finished episode with its whole history (GRPO learns from these). */
  /** A finished episode; `validActions[t]` is what the policy was told was valid before action t+1 (GRPO re-scores under it). */
  onEpisode?: (e: { task: Task; sample: number; initial: Step; history: { action: string; step: Step }[]; validActions: (string[] | undefined)[]; success: boolean }) => void
  onProgress?: (episodesDone: number) => void
  /** An episode ended by a fault of the environment or the policy (it counts as failed). */
  onError?: (e: { task: Task; sample: number; message: string }) => void
}

type Episode = { taskIndex: number; sample: number; session: EnvSession; initial: Step; history: { action: string; step: Step }[]; valid: (string[] | undefined)[] }

export async function samplePassAtK(deps: SampleDeps): Promise<TaskResult[]> {
  const { env, policy, n } = deps
  const maxConcurrent = deps.maxConcurrent ?? 4096
  const counts = deps.tasks.map(() => ({ done: 0, c: 0, errors: 0 }))
  const results: TaskResult[] = []
  const queue: { taskIndex: number; sample: number }[] = []
  deps.tasks.forEach((_, taskIndex) => {
    for (let sample = 0; sample < n; sample++) queue.push({ taskIndex, sample })
  })
  let next = 0
  let finished = 0
  const open: Episode[] = []

  const finish = async (ep: { taskIndex: number; sample: number; session?: EnvSession; initial?: Step; history?: Episode['history']; valid?: Episode['valid'] }, success: boolean, error?: string) => {
    await closeQuietly(ep.session)
    // An episode cut off by a fault is no sample of the policy: learners (GRPO) do not get it.
    if (error === undefined && ep.initial) deps.onEpisode?.({ task: deps.tasks[ep.taskIndex]!, sample: ep.sample, initial: ep.initial, history: ep.history ?? [], validActions: ep.valid ?? [], success })
    const k = counts[ep.taskIndex]!
    k.done++
    if (success) k.c++
    if (error !== undefined) {
      k.errors++
      deps.onError?.({ task: deps.tasks[ep.taskIndex]!, sample: ep.sample, message: error })
    }
    finished++
    if (k.done === n) {
      const r = { task: deps.tasks[ep.taskIndex]!, n, c: k.c, errors: k.errors }
      results.push(r)
      deps.onTaskDone?.(r)
    }
  }

  while (next < queue.length || open.length > 0) {
    throwIfCancelled(deps.signal)
    while (open.length < maxConcurrent && next < queue.length) {
      const { taskIndex, sample } = queue[next++]!
      let session: EnvSession | undefined
      let initial: Step
      try {
        session = await env.open(deps.tasks[taskIndex]!)
        initial = await session.reset()
      } catch (err) {
        await finish({ taskIndex, sample, session }, false, `environment: ${(err as Error)?.message ?? String(err)}`)
        continue
      }
      if (initial.done) await finish({ taskIndex, sample, session, initial, history: [], valid: [] }, initial.success)
      else open.push({ taskIndex, sample, session, initial, history: [], valid: [] })
    }
    if (open.length === 0) continue
    const contexts: Context[] = open.map((ep) => ({
      task: deps.tasks[ep.taskIndex]!,
      initial: ep.initial,
      history: ep.history,
      ...(ep.session.validActions ? { validActions: ep.session.validActions() } : {}),
    }))
    const seeds = open.map((ep) => deriveSeed(deps.seed, deps.policyKey, deps.tasks[ep.taskIndex]!.id, ep.sample, ep.history.length))
    const decisions = await decide(policy, contexts, { temperature: deps.temperature, topP: deps.topP, seeds })
    const steps = await Promise.allSettled(open.map((ep, i) => (decisions[i]!.error ? Promise.reject(null) : ep.session.step(decisions[i]!.action))))
    const still: Episode[] = []
    for (let i = 0; i < open.length; i++) {
      const ep = open[i]!
      const d = decisions[i]!
      const r = steps[i]!
      if (d.error || r.status === 'rejected') {
        const reason = d.error ? `policy: ${d.error}` : `environment: ${((r as PromiseRejectedResult).reason as Error)?.message ?? String((r as PromiseRejectedResult).reason)}`
        await finish(ep, false, reason)
        continue
      }
      const step = r.value
      ep.history = [...ep.history, { action: d.action, step }]
      ep.valid = [...ep.valid, contexts[i]!.validActions]
      if (step.done || step.success || ep.history.length >= (deps.maxSteps ?? 10_000)) await finish(ep, step.success)
      else still.push(ep)
    }
    open.length = 0
    open.push(...still)
    deps.onProgress?.(finished)
  }
  return results
}
