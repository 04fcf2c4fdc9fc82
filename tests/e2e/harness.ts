// Starts a real `leafe serve` process on a fresh data directory and a headless system Chromium
// (playwright-core; `npx playwright install` cannot download browsers here).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'

export const artifactsDir = join(process.cwd(), 'test-artifacts')
export const CHROMIUM = process.env.LEAFE_CHROMIUM ?? '/usr/bin/chromium'

export type Served = { url: string; origin: string; token: string; dataDir: string; proc: ChildProcess; stop(): Promise<void> }

export async function startServe(extraArgs: string[] = [], dataDir = mkdtempSync(join(tmpdir(), 'leafe-e2e-'))): Promise<Served> {
  const proc = spawn(process.execPath, ['bin/leafe.js', 'serve', '--port', '0', '--data-dir', dataDir, ...extraArgs], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  proc.stderr!.on('data', (d) => (stderr += String(d)))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`serve did not print a URL in time.\nstdout: ${out}\nstderr: ${stderr}`)), 90_000)
    proc.stdout!.on('data', (d) => {
      out += String(d)
      const m = /Open (http:\/\/\S+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[1]!)
      }
    })
    proc.on('exit', (code) => reject(new Error(`serve exited (${code}) before printing a URL.\nstdout: ${out}\nstderr: ${stderr}`)))
  })
  const u = new URL(url)
  return {
    url,
    origin: u.origin,
    token: u.searchParams.get('token')!,
    dataDir,
    proc,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve()
        proc.once('exit', () => resolve())
        proc.kill('SIGTERM')
      }),
  }
}

/** Playwright's launch() gives every browser a fresh temporary user-data dir of its own. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(artifactsDir, { recursive: true })
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  })
}

/** Calls one API method over HTTP with the serve token; a refusal throws with the whole answer. */
export function apiCaller(served: Served) {
  return async (method: string, input: unknown) => {
    const res = await fetch(`${served.origin}/api/${method}`, { method: 'POST', headers: { 'x-leafe-token': served.token, 'content-type': 'application/json' }, body: JSON.stringify(input) })
    const body = (await res.json()) as { ok: boolean; result: any } // eslint-disable-line @typescript-eslint/no-explicit-any
    if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body)}`)
    return body.result
  }
}

/**
 * A fresh Chromium on the served workbench, loaded and connected; page errors and console errors
 * are collected in `problems` (an engine refusal the UI shows as a notice, a 4xx, is expected).
 */
export async function openWorkbench(served: Served, opts: { downloads?: boolean } = {}): Promise<{ browser: Browser; page: Page; problems: string[] }> {
  const problems: string[] = []
  const browser = await launchChromium()
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: opts.downloads ?? false })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`)
  })
  await page.goto(served.url)
  await page.getByTestId('engine-badge').getByText(/Engine \d/).waitFor()
  return { browser, page, problems }
}
