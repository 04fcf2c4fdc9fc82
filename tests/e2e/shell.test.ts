import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dataPaths } from '../../src-main/core/paths.ts'
import { openStore } from '../../src-main/core/store/db.ts'
import { artifactsDir, launchChromium, startServe, type Served } from './harness.ts'

describe('the UI in Chromium against serve', () => {
  let served: Served
  let browser: Browser

  beforeAll(async () => {
    served = await startServe()
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await served?.stop()
  })

  it('refuses the page without the token', async () => {
    const page = await browser.newPage()
    const res = await page.goto(served.origin + '/')
    expect(res?.status()).toBe(401)
    expect(await page.textContent('body')).toContain('401 Unauthorized')
    await page.close()
  })

  it('loads, visits every view, and shows the engine status', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`)
    })
    await page.goto(served.url)
    // The token leaves the address bar once the app has it.
    await expect.poll(() => new URL(page.url()).searchParams.has('token')).toBe(false)
    await page.getByTestId('engine-badge').getByText(/Engine \d/).waitFor()

    for (const [label, heading] of [
      ['Episodes', 'Episodes'],
      ['Tree', 'Branch tree'],
      ['Corpus', 'Corpus'],
      ['Train', 'Train'],
      ['Evaluate', 'Evaluate'],
      ['Settings', 'Settings'],
    ] as const) {
      await page.getByRole('link', { name: new RegExp(`^${label}`) }).click()
      await page.getByRole('heading', { level: 1, name: heading }).waitFor()
      await page.screenshot({ path: join(artifactsDir, `shell-${label.toLowerCase()}.png`) })
    }
    const status = page.getByTestId('engine-status')
    await expect.poll(() => status.textContent()).toContain(served.dataDir)
    expect(await page.getByTestId('tf-backend').textContent()).toMatch(/wasm|cpu|node|webgpu/)
    // Every built-in environment, and the code sandbox's isolation level in plain words.
    const envs = page.getByTestId('environments')
    await envs.getByText('sokoban', { exact: true }).waitFor()
    for (const id of ['household', 'code', 'listdsl']) await envs.getByText(id, { exact: true }).waitFor()
    await expect.poll(() => envs.textContent()).toMatch(/bwrap|bubblewrap|permission|rlimits/i)
    await page.screenshot({ path: join(artifactsDir, 'shell-settings.png'), fullPage: true })

    // Keyboard navigation between views.
    await page.keyboard.press('Alt+1')
    await page.getByRole('heading', { level: 1, name: 'Episodes' }).waitFor()
    expect(problems).toEqual([])
    await page.close()
  })

  it('still shows the engine when a stored job cannot be read, and says which job', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'leafe-e2e-badjob-'))
    const { db } = openStore(dataPaths(dataDir).db)
    db.prepare(`INSERT INTO jobs (kind, title, params, status, created_at) VALUES ('explore', 'written by hand', '{}', 'done', ?)`).run(new Date().toISOString())
    db.close()
    const other = await startServe([], dataDir)
    const page = await browser.newPage()
    try {
      await page.goto(other.url)
      await page.getByTestId('engine-badge').getByText(/Engine \d/).waitFor()
      await page.getByRole('alert').getByText(/Job 1 \(explore\) is stored in a shape its kind does not accept/).waitFor()
    } finally {
      await page.close()
      await other.stop()
    }
  })

  it('shows an engine error as a readable message, not a blank page', async () => {
    const page = await browser.newPage()
    await page.goto(`${served.url}#/settings`)
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor()
    const jobs = page.getByLabel('Jobs at once')
    await jobs.fill('99')
    await jobs.dispatchEvent('change')
    await page.getByRole('alert').getByText(/maxConcurrentJobs/).waitFor()
    await page.close()
  })
})
