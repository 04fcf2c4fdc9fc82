// Early Experience, implicit world modelling (Zhang et al., 2025), the data side: along each
// expert trajectory the policy proposes alternative actions at every state; each is executed from
// that state and the next observation recorded. Training then mixes imitation of the expert
// actions (state → action) with world modelling (state + action → next state), in the form the
// start model reads: compact for the byte-level model, readable (with the system message, for
// the chat template) for an imported Hugging Face model.
import type { Context, Environment, EnvSession, PromptForm, Step, Task } from '../envs/types.ts'
import { throwIfCancelled } from '../jobs/types.ts'
import type { Policy } from '../policies/types.ts'
import { deriveSeed } from '../random.ts'

/** A training example; `system` is the chat system message (readable form only). */
export type TextPair = { system?: string; prompt: string; target: string }

/**
 * A world-model example's prompt: the state, then the action. Distinct from every policy prompt
 * (which ends with the state): compact, a marker byte; readable, the action and a question.
 */
export const worldModelPrompt = (state: string, action: string, form: PromptForm = 'compact'): string =>
  form === 'compact' ? `${state}>${action}` : `${state}\n\nAction taken: ${action}\nWhat do you observe next?`

export type EarlyExperienceData = { imitation: TextPair[]; world: TextPair[]; tasksWithoutExpert: string[] }

export type EarlyExperienceOptions = {
  env: Environment
  tasks: Task[]
  policy: Policy
  /** Alternative actions proposed per expert state (distinct, different from the expert's). */
  alternatives: number
  temperature: number
  seed: number
  /** The start model's prompt form (default compact). */
  form?: PromptForm
  signal?: AbortSignal
  onTask?: (done: number, total: number) => void
}

const ctxOf = (task: Task, initial: Step, history: { action: string; step: Step }[]): Context => ({ task, initial, history })

/** Back to the state after `prefix`: its snapshot where the environment has them, else reset and replay. */
async function reach(session: EnvSession, prefix: string[], snapshot: unknown): Promise<void> {
  if (snapshot !== undefined && session.restore) return session.restore(snapshot)
  await session.reset()
  for (const a of prefix) await session.step(a)
}

export async function buildEarlyExperience(opts: EarlyExperienceOptions): Promise<EarlyExperienceData> {
  const { env, policy } = opts
  const r = env.renderer
  const form = opts.form ?? 'compact'
  // The next state as a world-model target: the compact rendering of it (the local model's
  // state is that rendering); readable, the observation alone, not a whole prompt again.
  const nextState = (next: Context, step: Step) => (form === 'compact' ? r.render(next, 'compact') : step.observation)
  const out: EarlyExperienceData = { imitation: [], world: [], tasksWithoutExpert: [] }
  let done = 0
  for (const task of opts.tasks) {
    throwIfCancelled(opts.signal)
    const expert = env.expert ? await env.expert(task) : null
    if (!expert?.length) {
      out.tasksWithoutExpert.push(task.id)
      continue
    }
    const session = await env.open(task)
    try {
      const initial = await session.reset()
      const history: { action: string; step: Step }[] = []
      const snapshots: unknown[] = [session.snapshot?.()]
      // What each expert state admits, where the environment says (the policy proposes among those, as it acts).
      const valid: (string[] | undefined)[] = []
      for (const a of expert) {
        valid.push(session.validActions?.())
        const step = await session.step(a)
        history.push({ action: a, step })
        snapshots.push(session.snapshot?.())
      }
      // Every expert state, the alternatives for all of them proposed in one batched call.
      const states = expert.map((_, t): Context => ({ ...ctxOf(task, initial, history.slice(0, t)), ...(valid[t] ? { validActions: valid[t] } : {}) }))
      const proposals: string[][] = states.map(() => [])
      for (let k = 0; k < opts.alternatives * 4 + 4 && proposals.some((p) => p.length < opts.alternatives); k++) {
        const acts = await policy.act(states, { temperature: opts.temperature, seeds: states.map((_, t) => deriveSeed(opts.seed, task.id, t, k)) })
        acts.forEach((a, t) => {
          const norm = r.parseAction(a, form)
          if (norm !== expert[t] && !proposals[t]!.includes(norm) && proposals[t]!.length < opts.alternatives) proposals[t]!.push(norm)
        })
      }
      for (let t = 0; t < expert.length; t++) {
        const state = r.render(states[t]!, form)
        const system = form === 'readable' ? { system: r.system(task) } : {}
        out.imitation.push({ ...system, prompt: state, target: r.formatAction(expert[t]!, form) })
        // The expert's own transition, then each alternative executed from the same state.
        out.world.push({ ...system, prompt: worldModelPrompt(state, r.formatAction(expert[t]!, form), form), target: nextState(ctxOf(task, initial, history.slice(0, t + 1)), history[t]!.step) })
        for (const alt of proposals[t]!) {
          await reach(session, expert.slice(0, t), snapshots[t])
          const step = await session.step(alt)
          const next = nextState(ctxOf(task, initial, [...history.slice(0, t), { action: alt, step }]), step)
          out.world.push({ ...system, prompt: worldModelPrompt(state, r.formatAction(alt, form), form), target: next })
        }
      }
    } finally {
      await session.close()
    }
    opts.onTask?.(++done, opts.tasks.length)
  }
  return out
}
