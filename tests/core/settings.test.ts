import { describe, expect, it } from 'vitest'
import { defaultSettings, readSettings, writeSettings } from '../../src-main/core/settings.ts'
import { openStore } from '../../src-main/core/store/db.ts'

describe('settings', () => {
  it('round-trips and falls back to defaults for values it cannot use', () => {
    const { db } = openStore(':memory:')
    expect(readSettings(db)).toEqual(defaultSettings)
    expect(writeSettings(db, { tfBackend: 'cpu' })).toEqual({ ...defaultSettings, tfBackend: 'cpu' })
    db.prepare(`INSERT OR REPLACE INTO settings (key, value) VALUES ('maxConcurrentJobs', '"lots"'), ('tfBackend', 'not json')`).run()
    expect(readSettings(db)).toEqual(defaultSettings)
  })
})
