import { Settings } from '../api/contract.ts'
import { writeTransaction, type DB } from './store/db.ts'

export const defaultSettings: Settings = { tfBackend: 'auto', maxConcurrentJobs: 1 }

/** Settings live in the store as one JSON value per key; unknown or invalid keys fall back to defaults. */
export function readSettings(db: DB): Settings {
  const rows = db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[]
  const stored: Record<string, unknown> = {}
  for (const r of rows) {
    try {
      stored[r.key] = JSON.parse(r.value)
    } catch {
      // A value that is not JSON cannot have been written by us; the default serves instead.
    }
  }
  const merged = { ...defaultSettings }
  for (const key of Object.keys(defaultSettings) as (keyof Settings)[]) {
    const one = Settings.shape[key].safeParse(stored[key])
    if (one.success) (merged as Record<string, unknown>)[key] = one.data
  }
  return merged
}

export function writeSettings(db: DB, patch: Partial<Settings>): Settings {
  const upsert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
  writeTransaction(db, () => {
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) upsert.run(k, JSON.stringify(v))
  })()
  return readSettings(db)
}
