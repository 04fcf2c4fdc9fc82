// What a researcher reads in the views, in Chromium against a real `leafe serve` on fixture data:
// figures (one style per policy everywhere, rates in percent, whole-number step ticks, GRPO's
// reward and success, a run's own time) and views that keep the thread (readable task-set names,
// the newest evaluation shown, rows that open, a bounded runs list, a long chain fitted, action
// labels on edges, reflections at the step they blame, experience text not cut off).
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertNodes } from '../../src-main/core/store/nodes.ts'
import * as rec from '../../src-main/core/explore/recorder.ts'
import { dataPaths } from '../../src-main/core/paths.ts'
import { openStore } from '../../src-main/core/store/db.ts'
import { writeFixtures, type FixtureSummary } from '../fixtures/stored-data.ts'
import { seriesStyle } from '../../src-main/shared/series-style.ts'
import { QuickstartParams, quickstartSizes } from '../../src-main/shared/jobs/quickstart.ts'
import { apiCaller, artifactsDir, openWorkbench, startServe, type Served } from './harness.ts'

const CHAIN = 150

describe('what a researcher reads, in Chromium', () => {
  let served: Served
  let browser: Browser
  let page: Page
  let fx: FixtureSummary
  let chainEpisode: number
  let problems: string[] = []

  const api = (method: string, input: unknown) => apiCaller(served)(method, input)
  const shot = (name: string) => page.screenshot({ path: join(artifactsDir, `researcher-${name}.png`) })
  const openView = async (label: string, heading: string) => {
    await page.getByRole('link', { name: new RegExp(`^${label}`) }).click()
    await page.getByRole('heading', { level: 1, name: heading }).waitFor()
  }

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'leafe-e2e-researcher-'))
    const { db } = openStore(dataPaths(dataDir).db)
    fx = await writeFixtures(db, { seed: 1, extraCorpusItems: 60 })
    // The training run was one part of a longer job (as in a quickstart): 42 s of a 10-minute job.
    const t0 = Date.parse('2026-01-01T10:00:00Z')
    const at = (s: number) => new Date(t0 + s * 1000).toISOString()
    const jobId = Number(
      db.prepare(`INSERT INTO jobs (kind, title, params, status, message, created_at, started_at, ended_at) VALUES ('quickstart', 'quickstart sokoban 7x7-1', ?, 'done', 'Done.', ?, ?, ?)`).run(JSON.stringify(QuickstartParams.parse({ config: quickstartSizes('standard') })), at(0), at(0), at(600)).lastInsertRowid,
    )
    db.prepare(`UPDATE runs SET job_id = ?, started_at = ?, ended_at = ? WHERE id = ?`).run(jobId, at(100), at(142), fx.trainRunId)
    // A short run: three steps, an eval point above every train point.
    const short = rec.createRun(db, 'sft', 'three steps', {}, null)
    const metric = db.prepare(`INSERT INTO train_metrics (run_id, step, epoch, split, name, value, at) VALUES (?, ?, 0, ?, 'loss', ?, ?)`)
    for (const [step, split, value] of [[1, 'train', 1.2], [2, 'train', 0.9], [3, 'train', 0.7], [3, 'eval', 1.4]] as const) metric.run(short, step, split, value, at(step))
    rec.finishRun(db, short, 'done', {})
    // A long history of runs, and one long chain of steps without branches.
    for (let i = 0; i < 30; i++) rec.finishRun(db, rec.createRun(db, 'explore', `old exploration ${i}`, {}, null), 'done', {})
    const chainRun = rec.createRun(db, 'explore', 'one long chain', { sampler: 'is' }, null)
    chainEpisode = rec.createEpisode(db, chainRun, { env: 'sokoban', id: 'chain/1', split: 'train', seed: 0, instruction: 'walk' }, 0, 'is')
    let parent: number | null = null
    for (let s = 0; s <= CHAIN; s++) {
      const [id] = insertNodes(db, [{ episodeId: chainEpisode, parentId: parent, step: s, action: s === 0 ? null : ['up', 'right', 'down', 'left'][s % 4]!, observation: '#####\n#@$.#\n#####', feedback: '', reward: 0, done: s === CHAIN, success: false, valid: true, branchDepth: 0 }])
      if (parent === null) rec.setEpisodeRoot(db, chainEpisode, id!)
      parent = id!
    }
    rec.finishEpisode(db, chainEpisode, 'failure', CHAIN)
    rec.finishRun(db, chainRun, 'done', {})
    db.close()
    served = await startServe([], dataDir)
    ;({ browser, page, problems } = await openWorkbench(served))
  })
  afterAll(async () => {
    await browser?.close()
    await served?.stop()
  })

  it('draws each policy in its one shared style, on a percent axis, and names the task set readably', async () => {
    await openView('Evaluate', 'Evaluate')
    const chart = page.getByTestId('passk-chart')
    await expect.poll(() => chart.getByTestId('passk-curve').count()).toBe(4)
    const strokes = await chart.getByTestId('passk-curve').evaluateAll((els) => els.map((e) => e.getAttribute('stroke')))
    const keys = ['random', `checkpoint:${fx.checkpoints.base}`, `checkpoint:${fx.checkpoints.grpo}`, `checkpoint:${fx.checkpoints.leafe}`]
    expect(strokes).toEqual(keys.map((k) => seriesStyle(k).color))
    // Pass@k in percent on the axis, as in the table beside it.
    await chart.getByText('Pass@k (%)').waitFor()
    await chart.locator('text', { hasText: /^100$/ }).waitFor()
    // The task set by what it is, not by its stored key.
    const selected = () => page.getByTestId('task-set').evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent ?? '')
    expect(await selected()).toBe('Sokoban default · test · 40 levels · seed 1')
    await shot('evaluate')
  })

  it('switches to a new evaluation\'s task set, and comes back to the newest one', async () => {
    await page.getByRole('button', { name: 'Run an evaluation…' }).click()
    const form = page.getByTestId('eval-form')
    await form.getByLabel('Sokoban preset').selectOption('6x6-1')
    await form.getByLabel('Number of tasks').fill('4')
    await form.getByLabel('Samples per task (n)').fill('2')
    await form.getByRole('button', { name: 'Start evaluation' }).click()
    await form.getByTestId('job-line').and(page.locator('[data-status="done"]')).waitFor({ timeout: 120_000 })
    const selected = () => page.getByTestId('task-set').evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent ?? '')
    await expect.poll(selected, { timeout: 15_000 }).toBe('Sokoban 6x6-1 · test · 4 levels')
    const jobs = await api('jobs.list', {})
    expect(jobs.find((j: { kind: string }) => j.kind === 'eval').title).not.toMatch(/[{}"]/)
    await shot('evaluate-new')
    await openView('Train', 'Train')
    await openView('Evaluate', 'Evaluate')
    await expect.poll(selected).toBe('Sokoban 6x6-1 · test · 4 levels')
  })

  it("shows a training run's own time, whole-number step ticks, eval points inside the plot, and GRPO's reward and success", async () => {
    await openView('Train', 'Train')
    const runSelect = page.getByLabel('Training run')
    await runSelect.selectOption({ label: 'LEAFE Stage 2 from grpo (fixture) · done' })
    const chart = page.getByTestId('loss-chart')
    await expect.poll(() => chart.getAttribute('aria-label')).toMatch(/at step 300/)
    await page.getByTestId('job-line').getByText('took 42 s').waitFor()
    // Steps are counts: whole-number ticks, and every point inside the plot, on a three-step run.
    await runSelect.selectOption({ label: 'three steps · done' })
    await expect.poll(() => chart.getAttribute('aria-label')).toMatch(/3 train points, latest 0\.7000 at step 3, 1 eval points/)
    const ticks = await chart.getByTestId('x-tick').allTextContents()
    expect(ticks).toEqual(['1', '2', '3'])
    const plot = await chart.evaluate((svg) => {
      const box = svg.getBoundingClientRect()
      const points = [...svg.querySelectorAll('[data-testid="eval-point"]')].map((p) => p.getBoundingClientRect())
      return { top: box.top + 16 - 4, bottom: box.bottom - 36 + 4, points: points.map((p) => [p.top, p.bottom]) }
    })
    expect(plot.points.length).toBe(1)
    for (const [top, bottom] of plot.points) {
      expect(top).toBeGreaterThanOrEqual(plot.top - 1)
      expect(bottom).toBeLessThanOrEqual(plot.bottom + 1)
    }
    await shot('train-loss')

    await runSelect.selectOption({ label: 'GRPO from base (fixture) · done' })
    const reward = page.getByTestId('reward-chart')
    await reward.waitFor()
    await reward.getByTestId('second-series').waitFor()
    expect(await reward.getByTestId('train-loss').getAttribute('d')).toMatch(/^M/)
    expect(await reward.getAttribute('aria-label')).toMatch(/^mean reward .* latest \d+\.\d % at step 20/)
    await reward.locator('text', { hasText: /^100$/ }).waitFor()
    await page.getByText('tasks solved by any of the G rollouts').waitFor()
    await reward.scrollIntoViewIfNeeded()
    await shot('train-grpo')
  })

  it('bounds the runs list, and opens an episode by clicking anywhere on its row', async () => {
    await openView('Episodes', 'Episodes')
    const box = page.getByTestId('runs-box')
    await expect.poll(() => page.getByTestId('run').count()).toBeGreaterThan(30)
    const b = (await box.boundingBox())!
    expect(b.height).toBeLessThanOrEqual(260)
    const table = page.getByRole('table', { name: 'Episodes' })
    expect((await table.boundingBox())!.y).toBeLessThan(900)
    await page.getByTestId('run').filter({ hasText: 'LEAFE exploration (fixture)' }).click()
    const row = page.getByTestId('episode-tr').last()
    const id = await row.getByTestId('episode-row').textContent()
    await row.locator('td').nth(1).click() // the task cell, not the number's button
    await page.getByRole('heading', { level: 2, name: new RegExp(`^Episode ${id}\\b`) }).waitFor()
    await shot('episodes')
  })

  it('puts each reflection at the step it blames, saying which of its actions that step took', async () => {
    const cards = page.getByTestId('reflection')
    await cards.first().waitFor()
    const seen = await page.getByTestId('step').evaluateAll((steps) =>
      steps.flatMap((li) => {
        const card = li.querySelector('[data-testid="reflection"]')
        if (!card) return []
        const tau = /τ = (\d+)/.exec(card.textContent ?? '')?.[1]
        const here = card.querySelector('[data-here="true"] code')?.textContent ?? null
        const other = card.querySelector('[data-testid="reflection-other"]') !== null
        return [{ stepLabel: li.querySelector('.step-n')?.textContent?.trim(), tau, action: li.querySelector('.action')?.textContent?.trim(), here, other }]
      }),
    )
    expect(seen.length).toBeGreaterThan(0)
    for (const s of seen) {
      expect(s.stepLabel).toBe(`step ${s.tau}`)
      if (s.here !== null) expect(s.here).toContain(s.action)
      else expect(s.other).toBe(true)
    }
    // Following the branch: the same card now marks the revised action as this step's.
    await cards.first().getByRole('button', { name: 'Follow the branch' }).click()
    await cards.first().locator('.revised[data-here="true"]').waitFor()
    await shot('transcript-branch')
  })

  it('compares two attempts side by side, aligned where they part', async () => {
    await openView('Episodes', 'Episodes')
    const id = fx.episodeIds[0]!
    await page.goto(`${served.url.split('#')[0]}#/episodes/${id}`)
    await page.getByRole('heading', { level: 2, name: new RegExp(`^Episode ${id}\\b`) }).waitFor()
    await page.getByRole('button', { name: 'Compare with another attempt' }).click()
    const cmp = page.getByTestId('compare')
    await cmp.getByRole('heading', { name: 'Compare two attempts' }).waitFor()
    // B starts as the episode's other path; choose one explicitly, and A's first attempt.
    const a = await api('episodes.transcript', { id })
    const firstLeaf = a.leaves[0].id
    const branchLeaf = a.leaves[a.leaves.length - 1].id
    await cmp.getByLabel('Path of A').selectOption(String(firstLeaf))
    await cmp.getByLabel('Path of B').selectOption(String(branchLeaf))
    const A = (await api('episodes.transcript', { id, leafId: firstLeaf })).steps
    const B = (await api('episodes.transcript', { id, leafId: branchLeaf })).steps
    let k = 0
    while (k < A.length && k < B.length && A[k].action === B[k].action && A[k].observation === B[k].observation) k++
    expect(k).toBeGreaterThan(0)
    expect(k).toBeLessThan(Math.min(A.length, B.length))
    await expect.poll(() => cmp.getByTestId('compare-common').textContent()).toContain(`The same for ${k - 1} step${k === 2 ? '' : 's'}`)
    expect(await cmp.getByTestId('compare-common').textContent()).toContain(`they part at step ${k}.`)
    const rows = cmp.getByTestId('compare-row')
    await expect.poll(() => rows.count()).toBe(Math.max(A.length, B.length) - k)
    const first = await rows.first().locator('code.action').allTextContents()
    expect(first).toEqual([A[k].action, B[k].action])
    expect(first[0]).not.toBe(first[1])
    // Both sides stay inside the view.
    const right = await cmp.evaluate((el) => el.getBoundingClientRect().right)
    for (const sel of ['Path of A', 'Path of B']) expect((await cmp.getByLabel(sel).boundingBox())!.x + (await cmp.getByLabel(sel).boundingBox())!.width).toBeLessThanOrEqual(right + 1)
    expect(right).toBeLessThanOrEqual(await page.evaluate(() => document.querySelector('main')?.getBoundingClientRect().right ?? window.innerWidth))
    await shot('compare')
    await cmp.getByRole('button', { name: 'Back to the transcript' }).click()
    await page.getByRole('button', { name: 'Compare with another attempt' }).waitFor()
  })

  it('fits a long chain into view on first load, and labels edges with their actions', async () => {
    await page.goto(`${served.url.split('#')[0]}#/tree/${chainEpisode}`)
    const tree = page.getByTestId('branch-tree')
    await tree.waitFor()
    await expect.poll(() => page.getByText(`${CHAIN + 1} nodes`).count()).toBeGreaterThan(0)
    const inView = () =>
      tree.evaluate((svg) => {
        const s = svg.getBoundingClientRect()
        const g = svg.querySelector('g')!.getBoundingClientRect()
        return g.width > 0 && g.left >= s.left - 1 && g.right <= s.right + 1 && g.top >= s.top - 1 && g.bottom <= s.bottom + 1
      })
    await expect.poll(inView).toBe(true)
    await shot('tree-chain')
    // Another episode's tree starts fitted as well, not where the last one was left.
    await tree.hover()
    await page.mouse.wheel(0, -1500)
    await expect.poll(inView).toBe(false)
    await page.getByLabel('Episode').selectOption(String(fx.episodeIds[0]))
    await expect.poll(inView).toBe(true)
    const labels = tree.locator('text.edge-label')
    await expect.poll(() => labels.count()).toBeGreaterThan(3)
    for (const t of await labels.allTextContents()) expect(['up', 'down', 'left', 'right']).toContain(t)
    await shot('tree-edges')
  })

  it('shows the experience e in the corpus over two full lines, not its first words, and whole in the item', async () => {
    await openView('Corpus', 'Corpus')
    await page.getByLabel('Kind').selectOption('cf')
    const cells = page.getByTestId('corpus-experience')
    // Wait for the filtered rows themselves: right after the filter changes, the virtualised table
    // can still hold rows of the previous list, some of them without an e.
    await expect.poll(() => cells.evaluateAll((els) => els.filter((e) => e.textContent).length)).toBeGreaterThan(3)
    // Rows have a fixed height (the table is virtualised), so a long e wraps over two full lines
    // and ends in an ellipsis (the list carries the first 200 characters); the selected item shows it whole.
    const shown = await cells.evaluateAll((els) =>
      els.filter((e) => e.textContent).map((e) => ({ text: e.textContent!, title: e.getAttribute('title'), lines: Math.round(e.clientHeight / parseFloat(getComputedStyle(e).lineHeight)), cut: e.scrollHeight > e.clientHeight + 1, width: e.clientWidth })),
    )
    await shot('corpus')
    expect(shown.length).toBeGreaterThan(3)
    for (const s of shown) {
      expect(s.title).toBe(s.text)
      // A short e shows whole on one line or two; a long one fills both lines before it is cut.
      expect(s.lines, s.text).toBeLessThanOrEqual(2)
      if (s.cut) expect(s.lines, s.text).toBe(2)
      // As wide as the other columns together: the first words are far from all it shows.
      expect(s.width).toBeGreaterThan(400)
    }
    // The whole e of the item one clicks is in its detail.
    const longest = shown.reduce((a, b) => (b.text.length > a.text.length ? b : a))
    await cells.filter({ hasText: longest.text }).first().click()
    const detail = page.getByTestId('corpus-detail').locator('p.experience')
    await expect.poll(async () => (await detail.textContent())?.startsWith(longest.text)).toBe(true)
  })

  it('raised no page errors', () => {
    expect(problems).toEqual([])
  })
})
