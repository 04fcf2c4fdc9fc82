// One live Sokoban episode over the Board core: the step limit, rewards (gym-sokoban's: −0.1 a
// move, +1 box onto a goal, −1 off, +10 solved), feedback text, exact snapshots.
import type { EnvSession, Step } from '../types.ts'
import { parseDirection, VALID_ACTIONS_TEXT } from './actions.ts'
import { Board, DEADLOCK, OFF_GOAL, ONTO_GOAL, SOLVED, type BoardSnapshot } from './board.ts'
import { moveFeedback } from './feedback.ts'
import { DIRECTIONS, type Level } from './grid.ts'
import { Solver } from './solver.ts'
import { directionName } from './actions.ts'

export type SokobanSettings = { maxSteps: number; endOnDeadlock: boolean }

export type SokobanSnapshot = { board: BoardSnapshot; steps: number; done: boolean; success: boolean; lostAt: number }

const STEP_PENALTY = -0.1

export class SokobanSession implements EnvSession {
  private readonly board: Board
  private readonly initial: BoardSnapshot
  private steps = 0
  private done = false
  private success = false
  /** The step whose push lost the level (0: not lost). */
  private lostAt = 0

  constructor(
    readonly level: Level,
    readonly settings: SokobanSettings,
  ) {
    this.board = new Board(level)
    this.initial = this.board.snapshot()
  }

  /** The live board, for callers that draw it (CLI) or inspect it (tests). */
  get state(): Board {
    return this.board
  }

  get stepsTaken(): number {
    return this.steps
  }

  async reset(): Promise<Step> {
    return this.resetSync()
  }

  resetSync(): Step {
    this.board.restore(this.initial)
    this.steps = 0
    this.done = false
    this.success = false
    this.lostAt = 0
    return {
      observation: this.board.draw(),
      feedback: `A new level: ${this.board.boxCount} box${this.board.boxCount === 1 ? '' : 'es'}, ${this.settings.maxSteps} moves.`,
      reward: 0,
      done: false,
      success: false,
      valid: true,
    }
  }

  async step(action: string): Promise<Step> {
    return this.stepSync(action)
  }

  stepSync(action: string): Step {
    if (this.done) {
      const why = this.success ? 'the level is solved' : this.lostAt && this.settings.endOnDeadlock ? 'the level was lost' : 'no moves are left'
      return this.result(`The episode is over (${why}); nothing moved. Reset to play again.`, 0, false)
    }
    this.steps++
    const d = parseDirection(action)
    let feedback: string
    let reward = STEP_PENALTY
    let valid = true
    if (d === -1) {
      const shown = action.length > 40 ? `${action.slice(0, 40)}…` : action
      feedback = `"${shown}" is not an action. Valid actions: ${VALID_ACTIONS_TEXT}. Nothing moved.`
      valid = false
    } else {
      const r = this.board.step(d)
      feedback = moveFeedback(this.board, d, r)
      if (r & ONTO_GOAL) reward += 1
      if (r & OFF_GOAL) reward -= 1
      if (r & SOLVED) {
        reward += 10
        this.success = true
        this.done = true
      }
      if (r & DEADLOCK) this.lostAt = this.steps
      else if (this.lostAt && !this.success) feedback += ` The level is lost since step ${this.lostAt}.`
      if (this.lostAt && this.settings.endOnDeadlock) {
        this.done = true
        feedback += ' The episode ends here.'
      }
    }
    if (!this.done && this.steps >= this.settings.maxSteps) {
      this.done = true
      feedback += ` Out of moves: the limit of ${this.settings.maxSteps} is reached.`
    }
    return this.result(feedback, reward, valid)
  }

  private result(feedback: string, reward: number, valid: boolean): Step {
    return { observation: this.board.draw(), feedback, reward, done: this.done, success: this.success, valid }
  }

  snapshot(): SokobanSnapshot {
    return { board: this.board.snapshot(), steps: this.steps, done: this.done, success: this.success, lostAt: this.lostAt }
  }

  async restore(s: unknown): Promise<void> {
    const snap = s as SokobanSnapshot
    if (!snap || typeof snap !== 'object' || !snap.board) throw new Error('Not a Sokoban snapshot.')
    this.board.restore(snap.board)
    this.steps = snap.steps
    this.done = snap.done
    this.success = snap.success
    this.lostAt = snap.lostAt
  }

  /** The solver's next move from here (null when the level cannot be solved from here). */
  hint(): string | null {
    const b = this.board
    const r = new Solver(b.layout).solve(b.boxes(), b.player, { mode: 'moves' })
    return r.status === 'solved' && r.actions.length ? directionName(r.actions[0]!) : null
  }

  validActions(): string[] {
    return [...DIRECTIONS]
  }

  async close(): Promise<void> {}
}
