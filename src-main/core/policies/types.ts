import type { Context, Reflection } from '../envs/types.ts'

/** One reply to a prompt; `attempt` counts from 0, so that a retry can ask for another sample. */
export type Complete = (prompt: string, attempt: number) => Promise<string>

export type SampleOptions = {
  /** 0 = greedy. */
  temperature: number
  topP?: number
  /** Seed for reproducible samples: (checkpoint, seed, inputs) → the same outputs. */
  seed?: number
  /**
   * One seed per context, overriding `seed`: a context's sample then does not depend on which
   * other contexts share its batch (exploration resumes and re-batches; its samples must not change).
   */
  seeds?: number[]
  maxTokens?: number
}

/** One context's outcome: the action, what the model wrote before the action was read out of it, or why there is none. */
export type Decision = { action: string; raw?: string; error?: string }

/** Batched: many contexts per call, one action text per context. */
export interface Policy {
  id: string
  act(contexts: Context[], opts: SampleOptions): Promise<string[]>
  /**
   * act() with what callers record besides the action: the raw reply (kept on the node), and a
   * per-context error (a served model that kept failing for one context) that ends that
   * context's episode as an error instead of failing the whole batch.
   */
  decide?(contexts: Context[], opts: SampleOptions): Promise<Decision[]>
  /** For language-model policies that can diagnose their own trajectories. */
  reflect?(context: Context): Promise<Reflection | null>
  /** For local language models that write free text: a `complete` the LLM reflector asks, so the policy reflects on itself. */
  completer?(o: { temperature: number; maxTokens: number; seed: number }): Complete
  close?(): Promise<void>
}

/** A policy's decisions, from decide() where it has one, else from act(). */
export async function decide(policy: Policy, contexts: Context[], opts: SampleOptions): Promise<Decision[]> {
  if (policy.decide) return policy.decide(contexts, opts)
  return (await policy.act(contexts, opts)).map((action) => ({ action }))
}
