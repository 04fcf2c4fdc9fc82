// The household environment (id `household`): ALFWorld-style houses and tasks, sessions, the
// planner as expert, the critic.
import type { CriticVerdict, Environment, Step, Task } from '../types.ts'
import { diagnoseHousehold } from './critic.ts'
import { plan } from './planner.ts'
import { householdRenderer } from './prompt.ts'
import { HouseholdSession } from './session.ts'
import { householdTasks, taskWorld } from './tasks.ts'

export type HouseholdEnvironment = Environment & {
  openSync(task: Task): HouseholdSession
  diagnose(task: Task, actions: string[], steps?: Step[]): CriticVerdict
}

export const household: HouseholdEnvironment = {
  id: 'household',
  label: 'Household (ALFWorld-style)',
  renderer: householdRenderer,

  tasks(split, count, seed, params) {
    return householdTasks(split, count, seed, params)
  },

  async open(task) {
    return this.openSync(task)
  },

  openSync(task) {
    const { world, maxSteps } = taskWorld(task)
    return new HouseholdSession(world, task.instruction, maxSteps)
  },

  async expert(task) {
    return plan(taskWorld(task).world)
  },

  critic(task: Task, actions: string[]) {
    return this.diagnose(task, actions).reflection
  },

  diagnose(task, actions) {
    const { world, maxSteps } = taskWorld(task)
    return diagnoseHousehold(world, actions, maxSteps)
  },
}
