import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url))
export const rendererDir = join(projectRoot, 'out', 'renderer')

function newest(dir: string): number {
  let t = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}

/**
 * Builds main, preload and renderer with electron-vite when the build is missing or older than
 * the sources, so `serve` and `npm start` never show a stale UI.
 */
export function ensureBuilt(log: (m: string) => void = (m) => console.error(m)): void {
  const marker = join(rendererDir, 'index.html')
  const sources = ['src-renderer', 'src-main', 'src-preload'].map((d) => join(projectRoot, d)).filter(existsSync)
  if (existsSync(marker) && statSync(marker).mtimeMs >= Math.max(...sources.map(newest))) return
  log('Building the UI (electron-vite build)…')
  const bin = join(projectRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  const r = spawnSync(process.execPath, [bin, 'build'], { cwd: projectRoot, stdio: ['ignore', 'ignore', 'inherit'] })
  if (r.status !== 0) throw new Error(`electron-vite build failed (exit ${r.status ?? r.signal}).`)
}
