// An episode in which every step submits a whole solution (a program) and is judged on its own:
// the coding environments. The state is the submission history, so a snapshot is that history
// and rolling back to step tau means resubmitting from turn tau.
import type { EnvSession, Step } from './types.ts'

/** The paper's CodeContests setting: at most four submissions per episode. */
export const DEFAULT_MAX_TURNS = 4

export type Verdict = {
  /** false when the answer held no solution at all or could not be read (it still uses a turn). */
  valid: boolean
  accepted: boolean
  /** A few words for the observation: "2/3 visible pass", "does not compile". */
  summary: string
  feedback: string
}

type State = { steps: Step[] }

export class SubmissionSession implements EnvSession {
  private state: State = { steps: [] }

  constructor(
    private readonly judge: (action: string) => Promise<Verdict> | Verdict,
    private readonly maxTurns: number,
  ) {}

  async reset(): Promise<Step> {
    this.state = { steps: [] }
    return { observation: `No submissions yet: ${this.maxTurns} allowed.`, feedback: '', reward: 0, done: false, success: false, valid: true }
  }

  async step(action: string): Promise<Step> {
    const last = this.state.steps.at(-1)
    if (last?.done) return { ...last, feedback: 'The episode is over: no more submissions are accepted.', reward: 0, valid: false }
    const v = await this.judge(action)
    const turn = this.state.steps.length + 1
    const done = v.accepted || turn >= this.maxTurns
    const step: Step = {
      observation: `Submission ${turn} of ${this.maxTurns}: ${v.summary}.${done && !v.accepted ? ' No submissions left.' : ''}`,
      feedback: v.feedback,
      reward: v.accepted ? 1 : 0,
      done,
      success: v.accepted,
      valid: v.valid,
    }
    this.state.steps.push(step)
    return step
  }

  snapshot(): unknown {
    return structuredClone(this.state)
  }

  async restore(snapshot: unknown): Promise<void> {
    const s = snapshot as State
    if (!s || !Array.isArray(s.steps)) throw new Error('Not a snapshot of a submission session.')
    this.state = structuredClone(s)
  }

  async close(): Promise<void> {}
}
