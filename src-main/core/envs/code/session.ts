// One coding episode: each step is a whole program, graded against the visible and hidden tests;
// the state is the submission history, so a snapshot is that history and rollback picks a turn.
import type { EnvSession, Step } from '../types.ts'
import { grade } from './grade.ts'
import { extractProgram } from './renderer.ts'
import { DEFAULT_MAX_TURNS, type CodeTaskMeta } from './task.ts'

type State = { steps: Step[] }

export class CodeSession implements EnvSession {
  private state: State = { steps: [] }
  private readonly maxTurns: number

  constructor(private readonly meta: CodeTaskMeta) {
    this.maxTurns = meta.maxTurns ?? DEFAULT_MAX_TURNS
  }

  private get turn(): number {
    return this.state.steps.length
  }

  private get done(): boolean {
    const last = this.state.steps.at(-1)
    return Boolean(last?.done)
  }

  async reset(): Promise<Step> {
    this.state = { steps: [] }
    return {
      observation: `No submissions yet: ${this.maxTurns} submissions allowed.`,
      feedback: '',
      reward: 0,
      done: false,
      success: false,
      valid: true,
    }
  }

  async step(action: string): Promise<Step> {
    if (this.done) {
      const last = this.state.steps.at(-1)!
      return { ...last, feedback: 'The episode is over: no more submissions are accepted.', reward: 0, valid: false }
    }
    const program = extractProgram(action, this.meta.lang)
    const turn = this.turn + 1
    const outOfTurns = turn >= this.maxTurns
    let step: Step
    if (!program.trim()) {
      step = {
        observation: `Submission ${turn} of ${this.maxTurns}: no program.`,
        feedback: 'No program was found in the answer: reply with the complete program in one code block.',
        reward: 0,
        done: outOfTurns,
        success: false,
        valid: false,
      }
    } else {
      const g = await grade(this.meta, program)
      const done = g.accepted || outOfTurns
      step = {
        observation: `Submission ${turn} of ${this.maxTurns}: ${g.summary}.${done && !g.accepted ? ' No submissions left.' : ''}`,
        feedback: g.feedback,
        reward: g.accepted ? 1 : 0,
        done,
        success: g.accepted,
        valid: true,
      }
    }
    this.state.steps.push(step)
    return step
  }

  snapshot(): unknown {
    return structuredClone(this.state)
  }

  async restore(snapshot: unknown): Promise<void> {
    const s = snapshot as State
    if (!s || !Array.isArray(s.steps)) throw new Error('Not a coding-session snapshot.')
    this.state = structuredClone(s)
  }

  async close(): Promise<void> {}
}
