// What the built-in environments share: sessions that open synchronously (exploration opens
// thousands) and a critic that can say why it blames no step.
import type { CriticVerdict, EnvSession, Environment, Step, Task } from './types.ts'

export type BuiltinEnvironment<S extends EnvSession> = Omit<Environment, 'diagnose'> & {
  openSync(task: Task): S
  /** The critic's verdict with its reason, also when it blames no step. */
  diagnose(task: Task, actions: string[], steps?: Step[]): CriticVerdict
}

/** Completes a built-in environment: `open` and `critic` from `openSync` and `diagnose`. */
export function builtinEnvironment<S extends EnvSession>(def: Omit<BuiltinEnvironment<S>, 'open' | 'critic'>): BuiltinEnvironment<S> {
  return {
    ...def,
    async open(task) {
      return def.openSync(task)
    },
    critic(task, actions, steps) {
      return def.diagnose(task, actions, steps).reflection
    },
  }
}
