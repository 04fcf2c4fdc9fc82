import type { Environment } from '../envs/types.ts'
import type { PolicySpec } from '../explore/config.ts'
import { randomPolicy } from './random.ts'
import type { Policy } from './types.ts'

export type PolicyHost = { dataDir: string }

/** Builds the policy a run's config names. */
export async function createPolicy(spec: PolicySpec, env: Environment, _host: PolicyHost): Promise<Policy> {
  switch (spec.kind) {
    case 'random':
      return randomPolicy(env.actionSpace)
    case 'checkpoint':
      throw new Error(`Checkpoint ${spec.id}: local checkpoints cannot act yet in this build.`)
  }
}
