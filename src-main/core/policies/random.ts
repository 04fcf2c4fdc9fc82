import type { Context } from '../envs/types.ts'
import { deriveSeed, randInt, rng } from '../random.ts'
import type { Policy, SampleOptions } from './types.ts'

/**
 * Uniform random play over the admissible actions (the state's valid actions, else the
 * environment's action space), minus a reflection's `avoid` list. The baseline every Pass@k
 * comparison needs, and a policy that needs no model.
 */
export function randomPolicy(actionSpace: string[] | undefined): Policy {
  return {
    id: 'random',
    async act(contexts: Context[], opts: SampleOptions): Promise<string[]> {
      return contexts.map((ctx, i) => {
        const choices = ctx.validActions ?? actionSpace
        if (!choices?.length) throw new Error(`Random play needs the environment's action space or the state's valid actions (task ${ctx.task.id}).`)
        const allowed = ctx.avoid?.length ? choices.filter((a) => !ctx.avoid!.includes(a)) : choices
        const pool = allowed.length ? allowed : choices
        const next = rng(opts.seeds?.[i] ?? deriveSeed(opts.seed ?? 0, i))
        return pool[randInt(next, pool.length)]!
      })
    },
  }
}
