import { EngineError } from '../errors.ts'
import { codeEnvironment } from './code/environment.ts'
import { listDslEnvironment } from './listdsl/environment.ts'
import { household } from './household/environment.ts'
import { sokoban } from './sokoban/environment.ts'
import type { Environment } from './types.ts'

/**
 * Every environment the engine can open, by id. Built-in environments add themselves to
 * `builtinEnvironments`; others (remote servers, plugins, tests) call registerEnvironment.
 */
const builtinEnvironments: Environment[] = [sokoban, household, codeEnvironment, listDslEnvironment]

const registered = new Map<string, Environment>(builtinEnvironments.map((e) => [e.id, e]))

export function registerEnvironment(env: Environment): void {
  registered.set(env.id, env)
}

export function getEnvironment(id: string): Environment {
  const env = registered.get(id)
  if (!env) {
    throw new EngineError('bad_request', `There is no environment "${id}" (known: ${[...registered.keys()].join(', ') || 'none'}).`)
  }
  return env
}

/** Whether a registered environment draws its tasks from splits.ts's seed ranges (remote servers never do). */
export const hasSeededSplits = (id: string): boolean => registered.get(id)?.seededSplits === true

export function listEnvironments(): Environment[] {
  return [...registered.values()]
}
