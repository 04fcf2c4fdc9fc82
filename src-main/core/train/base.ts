// The base policy's training data: expert demonstrations into which mistakes are injected. A
// share of steps is replaced by another action, the episode continues from the state that
// results, and the expert re-plans from there — so the data teaches both the task and getting
// back on track, and a model trained on it is capable but imperfect, as an instruction-tuned
// model is on a new task. Mistakes are part of the demonstration (their targets are trained on).
import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Context, Environment, Step, Task } from '../envs/types.ts'
import { throwIfCancelled } from '../jobs/types.ts'
import { deriveSeed, randInt, rng } from '../random.ts'
import type { TextPair } from './early-experience.ts'

export type DemoOptions = {
  env: Environment
  tasks: Task[]
  /** Probability that a step's action is replaced by another one. */
  mistakeRate: number
  /** Keep the mistaken steps as training targets too (default: only the states they lead to, with the expert's actions). */
  trainOnMistakes?: boolean
  seed: number
  signal?: AbortSignal
  onTask?: (done: number, total: number) => void
}

export type DemoData = { pairs: TextPair[]; tasks: number; withoutExpert: number; mistakes: number; solved: number }

export async function demonstrationsWithMistakes(o: DemoOptions): Promise<DemoData> {
  const { env } = o
  if (!env.expert) throw new Error(`Environment ${env.id} has no expert to demonstrate with.`)
  if (o.mistakeRate > 0 && !env.expertFrom) throw new Error(`Environment ${env.id} cannot re-plan from a state, so mistakes cannot be injected into its demonstrations.`)
  const out: DemoData = { pairs: [], tasks: o.tasks.length, withoutExpert: 0, mistakes: 0, solved: 0 }
  for (const [i, task] of o.tasks.entries()) {
    throwIfCancelled(o.signal)
    let plan = await env.expert(task)
    if (!plan) {
      out.withoutExpert++
      continue
    }
    const next = rng(deriveSeed(o.seed, 'mistakes', task.id))
    const session = await env.open(task)
    const initial = await session.reset()
    const history: { action: string; step: Step }[] = []
    let step = initial
    while (!step.done && plan && plan.length > 0) {
      const ctx: Context = { task, initial, history }
      let action: string = plan[0]!
      const mistake = next() < o.mistakeRate
      // A mistake is another action the state admits (the fixed action space where there is one).
      const others: string[] = mistake ? (session.validActions?.() ?? env.actionSpace ?? []).filter((a) => a !== action) : []
      if (others.length) {
        action = others[randInt(next, others.length)]!
        out.mistakes++
      }
      if (!others.length || o.trainOnMistakes) out.pairs.push({ prompt: env.renderer.render(ctx, 'compact'), target: env.renderer.formatAction(action, 'compact') })
      step = await session.step(action)
      history.push({ action, step })
      // After a mistake the expert plans again from where the episode now is (null: unsolvable, the demonstration ends).
      plan = others.length ? (step.done ? [] : await env.expertFrom!(task, history.map((h) => h.action))) : plan.slice(1)
    }
    if (step.success) out.solved++
    await session.close()
    o.onTask?.(i + 1, o.tasks.length)
  }
  return out
}

/** Writes {prompt, target} lines (temp file, then rename). */
export function writePairs(path: string, pairs: TextPair[]): void {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = `${path}.tmp-${process.pid}`
  const fd = openSync(tmp, 'w')
  try {
    for (const p of pairs) writeSync(fd, JSON.stringify(p) + '\n')
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, path)
}

/** The solver's success rate on tasks: its plan replayed in a fresh episode. */
export async function expertSuccess(env: Environment, tasks: Task[]): Promise<number> {
  let solved = 0
  for (const task of tasks) {
    const plan = env.expert ? await env.expert(task) : null
    if (!plan) continue
    const session = await env.open(task)
    let step = await session.reset()
    for (const a of plan) {
      if (step.done) break
      step = await session.step(a)
    }
    if (step.success) solved++
    await session.close()
  }
  return tasks.length ? solved / tasks.length : 0
}
