import type { Context, Environment } from '../envs/types.ts'
import type { BackendPreference } from '../model/backend.ts'
import { SamplerPool, type PoolOptions, type PoolSource } from '../model/pool.ts'
import { replayConstraint, type Constraint } from '../model/sampling.ts'
import { encodeExample, encodePrompt } from '../model/tokenizer.ts'
import type { Policy, SampleOptions } from './types.ts'

/** Tokens an action may take when the caller sets no limit. */
const MAX_TOKENS = 32

/**
 * The workbench's own policy: a local checkpoint sampled in worker threads. Each context is
 * rendered in the environment's compact form (the form the model was trained on), the first
 * action is restricted to the valid actions (the state's, else the action space) minus a
 * reflection's `avoid` list, and the written text is read back with the renderer.
 */
export class LocalPolicy implements Policy {
  private constructor(
    readonly id: string,
    private readonly env: Environment,
    readonly pool: SamplerPool,
  ) {}

  static async open(id: string, env: Environment, source: PoolSource, opts: PoolOptions & { backend?: BackendPreference } = {}): Promise<LocalPolicy> {
    return new LocalPolicy(id, env, await SamplerPool.open(source, opts))
  }

  /** The prompt the model reads for a context — the same text training examples are made of. */
  prompt(ctx: Context): string {
    return this.env.renderer.render(ctx, 'compact')
  }

  /** The target the model writes for an action. */
  target(action: string): string {
    return this.env.renderer.formatAction(action, 'compact')
  }

  /**
   * How the sampler drew `action` in `ctx`: per target token (EOS included), the tokens it was
   * allowed to take and whether it drew that token at all — so a learner (GRPO) can score the
   * action over the same renormalised distribution. Null where the action breaks the restriction.
   */
  drawnFrom(ctx: Context, action: string, vocabSize: number, contextLength: number): { allowed: Uint8Array[]; drawn: boolean[] } | null {
    const prompt = encodePrompt(this.prompt(ctx))
    const target = encodeExample(this.prompt(ctx), this.target(action)).ids.slice(prompt.length)
    return replayConstraint(this.constraint(ctx), target, vocabSize, Math.min(MAX_TOKENS, contextLength - prompt.length))
  }

  private constraint(ctx: Context): Constraint | undefined {
    const valid = ctx.validActions ?? this.env.actionSpace
    const avoid = ctx.avoid?.map((a) => this.target(a))
    if (!valid?.length && !avoid?.length) return undefined
    return { allow: valid?.map((a) => this.target(a)), avoid }
  }

  async act(contexts: Context[], opts: SampleOptions): Promise<string[]> {
    if (contexts.length === 0) return []
    const out = await this.pool.generate(
      contexts.map((c) => encodePrompt(this.prompt(c))),
      contexts.map((c) => this.constraint(c)),
      { temperature: opts.temperature, topP: opts.topP, maxTokens: opts.maxTokens ?? MAX_TOKENS, seed: opts.seed ?? 0, seeds: opts.seeds },
    )
    return out.map((g) => this.env.renderer.parseAction(g.text, 'compact'))
  }

  /** Σ log π(action | context) per pair over the whole vocabulary, batched (GRPO scores over the sampler's restriction instead: `drawnFrom`). */
  logProbs(pairs: { context: Context; action: string }[]): Promise<number[]> {
    return this.pool.score(pairs.map((p) => ({ prompt: this.prompt(p.context), target: this.target(p.action) })))
  }

  close(): Promise<void> {
    return this.pool.close()
  }
}
