import type { Context, Reflection } from '../envs/types.ts'

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

/** Batched: many contexts per call, one action text per context. */
export interface Policy {
  id: string
  act(contexts: Context[], opts: SampleOptions): Promise<string[]>
  /** For language-model policies that can diagnose their own trajectories. */
  reflect?(context: Context): Promise<Reflection | null>
  close?(): Promise<void>
}
