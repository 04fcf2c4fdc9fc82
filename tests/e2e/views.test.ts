// The data views in Chromium against a real `leafe serve`, on fixture data written into its store
// before it starts: transcript, tree, keyboard curation, Pass@k curves, live loss curves. Every
// view is screenshotted into test-artifacts/. When exploration, training and evaluation can be
// started from the UI, the full issue-7 run extends this file: start them, then reuse the same
// checks on what they wrote.
import Database from 'better-sqlite3'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dataPaths } from '../../src-main/core/paths.ts'
import { openStore } from '../../src-main/core/store/db.ts'
import { writeFixtures, type FixtureSummary } from '../fixtures/stored-data.ts'
import { apiCaller, artifactsDir, openWorkbench, startServe, type Served } from './harness.ts'

describe('the data views in Chromium', () => {
  let served: Served
  let browser: Browser
  let page: Page
  let fx: FixtureSummary
  let problems: string[] = []

  const api = (method: string, input: unknown) => apiCaller(served)(method, input)
  const shot = (name: string) => page.screenshot({ path: join(artifactsDir, `views-${name}.png`) })
  const openView = async (label: string, heading: string) => {
    await page.getByRole('link', { name: new RegExp(`^${label}`) }).click()
    await page.getByRole('heading', { level: 1, name: heading }).waitFor()
  }

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'leafe-e2e-views-'))
    const { db } = openStore(dataPaths(dataDir).db)
    fx = await writeFixtures(db, { seed: 1, extraCorpusItems: 500, humanRequest: true })
    db.close()
    served = await startServe([], dataDir)
    ;({ browser, page, problems } = await openWorkbench(served, { downloads: true }))
  })
  afterAll(async () => {
    await browser?.close()
    await served?.stop()
  })

  it('opens an episode from a run and reads its transcript, reflections at the blamed step', async () => {
    await openView('Episodes', 'Episodes')
    await page.getByTestId('run').filter({ hasText: 'LEAFE exploration (fixture)' }).click()
    await page.getByLabel('Environment').selectOption('sokoban')
    const rows = page.getByTestId('episode-row')
    await expect.poll(() => rows.count()).toBe(6)
    await rows.last().click() // the oldest: episode 1
    await page.getByRole('heading', { level: 2, name: /Episode 1/ }).waitFor()
    expect(await page.getByTestId('step').count()).toBeGreaterThan(3)
    await page.getByRole('img', { name: /Sokoban board 7×7: player at row/ }).first().waitFor()
    const reflection = page.getByTestId('reflection').first()
    await reflection.waitFor()
    expect(await reflection.textContent()).toMatch(/τ = \d+.*failed action.*revised action/s)
    await shot('episodes')

    // Following a branch changes the path: the revised action's step is on it.
    const pathBefore = await page.getByLabel('Which attempt to follow').inputValue()
    await reflection.getByRole('button', { name: 'Follow the branch' }).click()
    await expect.poll(() => page.getByLabel('Which attempt to follow').inputValue()).not.toBe(pathBefore)
  })

  it('answers a waiting human reflection: tau picked from the attempt, e written, avoid on', async () => {
    await openView('Episodes', 'Episodes')
    const waiting = page.getByTestId('waiting-reflections')
    await waiting.getByText('1 attempt waits for your reflection').waitFor()
    await waiting.getByRole('button', { name: /Reflect on/ }).click()
    await page.getByRole('heading', { level: 1, name: 'Branch tree' }).waitFor()
    const form = page.getByTestId('human-reflection')
    await form.getByRole('heading', { name: 'Your reflection is wanted' }).waitFor()
    await form.getByRole('radio', { name: /^step 2:/ }).check()
    await form.getByLabel('What should it do instead? (e)').fill('Step 2 pushed the box into the corner; go around it.')
    await shot('human-reflection')
    await form.getByRole('button', { name: 'Send reflection' }).click()
    await page.getByRole('status').filter({ hasText: 'Reflection sent (τ = 2)' }).waitFor()
    expect(await api('reflections.pending', {})).toEqual([])
    const answered = (await fetch(`${served.origin}/api/reflections.skip`, { method: 'POST', headers: { 'x-leafe-token': served.token, 'content-type': 'application/json' }, body: JSON.stringify({ id: 1 }) }))
    expect(answered.status).toBe(409) // answered already: it cannot be skipped any more
  })

  it('opens the tree, moves through it by keyboard and shows each state', async () => {
    await openView('Episodes', 'Episodes')
    await page.getByRole('button', { name: 'Open tree' }).click()
    await page.getByRole('heading', { level: 1, name: 'Branch tree' }).waitFor()
    const tree = page.getByTestId('branch-tree')
    await tree.waitFor()
    const panel = page.getByTestId('node-panel')
    await panel.getByRole('heading', { name: 'Start state' }).waitFor()
    await tree.focus()
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await panel.getByRole('heading', { name: 'Step 2' }).waitFor()
    expect(await panel.getByRole('img', { name: /Sokoban board/ }).count()).toBe(1)
    // Branch points carry their tau on the tree.
    expect(await tree.locator('text.tau-label').count()).toBeGreaterThan(0)
    await shot('tree')

    // Branch from here: the environment's own parser judges the action at this state. "jump" is
    // refused beside the field with the valid actions named, and nothing is stored.
    const before = (await api('corpus.counts', { filter: { kind: 'manual' } })).total
    await page.getByTestId('correction-action').fill('jump')
    await page.getByRole('button', { name: 'Save correction' }).click()
    const refusal = page.getByTestId('correction-refusal')
    await refusal.waitFor()
    expect(await refusal.textContent()).toBe('target: "jump" is not an action the environment accepts at step 2; valid actions here: up, down, left, right')
    await shot('correction-refused')
    expect((await api('corpus.counts', { filter: { kind: 'manual' } })).total).toBe(before)
    // A valid one is stored in the environment's own form, and the refusal is gone.
    await page.getByTestId('correction-action').fill('go left')
    await page.getByRole('button', { name: 'Save correction' }).click()
    await page.getByRole('status').filter({ hasText: /Saved as corpus item \d+ \(accepted\): left\./ }).waitFor()
    expect(await refusal.count()).toBe(0)
    expect((await api('corpus.counts', { filter: { kind: 'manual' } })).total).toBe(before + 1)
    // And the other way round: a refusal after a save takes the stale "Saved as corpus item" away.
    await page.getByTestId('correction-action').fill('jump')
    await page.getByRole('button', { name: 'Save correction' }).click()
    await refusal.waitFor()
    expect(await page.getByRole('status').filter({ hasText: /Saved as corpus item/ }).count()).toBe(0)
  })

  it('curates the corpus by keyboard: a accept, j/k move, r reject, e edit, and a bulk action', async () => {
    await openView('Corpus', 'Corpus')
    const cursor = page.getByTestId('corpus-cursor')
    await cursor.waitFor()
    const detail = page.getByTestId('corpus-detail')
    await detail.getByRole('heading', { name: 'Item 1' }).waitFor()
    await page.keyboard.press('a') // accept item 1, go on to item 2
    await detail.getByRole('heading', { name: 'Item 2' }).waitFor()
    await page.keyboard.press('j')
    await detail.getByRole('heading', { name: 'Item 3' }).waitFor()
    await page.keyboard.press('k')
    await detail.getByRole('heading', { name: 'Item 2' }).waitFor()
    await page.keyboard.press('r') // reject item 2, go on to item 3
    await detail.getByRole('heading', { name: 'Item 3' }).waitFor()
    await page.keyboard.press('e')
    const input = page.getByTestId('target-input')
    await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true)
    // An edited target is checked at the item's state like a manual one: "fly north" is refused.
    await input.fill('fly north')
    await input.press('Enter')
    await detail.getByTestId('target-refusal').getByText(/"fly north" is not an action .*valid actions here: up, down, left, right/).waitFor()
    await shot('corpus-target-refused')
    // The editor and its refusal stay inside the detail panel.
    const panel = (await detail.boundingBox())!
    for (const el of [page.getByRole('button', { name: 'Save', exact: true }), detail.getByTestId('target-refusal')]) {
      const b = (await el.boundingBox())!
      expect(b.x + b.width).toBeLessThanOrEqual(panel.x + panel.width + 1)
    }
    await input.fill('left, then up')
    await input.press('Enter')
    await detail.getByText('✓ up').waitFor()
    await shot('corpus')

    expect((await api('corpus.get', { id: 1 })).status).toBe('accepted')
    expect((await api('corpus.get', { id: 2 })).status).toBe('rejected')
    const edited = await api('corpus.get', { id: 3 })
    // The environment's parser reads the last direction named: stored as "up".
    expect(edited).toMatchObject({ target: 'up', edited: true, history: [{ field: 'target', after: 'up' }] })


    // Bulk: every pending rehearsal item, after a confirmation that names the count.
    await page.getByLabel('Kind').selectOption('reh')
    await page.getByLabel('Status').selectOption('pending')
    const pending = (await api('corpus.counts', { filter: { kind: 'reh', status: 'pending' } })).total
    expect(pending).toBeGreaterThan(0)
    await page.getByRole('group', { name: 'Bulk actions on the filter' }).getByRole('button', { name: '✓ Accept' }).click()
    await page.getByText(`all ${pending.toLocaleString('en-US')} matching items?`).waitFor()
    await page.getByTestId('bulk-confirm').click()
    await page.getByText(`Changed ${pending.toLocaleString('en-US')} of ${pending.toLocaleString('en-US')}`).waitFor()
    expect((await api('corpus.counts', { filter: { kind: 'reh', status: 'pending' } })).total).toBe(0)
  })

  it('flags a stored item whose target the environment does not accept, in the table and its detail', async () => {
    const db = new Database(dataPaths(served.dataDir).db)
    db.pragma('busy_timeout = 5000')
    db.prepare(`UPDATE corpus_items SET edited_target = 'jump' WHERE id = 5`).run()
    db.close()
    await openView('Corpus', 'Corpus')
    await page.getByLabel('Kind').selectOption({ index: 0 })
    await page.getByLabel('Status').selectOption({ index: 0 })
    const flag = page.getByTestId('invalid-target')
    await flag.first().waitFor()
    expect(await flag.count()).toBe(1)
    await flag.click()
    const detail = page.getByTestId('corpus-detail')
    await detail.getByRole('heading', { name: 'Item 5' }).waitFor()
    await detail.getByTestId('target-problem').getByText(/"jump" is not an action of Sokoban; valid actions: up, down, left, right\. Left out of training files and exports\./).waitFor()
    await shot('corpus-flagged')
  })

  it('shows overlaid Pass@k curves with bands, toggles them, and exports CSV', async () => {
    await openView('Evaluate', 'Evaluate')
    const chart = page.getByTestId('passk-chart')
    await chart.waitFor()
    await expect.poll(() => chart.getByTestId('passk-curve').count()).toBe(4) // random, base, grpo, leafe
    await page.getByTestId('passk-table').getByRole('rowheader', { name: 'leafe' }).waitFor()
    await page.getByTestId('solved-panel').waitFor()
    // The paired comparison of the two compared policies: per k, b − a with its bootstrap interval,
    // exactly what the engine's paired bootstrap gives for these rows.
    const paired = page.getByTestId('paired-table')
    await paired.waitFor()
    const rowsShown = await paired.getByTestId('paired-row').allTextContents()
    const solved = page.getByTestId('solved-panel')
    const verdictNames = await solved.locator('caption').textContent()
    expect(verdictNames).toMatch(/^Paired Pass@k on the \d+ common tasks, in points: .+ − .+ with its 95 % bootstrap interval over tasks$/)
    expect(rowsShown.length).toBeGreaterThan(1)
    await solved.screenshot({ path: join(artifactsDir, 'views-evaluate-paired.png') })
    expect(rowsShown[0]).toMatch(/^1\d+\.\d\d+\.\d[+−±]\d+\.\d\[[+−±]\d+\.\d, [+−±]\d+\.\d\]$/)
    const box = (await chart.boundingBox())!
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5)
    await page.getByRole('status').filter({ hasText: /k = \d+/ }).waitFor()
    await shot('evaluate')
    await page.getByTestId('legend-item').filter({ hasText: 'grpo' }).click()
    await expect.poll(() => chart.getByTestId('passk-curve').count()).toBe(3)

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()])
    const csv = readFileSync((await download.path())!, 'utf8')
    expect(csv.split('\r\n')[0]).toBe('policy,name,k,pass_at_k,band_lo,band_hi,tasks,n,eval_run')
    expect(csv).toMatch(new RegExp(`checkpoint:${fx.checkpoints.leafe},leafe,32,`))
    const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export SVG' }).click()])
    const svgFile = readFileSync((await svgDownload.path())!, 'utf8')
    expect(svgFile).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*Pass@k/)
    // The exported figure carries its legend: every curve shown, by name (grpo is toggled off).
    // The legend is the chart's last group (only the hover line may follow it).
    const legend = svgFile.includes('chart-legend') ? svgFile.slice(svgFile.indexOf('chart-legend')) : ''
    for (const name of ['random', 'base', 'leafe']) expect(legend).toContain(`>${name}</text>`)
    expect(legend).not.toContain('>grpo</text>')
    const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export PNG' }).click()])
    expect(readFileSync((await pngDownload.path())!).subarray(1, 4).toString()).toBe('PNG')
  })

  it('draws the loss curve and updates it live as the training run writes metrics', async () => {
    await openView('Train', 'Train')
    const chart = page.getByTestId('loss-chart')
    await chart.waitFor()
    await page.getByTestId('checkpoint').filter({ hasText: 'leafe' }).waitFor()
    await expect.poll(() => chart.getAttribute('aria-label')).toMatch(/latest [\d.]+ at step 300/)
    // A training job writes from its own connection; the engine turns the rows into events.
    const db = new Database(dataPaths(served.dataDir).db)
    db.pragma('busy_timeout = 5000')
    const insert = db.prepare(`INSERT INTO train_metrics (run_id, step, split, name, value, at) VALUES (?, ?, 'train', 'loss', ?, ?)`)
    for (let s = 301; s <= 320; s++) insert.run(fx.trainRunId, s, 0.3, new Date().toISOString())
    db.close()
    await expect.poll(() => chart.getAttribute('aria-label'), { timeout: 10_000 }).toMatch(/latest 0\.3000 at step 320/)
    await shot('train')
  })

  it('raised no page errors', () => {
    expect(problems).toEqual([])
  })
})
