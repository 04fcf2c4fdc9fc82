// Pass@k sampling: n independent episodes per task for one policy, all tasks and samples
// advancing together so that each policy call carries the whole batch. Only (n, c) per task is
// kept: Pass@k for any k ≤ n can be recomputed from it later.
import type { Context, EnvSession, Environment, Step, Task } from '../envs/types.ts'
import { JobCancelled } from '../jobs/types.ts'
import type { Policy } from '../policies/types.ts'
import { deriveSeed } from '../random.ts'

export type TaskResult = { task: Task & { rowId?: number }; n: number; c: number }

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
  onEpisode?: (e: { task: Task; sample: number; initial: Step; history: { action: string; step: Step }[]; success: boolean }) => void
  onProgress?: (episodesDone: number) => void
}

type Episode = { taskIndex: number; sample: number; session: EnvSession; initial: Step; history: { action: string; step: Step }[] }

export async function samplePassAtK(deps: SampleDeps): Promise<TaskResult[]> {
  const { env, policy, n } = deps
  const maxConcurrent = deps.maxConcurrent ?? 4096
  const counts = deps.tasks.map(() => ({ done: 0, c: 0 }))
  const results: TaskResult[] = []
  const queue: { taskIndex: number; sample: number }[] = []
  deps.tasks.forEach((_, taskIndex) => {
    for (let sample = 0; sample < n; sample++) queue.push({ taskIndex, sample })
  })
  let next = 0
  let finished = 0
  const open: Episode[] = []

  const finish = async (ep: Episode, success: boolean) => {
    await ep.session.close()
    deps.onEpisode?.({ task: deps.tasks[ep.taskIndex]!, sample: ep.sample, initial: ep.initial, history: ep.history, success })
    const k = counts[ep.taskIndex]!
    k.done++
    if (success) k.c++
    finished++
    if (k.done === n) {
      const r = { task: deps.tasks[ep.taskIndex]!, n, c: k.c }
      results.push(r)
      deps.onTaskDone?.(r)
    }
  }

  while (next < queue.length || open.length > 0) {
    if (deps.signal?.aborted) throw new JobCancelled()
    while (open.length < maxConcurrent && next < queue.length) {
      const { taskIndex, sample } = queue[next++]!
      const session = await env.open(deps.tasks[taskIndex]!)
      const initial = await session.reset()
      if (initial.done) await finish({ taskIndex, sample, session, initial, history: [] }, initial.success)
      else open.push({ taskIndex, sample, session, initial, history: [] })
    }
    if (open.length === 0) continue
    const contexts: Context[] = open.map((ep) => ({
      task: deps.tasks[ep.taskIndex]!,
      initial: ep.initial,
      history: ep.history,
      ...(ep.session.validActions ? { validActions: ep.session.validActions() } : {}),
    }))
    const seeds = open.map((ep) => deriveSeed(deps.seed, deps.policyKey, deps.tasks[ep.taskIndex]!.id, ep.sample, ep.history.length))
    const actions = await policy.act(contexts, { temperature: deps.temperature, topP: deps.topP, seeds })
    const steps = await Promise.all(open.map((ep, i) => ep.session.step(actions[i]!)))
    const still: Episode[] = []
    for (let i = 0; i < open.length; i++) {
      const ep = open[i]!
      const step = steps[i]!
      ep.history = [...ep.history, { action: actions[i]!, step }]
      if (step.done || step.success || ep.history.length >= (deps.maxSteps ?? 10_000)) await finish(ep, step.success)
      else still.push(ep)
    }
    open.length = 0
    open.push(...still)
    deps.onProgress?.(finished)
  }
  return results
}
