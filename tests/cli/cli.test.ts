import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../fixtures/tmp.ts'

const leafe = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, ['bin/leafe.js', ...args], { encoding: 'utf8', env, timeout: 60_000 })

describe('leafe CLI', () => {
  it('status reports the data dir, schema, backend and why, and jobs', () => {
    const dir = tempDir()
    const r = leafe(['status', '--json', '--data-dir', dir])
    expect(r.status).toBe(0)
    const s = JSON.parse(r.stdout)
    expect(s.dataDir).toBe(dir)
    expect(s.db).toMatchObject({ schemaVersion: s.db.latestVersion, integrity: 'ok', walMode: true })
    expect(s.tf.id).toMatch(/^(node-gpu|webgpu|node|wasm|cpu)$/)
    expect(s.tf.reason.length).toBeGreaterThan(0)
    expect(s.jobs).toEqual({ queued: 0, running: 0, interrupted: 0 })
    const text = leafe(['status', '--data-dir', dir])
    expect(text.stdout).toMatch(/tf backend {3}\S+ — /)
  })

  it('LEAFE_DATA_DIR chooses the data dir; a forced backend is reported as forced', () => {
    const dir = tempDir()
    const r = leafe(['status', '--json'], { ...process.env, LEAFE_DATA_DIR: dir, LEAFE_TF_BACKEND: 'cpu' })
    const s = JSON.parse(r.stdout)
    expect(s.dataDir).toBe(dir)
    expect(s.tf).toMatchObject({ id: 'cpu', reason: 'forced by setting (cpu)' })
  })

  it('says plainly what was wrong on bad usage', () => {
    expect(leafe(['frobnicate']).stderr).toMatch(/unknown command "frobnicate"/)
    expect(leafe(['frobnicate']).status).toBe(2)
    const r = leafe(['serve', '--port', 'abc', '--data-dir', tempDir()])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/--port must be a whole number/)
    expect(leafe(['status', '--bogus']).stderr).toMatch(/Unknown option '--bogus'/)
  })

  async function startAndOpen(env: NodeJS.ProcessEnv): Promise<string> {
    const child = spawn(process.execPath, ['bin/start.js', '--port', '0', '--data-dir', tempDir()], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL: ${out}`)), 90_000)
      child.stdout!.on('data', (d) => {
        out += String(d)
        const m = /Open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out)
        if (m) {
          clearTimeout(timer)
          resolve(m[1]!)
        }
      })
    })
    const page = await fetch(url)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<div id="app">')
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
    return out.split('\n')[0]!
  }

  it('npm start without a display says so in one line and starts serve', async () => {
    const env = { ...process.env }
    delete env.DISPLAY
    delete env.WAYLAND_DISPLAY
    expect(await startAndOpen(env)).toBe('No display (DISPLAY/WAYLAND_DISPLAY unset): starting serve mode instead.')
  })

  // Where the Electron binary was downloaded (a machine with internet), this path cannot be shown.
  it.skipIf(existsSync('node_modules/electron/dist'))('npm start where Electron cannot be downloaded says why and starts serve', async () => {
    const line = await startAndOpen({ ...process.env, DISPLAY: ':99' })
    expect(line).toMatch(/^Electron cannot run here \(the Electron binary could not be downloaded \(.+\)\): starting serve mode instead\.$/)
  })
})
