// Endpoints in the store, without keys (keys.ts says where keys come from).
import { EngineError, notFound } from '../errors.ts'
import { now, type DB } from '../store/db.ts'
import { KEY_ENV_PATTERN } from '../../shared/endpoint-config.ts'
import { EndpointInput, EndpointSettings, ProbeResult, type EndpointRecord } from '../../shared/endpoint-config.ts'

type Row = { id: number; name: string; base_url: string; model: string; mode: 'chat' | 'completion'; config: string; probe: string | null }

const COLUMNS = 'id, name, base_url, model, mode, config, probe'

/** A keyEnv saved before keyEnv had to name a LEAFE_ENDPOINT_KEY_ variable is dropped, not obeyed. */
function storedSettings(config: string): EndpointSettings {
  const raw = JSON.parse(config) as { keyEnv?: unknown }
  if (typeof raw.keyEnv === 'string' && !KEY_ENV_PATTERN.test(raw.keyEnv)) delete raw.keyEnv
  return EndpointSettings.parse(raw)
}

const toRecord = (r: Row): EndpointRecord & { probe: ProbeResult | null } => ({
  id: r.id,
  name: r.name,
  baseUrl: r.base_url,
  model: r.model,
  mode: r.mode,
  settings: storedSettings(r.config),
  probe: r.probe ? ProbeResult.parse(JSON.parse(r.probe)) : null,
})

export type StoredEndpoint = ReturnType<typeof toRecord>

export function listEndpoints(db: DB): StoredEndpoint[] {
  return (db.prepare(`SELECT ${COLUMNS} FROM endpoints ORDER BY name`).all() as Row[]).map(toRecord)
}

export function findEndpoint(db: DB, name: string): StoredEndpoint | undefined {
  const row = db.prepare(`SELECT ${COLUMNS} FROM endpoints WHERE name = ?`).get(name) as Row | undefined
  return row && toRecord(row)
}

export function getEndpoint(db: DB, name: string): StoredEndpoint {
  const e = findEndpoint(db, name)
  if (!e) throw notFound(`Endpoint "${name}" (add it in Settings or with \`leafe endpoint add\`)`)
  return e
}

/** Creates or updates the endpoint of that name. A changed URL, model or mode makes the last probe stale, so it is dropped. */
export function saveEndpoint(db: DB, input: EndpointInput): StoredEndpoint {
  const v = EndpointInput.parse(input)
  const t = now()
  db.prepare(
    `INSERT INTO endpoints (name, base_url, model, mode, config, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET
       probe = CASE WHEN base_url = excluded.base_url AND model = excluded.model AND mode = excluded.mode THEN probe END,
       probed_at = CASE WHEN base_url = excluded.base_url AND model = excluded.model AND mode = excluded.mode THEN probed_at END,
       base_url = excluded.base_url, model = excluded.model, mode = excluded.mode, config = excluded.config, updated_at = excluded.updated_at`,
  ).run(v.name, v.baseUrl, v.model, v.mode, JSON.stringify(v.settings), t, t)
  return getEndpoint(db, v.name)
}

export function saveProbe(db: DB, name: string, probe: ProbeResult): void {
  db.prepare('UPDATE endpoints SET probe = ?, probed_at = ? WHERE name = ?').run(JSON.stringify(probe), probe.at, name)
}

/** Refused while served checkpoints name the endpoint: their evaluations would lose their model. */
export function removeEndpoint(db: DB, name: string): void {
  const users = db
    .prepare(`SELECT id, name FROM checkpoints WHERE kind = 'endpoint' AND json_extract(config, '$.endpoint') = ?`)
    .all(name) as { id: number; name: string }[]
  if (users.length) {
    throw new EngineError('conflict', `Endpoint "${name}" serves checkpoint${users.length > 1 ? 's' : ''} ${users.map((u) => `${u.id} (${u.name})`).join(', ')}; it stays while they do.`)
  }
  const r = db.prepare('DELETE FROM endpoints WHERE name = ?').run(name)
  if (r.changes === 0) throw notFound(`Endpoint "${name}"`)
}
