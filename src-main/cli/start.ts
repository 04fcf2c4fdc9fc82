// `npm start`: opens the desktop window where Electron can run; where it cannot (no display, or
// the Electron binary cannot be obtained) it says so in one line and starts `serve` instead.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ensureBuilt, projectRoot } from './build-ui.ts'
import { main } from './main.ts'

function hasDisplay(): boolean {
  if (process.platform !== 'linux') return true
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY)
}

/** The Electron executable, fetching it once if it is missing; a reason string when it cannot be had. */
function electronBinary(): { path: string } | { reason: string } {
  const pkgDir = join(projectRoot, 'node_modules', 'electron')
  if (!existsSync(pkgDir)) return { reason: 'the electron package is not installed' }
  const located = () => {
    const pathFile = join(pkgDir, 'path.txt')
    if (!existsSync(pathFile)) return undefined
    const bin = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim())
    return existsSync(bin) ? bin : undefined
  }
  let bin = located()
  if (!bin) {
    // Electron ≥ 45 downloads its binary on first use; offline this fails, and we say so.
    const r = spawnSync(process.execPath, [join(pkgDir, 'install.js')], { stdio: 'pipe', timeout: 120_000, encoding: 'utf8' })
    bin = located()
    if (!bin) {
      const why = `${r.stderr ?? ''}\n${r.stdout ?? ''}`.split('\n').map((l) => l.trim()).find(Boolean) ?? `installer exit ${r.status}`
      return { reason: `the Electron binary could not be downloaded (${why.slice(0, 160)})` }
    }
  }
  return { path: bin }
}

export async function start(argv: string[]): Promise<number> {
  const serveArgs = argv
  if (!hasDisplay()) {
    console.log('No display (DISPLAY/WAYLAND_DISPLAY unset): starting serve mode instead.')
    return main(['serve', ...serveArgs])
  }
  const electron = electronBinary()
  if ('reason' in electron) {
    console.log(`Electron cannot run here (${electron.reason}): starting serve mode instead.`)
    return main(['serve', ...serveArgs])
  }
  ensureBuilt()
  const child = spawn(electron.path, [join(projectRoot, 'out', 'main', 'index.js'), ...argv], { stdio: 'inherit' })
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)))
}
