// Teaching a small policy to read experience codes, as an instruction-tuned model can read a
// hint: the policy plays sampled episodes on training tasks it did not train on; the critic
// blames its failures; each blamed state becomes two examples — the state with the whole code and
// with the diagnosis only (no fix), both with the critic's fix as the target — mixed 1:1 with plain
// expert steps from the same tasks, so the plain policy is not forgotten. A short SFT from the
// policy's checkpoint then makes a'_tau ~ π(·|h_tau, e) depend on e. Codes are never mixed into
// training from scratch (a model that has not learnt the task yet only learns to ignore them),
// and never shown after the state they were given at (stale codes teach the same).
import type { Context, Environment, ExperienceCode, Task } from '../envs/types.ts'
import { samplePassAtK } from '../eval/sampler.ts'
import type { Policy } from '../policies/types.ts'
import { deriveSeed } from '../random.ts'
import { demonstrationsWithMistakes } from './base.ts'
import { shuffled } from './data.ts'
import type { TextPair } from './early-experience.ts'

export type ReadingOptions = {
  env: Environment
  policy: Policy
  tasks: Task[]
  /** Sampled episodes per task. */
  episodes: number
  temperature: number
  seed: number
  signal?: AbortSignal
  onProgress?: (episodesDone: number, total: number) => void
}

export type ReadingData = { pairs: TextPair[]; episodes: number; failures: number; blamed: number; rehearsal: number }

export async function readingData(o: ReadingOptions): Promise<ReadingData> {
  const { env } = o
  if (!env.critic) throw new Error(`Environment ${env.id} has no critic to blame failures with.`)
  const failed: { task: Task; context: Context; actions: string[] }[] = []
  let episodes = 0
  await samplePassAtK({
    env, policy: o.policy, policyKey: 'reading', tasks: o.tasks, n: o.episodes, temperature: o.temperature, topP: 1,
    seed: deriveSeed(o.seed, 'reading'), signal: o.signal,
    onEpisode: (e) => {
      episodes++
      if (!e.success) failed.push({ task: e.task, context: { task: e.task, initial: e.initial, history: e.history }, actions: e.history.map((h) => h.action) })
    },
    onProgress: (done) => o.onProgress?.(done, o.tasks.length * o.episodes),
  })
  const r = env.renderer
  const coded: TextPair[] = []
  for (const f of failed) {
    const reflection = await env.critic(f.task, f.actions, f.context.history.map((h) => h.step))
    const code = reflection?.code
    if (!reflection || !code?.fix) continue
    const at: Context = { ...f.context, history: f.context.history.slice(0, reflection.rollbackStep - 1) }
    const target = r.formatAction(code.fix, 'compact')
    const diagnosis: ExperienceCode = { blamed: code.blamed, place: code.place }
    coded.push({ prompt: r.render({ ...at, code }, 'compact'), target }, { prompt: r.render({ ...at, code: diagnosis }, 'compact'), target })
  }
  // Plain expert steps on the same tasks, as many as there are coded examples.
  const demos = await demonstrationsWithMistakes({ env, tasks: o.tasks, mistakeRate: 0, seed: o.seed, signal: o.signal })
  const rehearsal = shuffled(demos.pairs, deriveSeed(o.seed, 'reading-rehearsal')).slice(0, coded.length)
  return {
    pairs: shuffled([...coded, ...rehearsal], deriveSeed(o.seed, 'reading-mix')),
    episodes,
    failures: failed.length,
    blamed: coded.length / 2,
    rehearsal: rehearsal.length,
  }
}
