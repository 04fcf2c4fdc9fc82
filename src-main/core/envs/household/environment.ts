// The household environment (id `household`): ALFWorld-style houses and tasks, sessions, the
// planner as expert, the critic.
import { builtinEnvironment } from '../builtin.ts'
import { diagnoseHousehold } from './critic.ts'
import { plan } from './planner.ts'
import { householdRenderer } from './renderer.ts'
import { HouseholdSession } from './session.ts'
import { householdTasks, taskWorld } from './tasks.ts'

export const household = builtinEnvironment<HouseholdSession>({
  id: 'household',
  label: 'Household (ALFWorld-style)',
  renderer: householdRenderer,
  reflectionGuidance:
    'In this house, blame the first command that went to a place or took an object the task does not need, or that skipped a step the task requires (opening a closed receptacle, heating, cooling or cleaning the object before placing it). A command that does nothing is wasted, not fatal.',

  seededSplits: true,
  tasks(split, count, seed, params) {
    return householdTasks(split, count, seed, params)
  },

  openSync(task) {
    const { world, maxSteps } = taskWorld(task)
    return new HouseholdSession(world, task.instruction, maxSteps)
  },

  async expert(task) {
    return plan(taskWorld(task).world)
  },

  async expertFrom(task, actions) {
    const { world } = taskWorld(task)
    for (const a of actions) world.step(a)
    return plan(world)
  },

  diagnose(task, actions) {
    const { world, maxSteps } = taskWorld(task)
    return diagnoseHousehold(world, actions, maxSteps)
  },
})
