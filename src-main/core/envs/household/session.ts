// One live household episode: the step limit, reward 1 on success (as ALFWorld), exact snapshots.
import type { EnvSession, Step } from '../types.ts'
import { plan } from './planner.ts'
import { World, type WorldSnapshot } from './world.ts'

export type HouseholdSnapshot = { world: WorldSnapshot; steps: number; done: boolean; success: boolean }

export class HouseholdSession implements EnvSession {
  private readonly initial: WorldSnapshot
  private steps = 0
  private done = false
  private success = false

  constructor(
    readonly world: World,
    readonly task: string,
    readonly maxSteps: number,
  ) {
    this.initial = world.snapshot()
  }

  async reset(): Promise<Step> {
    return this.resetSync()
  }

  resetSync(): Step {
    this.world.restore(this.initial)
    this.steps = 0
    this.done = false
    this.success = false
    return { observation: this.world.describe(), feedback: this.world.intro(this.task), reward: 0, done: false, success: false, valid: true }
  }

  async step(action: string): Promise<Step> {
    return this.stepSync(action)
  }

  stepSync(action: string): Step {
    if (this.done) {
      return this.result(`The episode is over (${this.success ? 'the task is done' : 'no steps are left'}); nothing happens. Reset to play again.`, false)
    }
    this.steps++
    const outcome = this.world.step(action)
    let feedback = outcome.feedback
    if (outcome.ok && this.world.isGoal()) {
      this.success = true
      this.done = true
      feedback += ' You have completed the task!'
    } else if (this.steps >= this.maxSteps) {
      this.done = true
      feedback += ` Out of steps: the limit of ${this.maxSteps} is reached.`
    }
    return this.result(feedback, outcome.ok)
  }

  private result(feedback: string, valid: boolean): Step {
    return { observation: this.world.describe(), feedback, reward: this.success && valid ? 1 : 0, done: this.done, success: this.success, valid }
  }

  get stepsTaken(): number {
    return this.steps
  }

  validActions(): string[] {
    return this.world.admissible()
  }

  /** The planner's next command from here (null when it finds none). */
  hint(): string | null {
    return plan(this.world)?.[0] ?? null
  }

  snapshot(): HouseholdSnapshot {
    return { world: this.world.snapshot(), steps: this.steps, done: this.done, success: this.success }
  }

  async restore(s: unknown): Promise<void> {
    const snap = s as HouseholdSnapshot
    if (!snap || typeof snap !== 'object' || !snap.world) throw new Error('Not a household snapshot.')
    this.world.restore(snap.world)
    this.steps = snap.steps
    this.done = snap.done
    this.success = snap.success
  }

  async close(): Promise<void> {}
}
