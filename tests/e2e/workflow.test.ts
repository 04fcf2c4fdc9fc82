// The whole workflow from the UI alone, against a real `leafe serve` on an empty data
// directory: a small exploration run (random play on 6x6 Sokoban with the critic), its branch
// tree, keyboard curation of the corpus it made, the reduced Quickstart (which also makes the
// checkpoints to train from), a LEAFE Stage-2 training whose loss curve updates live, and an
// evaluation that shows two curves. Every view is screenshotted into test-artifacts/, and the
// page's long tasks (> 50 ms, PerformanceObserver) while jobs stream progress are written to
// test-artifacts/ui-longtasks.json — measured, not asserted (the machine is shared and noisy).
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { artifactsDir, launchChromium, startServe, type Served } from './harness.ts'

type LongTask = { start: number; duration: number }

describe('the whole workflow from the UI', () => {
  let served: Served
  let browser: Browser
  let page: Page
  const problems: string[] = []
  /** Long tasks per phase of the run, as the page measured them. */
  const longTasks: Record<string, LongTask[]> = {}

  const api = async (method: string, input: unknown) => {
    const res = await fetch(`${served.origin}/api/${method}`, { method: 'POST', headers: { 'x-leafe-token': served.token, 'content-type': 'application/json' }, body: JSON.stringify(input) })
    const body = (await res.json()) as { ok: boolean; result: any } // eslint-disable-line @typescript-eslint/no-explicit-any
    if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body)}`)
    return body.result
  }
  /** Page-time marks around screenshots and results, to place the long tasks on the run's timeline. */
  const marks: { name: string; t: number }[] = []
  const mark = async (name: string) => marks.push({ name, t: Math.round(await page.evaluate(() => performance.now())) })
  const shot = async (name: string) => {
    await mark(`screenshot ${name}`)
    await page.screenshot({ path: join(artifactsDir, `workflow-${name}.png`), fullPage: false })
    await mark(`screenshot ${name} taken`)
  }
  const openView = async (label: string, heading: string) => {
    await page.getByRole('link', { name: new RegExp(`^${label}`) }).click()
    await page.getByRole('heading', { level: 1, name: heading }).waitFor()
  }
  /** Takes the long tasks the page has seen since the last call, under a phase name. */
  const collectLongTasks = async (phase: string) => {
    longTasks[phase] = await page.evaluate(() => {
      const w = window as unknown as { __longTasks: { start: number; duration: number }[] }
      return w.__longTasks.splice(0)
    })
  }

  beforeAll(async () => {
    served = await startServe()
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true })
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`)
    })
    await page.addInitScript(() => {
      const w = window as unknown as { __longTasks: { start: number; duration: number }[] }
      w.__longTasks = []
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push({ start: Math.round(e.startTime), duration: Math.round(e.duration) })
      }).observe({ type: 'longtask', buffered: true })
    })
    await page.goto(served.url)
    await page.getByTestId('engine-badge').getByText(/Engine \d/).waitFor()
  })
  afterAll(async () => {
    const all = Object.values(longTasks).flat()
    const summary = Object.fromEntries(
      Object.entries(longTasks).map(([phase, tasks]) => [phase, { count: tasks.length, over100ms: tasks.filter((t) => t.duration > 100).length, maxMs: Math.max(0, ...tasks.map((t) => t.duration)) }]),
    )
    writeFileSync(
      join(artifactsDir, 'ui-longtasks.json'),
      JSON.stringify({ note: 'Long tasks (> 50 ms) in the page while jobs streamed progress; measured on a shared 2-core machine', summary, total: { count: all.length, over100ms: all.filter((t) => t.duration > 100).length, maxMs: Math.max(0, ...all.map((t) => t.duration)) }, tasks: longTasks, marks }, null, 2) + '\n',
    )
    await browser?.close()
    await served?.stop()
  })

  it('offers the quickstart on the empty Episodes view and explores from a form, with a readable validation message', async () => {
    await page.getByTestId('quickstart').getByRole('heading', { name: /Quickstart/ }).waitFor()
    await shot('empty')
    await collectLongTasks('load')

    await page.getByRole('button', { name: 'New exploration…' }).click()
    const form = page.getByTestId('explore-form')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('ex-env') // typing goes on in the form
    await form.getByLabel('Environment').selectOption('sokoban')
    await form.getByLabel('Number of tasks').fill('6')
    await form.getByLabel('Sokoban preset').selectOption('6x6-1')
    await form.getByLabel('Policy').selectOption('random')
    await form.getByLabel('Sampler').selectOption('leafe')
    await form.getByLabel('Reflector').selectOption('critic')
    await form.getByLabel('Branch depth').fill('3')
    await form.getByLabel('Keep a correction (D_cf) only when its branch later succeeded').uncheck()
    await form.getByLabel('Budget (actions per task)').fill('80')
    // The engine's schema refuses too many tasks and the form says which field and why.
    await form.getByLabel('Number of tasks').fill('200000')
    await form.getByRole('button', { name: 'Start exploration' }).click()
    await form.getByRole('alert').filter({ hasText: /^tasks\.count: .*100000/ }).waitFor()
    await form.getByLabel('Number of tasks').fill('6')
    await form.getByLabel('Number of tasks').press('Enter') // keyboard submit
    const summary = form.getByTestId('explore-summary')
    await summary.waitFor({ timeout: 90_000 })
    expect(await summary.textContent()).toMatch(/of 6 tasks solved · [1-9]\d* branch points · [1-9]\d* corrections/)
    await shot('explore')
    await collectLongTasks('explore (streaming)')

    await summary.getByRole('button', { name: 'Show its episodes' }).click()
    const rows = page.getByTestId('episode-row')
    await expect.poll(() => rows.count()).toBe(6)
  })

  it("opens an explored episode's branch tree with its branch points", async () => {
    // The run's episodes hold branch events (tau labels); open one that branched.
    const episodes = (await api('episodes.list', { filter: {}, limit: 50 })).items as { id: number }[]
    let branched: number | null = null
    for (const e of episodes) if ((await api('episodes.tree', { id: e.id })).branchEvents.length) branched = branched ?? e.id
    expect(branched).not.toBeNull()
    await page.getByTestId('episode-row').filter({ hasText: new RegExp(`^${branched}$`) }).click()
    await page.getByRole('button', { name: 'Open tree' }).click()
    await page.getByRole('heading', { level: 1, name: 'Branch tree' }).waitFor()
    const tree = page.getByTestId('branch-tree')
    await tree.waitFor()
    // Branch points are drawn as marks (their tau labels appear when zoomed in far enough).
    await expect.poll(async () => ((await tree.locator('path.mark').getAttribute('d')) ?? '').length).toBeGreaterThan(0)
    await expect.poll(async () => ((await tree.locator('path.branch').getAttribute('d')) ?? '').length).toBeGreaterThan(0)
    await tree.focus()
    await page.keyboard.press('ArrowRight')
    await page.getByTestId('node-panel').getByRole('img', { name: /Sokoban board 6×6/ }).waitFor()
    await shot('tree')
    await collectLongTasks('tree (no job running)')
  })

  it('accepts and edits corpus items by keyboard', async () => {
    await openView('Corpus', 'Corpus')
    await page.getByTestId('corpus-cursor').waitFor()
    const detail = page.getByTestId('corpus-detail')
    await detail.getByRole('heading', { name: 'Item 1' }).waitFor()
    await page.keyboard.press('a')
    await detail.getByRole('heading', { name: 'Item 2' }).waitFor()
    await page.keyboard.press('a')
    await detail.getByRole('heading', { name: 'Item 3' }).waitFor()
    await page.keyboard.press('k')
    await detail.getByRole('heading', { name: 'Item 2' }).waitFor()
    // An edit that makes the (prompt, target) pair equal another item's is refused: pick a free target.
    const item = await api('corpus.get', { id: 2 })
    const others = await Promise.all(((await api('corpus.list', { limit: 1000 })).items as { id: number }[]).map((r) => api('corpus.get', { id: r.id })))
    const taken = new Set(others.filter((o) => o.prompt === item.prompt).map((o) => o.target as string))
    const edited = ['up', 'down', 'left', 'right'].find((a) => !taken.has(a))!
    await page.keyboard.press('e')
    const input = page.getByTestId('target-input')
    await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true)
    await input.fill(edited)
    await input.press('Enter')
    await detail.getByText(`✓ ${edited}`).waitFor()
    await shot('corpus')
    await collectLongTasks('corpus (no job running)')
    expect((await api('corpus.get', { id: 1 })).status).toBe('accepted')
    expect(await api('corpus.get', { id: 2 })).toMatchObject({ status: 'accepted', target: edited, edited: true })
  })

  it('runs the reduced quickstart from its button: phases, then the table and the Pass@k chart', async () => {
    await page.getByRole('button', { name: '▶ Quickstart' }).click()
    const qs = page.getByTestId('quickstart')
    // The household has sizes of its own; the panel shows them when it is picked.
    await qs.getByLabel('Household').check()
    await qs.getByText(/^Household houses of 2–4 rooms.*a micro-256 model from 1000 houses' demonstrations/).waitFor()
    await qs.getByLabel('Sokoban').check()
    await qs.getByLabel(/Reduced/).check()
    await qs.getByText(/a nano model/).waitFor()
    await mark('quickstart start')
    await qs.getByRole('button', { name: '▶ Run the quickstart' }).click()
    await qs.getByRole('list', { name: 'Quickstart phases' }).locator('li[data-state="running"]').waitFor()
    await shot('quickstart-running')
    const result = qs.getByTestId('quickstart-result')
    await result.waitFor({ timeout: 170_000 })
    await mark('quickstart result shown')
    for (const method of ['base', 'GRPO', 'Early Experience', 'LEAFE', 'random play']) await result.getByRole('rowheader', { name: method }).waitFor()
    await expect.poll(() => result.getByTestId('passk-curve').count()).toBe(5)
    await collectLongTasks('quickstart (streaming)')
    const quickstartLooks = (await result.getByTestId('passk-curve').evaluateAll((els) => els.map((e) => `${e.getAttribute('stroke')}|${e.getAttribute('stroke-dasharray')}`))).sort()
    expect(new Set(quickstartLooks).size).toBe(5)
    await shot('quickstart')
    const job = (await api('jobs.list', {})).find((j: { kind: string }) => j.kind === 'quickstart')
    expect((await api('quickstart.chart', { id: job.id })).svg).toMatch(/<svg[\s\S]*Pass@k/)
    const [download] = await Promise.all([page.waitForEvent('download'), result.getByRole('button', { name: 'Download the chart (SVG)' }).click()])
    expect(download.suggestedFilename()).toBe(`quickstart-job${job.id}-passk.svg`)
    // The same curves in the Evaluate view, with its table, exports and the sharpening/expansion panel.
    await result.getByRole('button', { name: 'Open in Evaluate' }).click()
    await page.getByRole('heading', { level: 1, name: 'Evaluate' }).waitFor()
    await expect.poll(() => page.getByTestId('passk-chart').getByTestId('passk-curve').count()).toBe(5)
    // One look per method: each curve's stroke and dash in Evaluate are those of the Quickstart
    // panel's curves and of the SVG file it wrote.
    const looks = async () => (await page.getByTestId('passk-chart').getByTestId('passk-curve').evaluateAll((els) => els.map((e) => `${e.getAttribute('stroke')}|${e.getAttribute('stroke-dasharray')}`))).sort()
    expect(await looks()).toEqual(quickstartLooks)
    const svgFile = (await api('quickstart.chart', { id: job.id })).svg as string
    for (const look of quickstartLooks) {
      const [stroke, dash] = look.split('|')
      expect(svgFile).toContain(`stroke="${stroke}" stroke-width="2" stroke-dasharray="${dash}"`)
    }
    await shot('evaluate-quickstart')
  }, 200_000)

  it('trains LEAFE Stage 2 from a checkpoint with a loss curve that updates live, then the lineage shows it', async () => {
    await openView('Train', 'Train')
    const form = page.getByTestId('train-form')
    await form.getByLabel('Method').selectOption('leafe_sft')
    const base = (await api('checkpoints.list', {})).find((c: { name: string }) => /^base/.test(c.name))
    await form.getByLabel('Start checkpoint').selectOption(String(base.id))
    await form.getByLabel('Run name').fill('leafe from the UI')
    await form.getByLabel('Epochs').fill('20')
    await form.getByLabel('Batch size').fill('1')
    await form.getByRole('button', { name: 'Start training' }).click()
    const runSelect = page.getByRole('combobox', { name: 'Training run' })
    await expect.poll(() => runSelect.evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent ?? ''), { timeout: 20_000 }).toMatch(/leafe from the UI/)
    const chart = page.getByTestId('loss-chart')
    // Live: the chart shows several different latest steps while the job is still running.
    const seen = new Set<string>()
    for (let i = 0; i < 600; i++) {
      const label = (await chart.getAttribute('aria-label')) ?? ''
      const step = /at step (\d+)/.exec(label)?.[1]
      const status = await page.getByTestId('job-line').getAttribute('data-status')
      if (step && (status === 'running' || status === 'queued')) seen.add(step)
      if (seen.size === 2) await shot('train-live')
      if (status === 'done' || status === 'failed') break
      await page.waitForTimeout(100)
    }
    expect(seen.size).toBeGreaterThanOrEqual(2)
    await page.getByTestId('job-line').and(page.locator('[data-status="done"]')).waitFor({ timeout: 120_000 })
    await page.getByTestId('checkpoint').filter({ hasText: 'leafe from the UI' }).first().waitFor()
    await collectLongTasks('train (streaming loss)')
    await shot('train')
  }, 180_000)

  it('starts GRPO and Early Experience from the same form; each lands in the lineage under its start', async () => {
    const form = page.getByTestId('train-form')
    const base = (await api('checkpoints.list', {})).find((c: { name: string }) => /^base/.test(c.name))
    for (const [kind, name] of [['grpo', 'grpo from the UI'], ['early_experience', 'ee from the UI']] as const) {
      await form.getByLabel('Method').selectOption(kind)
      await form.getByLabel('Start checkpoint').selectOption(String(base.id))
      await form.getByLabel('Run name').fill(name)
      await form.getByLabel('Sokoban preset').selectOption('6x6-1')
      await form.getByLabel('Number of tasks').fill('4')
      if (kind === 'grpo') {
        await form.getByLabel('Iterations').fill('1')
        await form.getByLabel('Tasks per iteration').fill('2')
        await form.getByLabel('Group size G').fill('2')
      } else {
        await form.getByLabel('Alternatives per state').fill('1')
        await form.getByLabel('Epochs').fill('1')
      }
      await form.getByRole('button', { name: 'Start training' }).click()
      const entry = page.getByTestId('checkpoint').filter({ hasText: name })
      await entry.first().waitFor({ timeout: 120_000 })
      expect(await entry.first().textContent()).toMatch(/from base sokoban/)
    }
    await shot('train-lineage')

    // A long run can be cancelled from its progress line.
    await form.getByLabel('Method').selectOption('grpo')
    await form.getByLabel('Run name').fill('grpo to cancel')
    await form.getByLabel('Iterations').fill('500')
    await form.getByRole('button', { name: 'Start training' }).click()
    const line = page.getByTestId('job-line')
    await line.and(page.locator('[data-status="running"]')).waitFor({ timeout: 60_000 })
    await line.getByRole('button', { name: 'Cancel' }).click()
    await line.and(page.locator('[data-status="cancelled"]')).waitFor({ timeout: 60_000 })
    await line.getByRole('button', { name: 'Resume' }).waitFor()
    await collectLongTasks('grpo + early experience (streaming)')
  }, 200_000)

  it('evaluates random play and the new checkpoint and shows two curves', async () => {
    await openView('Evaluate', 'Evaluate')
    await page.getByRole('button', { name: 'Run an evaluation…' }).click()
    const form = page.getByTestId('eval-form')
    const trained = (await api('jobs.list', {})).find((j: { kind: string }) => j.kind === 'leafe_sft').result.checkpointId as number
    await form.getByRole('checkbox', { name: new RegExp(`^${trained} · leafe from the UI`) }).check()
    await form.getByLabel('Sokoban preset').selectOption('6x6-1')
    await form.getByLabel('Number of tasks').fill('8')
    await form.getByLabel('Samples per task (n)').fill('4')
    await form.getByRole('button', { name: 'Start evaluation' }).click()
    await form.getByTestId('job-line').and(page.locator('[data-status="done"]')).waitFor({ timeout: 120_000 })
    const chart = page.getByTestId('passk-chart')
    await expect.poll(() => chart.getByTestId('passk-curve').count(), { timeout: 15_000 }).toBe(2)
    await page.getByTestId('passk-table').getByRole('rowheader', { name: /leafe from the UI/ }).waitFor()
    await collectLongTasks('evaluate (streaming)')
    await shot('evaluate')
    await form.getByLabel('Samples per task (n)').press('Escape')
    await expect.poll(() => form.count()).toBe(0)
  }, 150_000)

  it('shows Settings, and raised no page errors', async () => {
    await openView('Settings', 'Settings')
    await shot('settings')
    expect(problems).toEqual([])
  })
})
