import type { Environment } from '../envs/types.ts'
import type { PolicySpec } from '../explore/config.ts'
import { backendPreference } from '../model/backend.ts'
import { getCheckpoint } from '../model/checkpoint.ts'
import { dataPaths } from '../paths.ts'
import { readSettings } from '../settings.ts'
import { openStore } from '../store/db.ts'
import { randomPolicy } from './random.ts'
import type { Policy } from './types.ts'

export type PolicyHost = { dataDir: string; threads?: number }

/** Builds the policy a run's config names. */
export async function createPolicy(spec: PolicySpec, env: Environment, host: PolicyHost): Promise<Policy> {
  switch (spec.kind) {
    case 'random':
      return randomPolicy(env.actionSpace)
    case 'checkpoint': {
      const { db } = openStore(dataPaths(host.dataDir).db, { migrate: false, check: false })
      try {
        const row = getCheckpoint(db, host.dataDir, spec.id)
        const backend = backendPreference(undefined, readSettings(db).tfBackend)
        // Loaded on demand: TF.js takes a second to load, and random play does not need it.
        const { LocalPolicy } = await import('./local.ts')
        return await LocalPolicy.open(`checkpoint:${spec.id}`, env, { checkpointPath: row.path }, { backend, threads: host.threads })
      } finally {
        db.close()
      }
    }
  }
}
