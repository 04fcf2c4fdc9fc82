import { describe, expect, it } from 'vitest'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { defaultDataDir, resolveDataDir, resourcePath } from '../../src-main/core/paths.ts'

describe('data directory', () => {
  it('prefers --data-dir, then LEAFE_DATA_DIR, then the platform default', () => {
    expect(resolveDataDir('/a', { LEAFE_DATA_DIR: '/b' })).toBe('/a')
    expect(resolveDataDir(undefined, { LEAFE_DATA_DIR: '/b' })).toBe('/b')
    expect(resolveDataDir(undefined, {}, '/electron/userData')).toBe('/electron/userData')
  })
  it("matches Electron's userData folder on each platform", () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux')).toBe('/x/LEAFE Workbench')
    expect(defaultDataDir({ APPDATA: 'C:/Users/u/AppData/Roaming' }, 'win32')).toMatch(/Roaming.LEAFE Workbench$/)
    expect(defaultDataDir({}, 'darwin')).toMatch(/Library\/Application Support\/LEAFE Workbench$/)
  })
})

describe('resources', () => {
  it("finds the repository's resources/ from the engine's source folder", () => {
    expect(resourcePath('code-problems')).toBe(join(resolve(import.meta.dirname, '../..'), 'resources', 'code-problems'))
    expect(existsSync(resourcePath('code-problems', 'problems.json'))).toBe(true)
  })
  it('names what it could not find', () => {
    expect(() => resourcePath('no-such-folder')).toThrow(/^Cannot find resources\/no-such-folder in any folder above .*src-main.core\.$/)
  })
})
