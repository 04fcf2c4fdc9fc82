// The Environment contract. Every environment — built-in, code, remote — implements
// it; exploration, evaluation, training data and the UI only ever see these shapes.

export type Task = {
  env: string
  /** Unique within its task set; stable across runs (e.g. "sokoban-7x7-2b/s1234"). */
  id: string
  split: string
  seed: number
  instruction: string
  /** Whatever the environment needs to rebuild the task exactly (an imported level's text, …). */
  meta?: Record<string, unknown>
}

export type Step = {
  /** The state as text after this step (for the root: after reset). */
  observation: string
  /** What the environment says about the last action, in words an agent can act on. */
  feedback: string
  reward: number
  done: boolean
  success: boolean
  /** false when the action was not understood or not allowed; the state did not change. */
  valid: boolean
}

/** One live episode. */
export interface EnvSession {
  reset(): Promise<Step>
  step(action: string): Promise<Step>
  /** restore(snapshot()) must give an identical state. */
  snapshot?(): unknown
  restore?(snapshot: unknown): Promise<void>
  /** The admissible actions in the current state, where the environment knows them. */
  validActions?(): string[] | undefined
  close(): Promise<void>
}

/** (tau, e): the step where the trajectory went wrong (1-based: a_tau is the faulty action) and what to do instead. */
export type Reflection = {
  rollbackStep: number
  experience: string
  /** Actions not to take again at rollbackStep. */
  avoid?: string[]
  source: 'self' | 'llm' | 'critic' | 'human'
  /** The same diagnosis as fields, for the compact prompt a small model reads (never parsed back out of the prose). */
  code?: ExperienceCode
}

/**
 * An experience as a small model reads it: the blamed action a_tau, where it was taken (in the
 * environment's own terms: Sokoban's player cell, the household room and spot) and, when the
 * reflector knows one, the fix (the action a re-plan at tau takes first). Without `fix` it is a
 * diagnosis only — what a reflector that is not an oracle can say.
 */
export type ExperienceCode = { blamed: string; place: string; fix?: string }

/** A critic's whole answer: the reflection, or null with the reason no step is to blame. */
export type CriticVerdict = { reflection: Reflection | null; reason: string }

/** What a policy sees when it acts: the task, the history so far, and optionally an experience. */
export type Context = {
  task: Task
  /** o_0, the reset step. */
  initial: Step
  /** (a_1, step_1), …, (a_t, step_t). */
  history: { action: string; step: Step }[]
  /** LEAFE's e, or IR's accumulated reflections; absent when the policy acts unaided. */
  experience?: string
  /**
   * e as a code, for the compact form: present only where it applies — the first action of a
   * branch at tau, or (IR) a state an earlier attempt was blamed at.
   */
  code?: ExperienceCode
  /** Actions a reflection said not to repeat here (used as a mask by the local model). */
  avoid?: string[]
  validActions?: string[]
}

export type PromptForm = 'compact' | 'readable'

/**
 * One renderer per environment turns a Context into the text a policy reads. Inference,
 * reflection and training data all go through it, so a model is trained on exactly the text it
 * later sees. `compact` is for small local models (attention cost grows with the square of the
 * prompt); `readable` for served LLMs and for people. The UI draws states from the environment,
 * not from either form.
 */
export interface PromptRenderer {
  /** The system message for chat models (readable form). */
  system(task: Task): string
  render(ctx: Context, form: PromptForm): string
  /** The canonical text of an action in a form (e.g. Sokoban: "up" readable, "u" compact). */
  formatAction(action: string, form: PromptForm): string
  /** Reads an action out of what a model wrote; returns the text unchanged when it cannot. */
  parseAction(text: string, form: PromptForm): string
}

/** What an environment can do on this machine right now, for status lines in the UI and CLI. */
export type EnvStatus = {
  available: boolean
  /** One or two plain sentences (e.g. the code sandbox's isolation level and what it blocks). */
  summary: string
  details?: Record<string, unknown>
}

export interface Environment {
  id: string
  /** A human name for menus. */
  label: string
  /** Deterministic: the same (split, count, seed) always gives the same tasks. */
  tasks(split: string, count: number, seed: number, params?: Record<string, unknown>): Task[]
  /**
   * True where `tasks` draws from splits.ts's seed ranges (`seed` is an offset into the split's
   * range): then each experiment seed and training role gets a disjoint slice of the train range.
   * Elsewhere (fixed problem lists, remote servers) `seed` only shuffles a fixed split.
   */
  seededSplits?: boolean
  open(task: Task): Promise<EnvSession>
  /** A solver's or planner's demonstration (actions), or null when it finds none. */
  expert?(task: Task): Promise<string[] | null>
  /**
   * The expert's plan from the state `actions` lead to (the demonstrations re-plan after an
   * injected mistake with it); null when none finishes the task from there.
   */
  expertFrom?(task: Task, actions: readonly string[]): Promise<string[] | null>
  /** For a failed trajectory: where it became lost and what to do instead; null when no step is to blame. */
  critic?(task: Task, actions: string[], steps: Step[]): Promise<Reflection | null> | Reflection | null
  /** The critic with its reasons: also says why, when it blames no step (e.g. ran out of steps on a still-solvable level). */
  diagnose?(task: Task, actions: string[], steps: Step[]): Promise<CriticVerdict> | CriticVerdict
  /** Fixed action vocabulary where there is one (Sokoban: four moves); enables masks. */
  actionSpace?: string[]
  renderer: PromptRenderer
  /** What an LLM reflector should know about this world's mistakes; part of its default template. */
  reflectionGuidance?: string
  /** Readiness on this machine (language runtimes, sandbox isolation); absent when always ready. */
  status?(): Promise<EnvStatus>
}
