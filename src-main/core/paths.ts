import { homedir } from 'node:os'
import { existsSync, realpathSync } from 'node:fs'
import { dirname, join, relative, resolve, isAbsolute } from 'node:path'
import { fileURLToPath } from 'node:url'

export const APP_NAME = 'LEAFE Workbench'

/**
 * Where the workbench keeps its database and checkpoints when run outside Electron. It is the
 * same folder Electron's app.getPath('userData') gives, so the desktop app, `serve` and the CLI
 * share one store by default.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME)
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME)
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME)
}

/** --data-dir wins over LEAFE_DATA_DIR, which wins over the platform default (or Electron's userData). */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, fallback = defaultDataDir(env)): string {
  return resolve(flag ?? env.LEAFE_DATA_DIR ?? fallback)
}

export const dataPaths = (dataDir: string) => ({
  db: join(dataDir, 'leafe.sqlite'),
  checkpoints: join(dataDir, 'checkpoints'),
  exports: join(dataDir, 'exports'),
  tmp: join(dataDir, 'tmp'),
  /** Endpoint API keys encrypted by the OS keychain (desktop only; never in the database). */
  endpointKeys: join(dataDir, 'endpoint-keys.json'),
})

/**
 * A file or folder under the repository's resources/ (data the engine reads at run time), found
 * by walking up from this module: that is src-main/core/ when the engine runs from source (CLI,
 * `serve`, tests) and out/main/ in the electron-vite bundle; both lie below the folder that
 * holds resources/.
 */
export function resourcePath(...parts: string[]): string {
  const here = dirname(fileURLToPath(import.meta.url))
  for (let dir = here; ; dir = dirname(dir)) {
    const candidate = join(dir, 'resources', ...parts)
    if (existsSync(candidate)) return candidate
    if (dirname(dir) === dir) throw new Error(`Cannot find resources/${parts.join('/')} in any folder above ${here}.`)
  }
}

/** The real path of `path`, following links, through its nearest existing ancestor. */
function realPath(path: string): string {
  const full = resolve(path)
  if (existsSync(full)) return realpathSync(full)
  const parent = dirname(full)
  return parent === full ? full : join(realPath(parent), full.slice(parent.length))
}

/** Whether `path` (after links) lies inside `dir`: what an API caller may name as a file to read. */
export function isInsideDir(dir: string, path: string): boolean {
  const rel = relative(realPath(dir), realPath(path))
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
}
