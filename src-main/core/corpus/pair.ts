// One training pair as every corpus item stores it: what the branch builders, manual items and
// edits all render the same way.
import type { Context, Environment } from '../envs/types.ts'

/** A (prompt, target) pair in the readable form, with the system message and the compact form for the local model. */
export function pair(env: Environment, ctx: Context, action: string) {
  const r = env.renderer
  return {
    system: r.system(ctx.task),
    prompt: r.render(ctx, 'readable'),
    target: r.formatAction(action, 'readable'),
    compact: { prompt: r.render(ctx, 'compact'), target: r.formatAction(action, 'compact') },
  }
}
