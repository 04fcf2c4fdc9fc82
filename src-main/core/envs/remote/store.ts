// Remote environments in the store: saved under a name that runs use as their environment id.
import { EngineError, notFound } from '../../errors.ts'
import { now, type DB } from '../../store/db.ts'
import { listEnvironments } from '../registry.ts'
import { RemoteEnvInput, type RemoteEnvRecord } from '../../../shared/remote-env-config.ts'
import { builtinProfiles, RemoteProfile } from '../../../shared/remote-profile.ts'

type Row = { id: number; name: string; base_url: string; profile: string; splits: string; config: string }

const toRecord = (r: Row): RemoteEnvRecord => {
  const config = JSON.parse(r.config) as { maxSteps: number; timeoutS: number }
  return { id: r.id, name: r.name, baseUrl: r.base_url, profile: RemoteProfile.parse(JSON.parse(r.profile)), splits: JSON.parse(r.splits), ...config }
}

export function listRemoteEnvs(db: DB): RemoteEnvRecord[] {
  return (db.prepare('SELECT id, name, base_url, profile, splits, config FROM remote_envs ORDER BY name').all() as Row[]).map(toRecord)
}

export function findRemoteEnv(db: DB, name: string): RemoteEnvRecord | undefined {
  const row = db.prepare('SELECT id, name, base_url, profile, splits, config FROM remote_envs WHERE name = ?').get(name) as Row | undefined
  return row && toRecord(row)
}

/** Creates or replaces the remote environment of that name; a built-in environment's id cannot be taken. */
export function saveRemoteEnv(db: DB, input: RemoteEnvInput): RemoteEnvRecord {
  const v = RemoteEnvInput.parse(input)
  if (listEnvironments().some((e) => e.id === v.name)) throw new EngineError('conflict', `"${v.name}" is a built-in environment; choose another name for the remote one.`)
  let profile: RemoteProfile
  if (typeof v.profile === 'string') {
    const known = builtinProfiles[v.profile]
    if (!known) throw new EngineError('bad_request', `There is no built-in profile "${v.profile}" (known: ${Object.keys(builtinProfiles).join(', ')}); pass a profile file for other servers.`)
    profile = known
  } else profile = v.profile
  const t = now()
  db.prepare(
    `INSERT INTO remote_envs (name, base_url, profile, splits, config, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET base_url = excluded.base_url, profile = excluded.profile, splits = excluded.splits, config = excluded.config, updated_at = excluded.updated_at`,
  ).run(v.name, v.baseUrl, JSON.stringify(profile), JSON.stringify(v.splits), JSON.stringify({ maxSteps: v.maxSteps, timeoutS: v.timeoutS }), t, t)
  return findRemoteEnv(db, v.name)!
}

export function removeRemoteEnv(db: DB, name: string): void {
  const r = db.prepare('DELETE FROM remote_envs WHERE name = ?').run(name)
  if (r.changes === 0) throw notFound(`Remote environment "${name}"`)
}
