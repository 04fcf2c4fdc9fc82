import { EngineError } from '../errors.ts'
import type { DB } from '../store/db.ts'
import { listEnvironments } from './registry.ts'
import { remoteEnvironment } from './remote/environment.ts'
import { findRemoteEnv, listRemoteEnvs } from './remote/store.ts'
import type { Environment } from './types.ts'

/** The environment a run names: a registered one (built-in, plugin, test), else a stored remote server. */
export function resolveEnvironment(db: DB, id: string): Environment {
  const registered = listEnvironments().find((e) => e.id === id)
  if (registered) return registered
  const remote = findRemoteEnv(db, id)
  if (remote) return remoteEnvironment(remote)
  const known = [...listEnvironments().map((e) => e.id), ...listRemoteEnvs(db).map((r) => `${r.name} (remote)`)]
  throw new EngineError('bad_request', `There is no environment "${id}" (known: ${known.join(', ') || 'none'}).`)
}
