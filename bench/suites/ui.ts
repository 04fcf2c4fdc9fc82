// The UI at scale, in Chromium against a real `leafe serve`: from navigation to the first painted
// frame of a 5,000-node branch tree and of a 100,000-item corpus table (the engine's answer, the
// layout and the drawing all included), and the longest main-thread task while they load and
// while the corpus is scrolled end to end.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { dataPaths } from '../../src-main/core/paths.ts'
import { openStore } from '../../src-main/core/store/db.ts'
import { writeFixtures } from '../../tests/fixtures/stored-data.ts'
import { launchChromium, startServe } from '../../tests/e2e/harness.ts'
import type { Suite } from './index.ts'

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const RUNS = 7

// Code that runs in the page is kept as text: tsx would otherwise wrap its inner functions in a
// helper (__name) that does not exist in the browser.
const WATCH_LONG_TASKS = `
  window.__longest = 0;
  window.__obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration) });
  window.__obs.observe({ type: 'longtask' });`
const STOP_WATCHING = `new Promise((r) => setTimeout(r, 100)).then(() => { window.__obs.disconnect(); return window.__longest })`
const READY = {
  tree: `(document.querySelector('[data-testid="branch-tree"] path.link')?.getAttribute('d') ?? '').length > 0`,
  corpus: `document.querySelector('[data-testid="corpus-cursor"] [role="gridcell"]') !== null`,
}

/** Milliseconds from setting the hash to two animation frames after the view is drawn; and the longest task meanwhile. */
async function timeView(page: Page, hash: string, ready: keyof typeof READY): Promise<{ ms: number; longestTask: number }> {
  await page.evaluate(`location.hash = '#/settings'`)
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor()
  // Let the previous visit's requests finish, so each run starts from a quiet engine.
  await page.waitForLoadState('networkidle')
  await page.evaluate(WATCH_LONG_TASKS)
  const ms = (await page.evaluate(`new Promise((resolve) => {
    const t0 = performance.now();
    location.hash = ${JSON.stringify(hash)};
    const tick = () => (${READY[ready]}) ? requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0))) : requestAnimationFrame(tick);
    requestAnimationFrame(tick);
  })`)) as number
  return { ms, longestTask: (await page.evaluate(STOP_WATCHING)) as number }
}

export const uiSuite: Suite = {
  name: 'ui',
  summary: 'Chromium against serve: 5,000-node tree and 100,000-item corpus, navigation to first paint',
  async run(log) {
    const dataDir = mkdtempSync(join(tmpdir(), 'leafe-bench-ui-'))
    try {
      const t = performance.now()
      const { db } = openStore(dataPaths(dataDir).db)
      const fx = await writeFixtures(db, { seed: 1, bigTreeNodes: 5000, extraCorpusItems: 100_000 })
      db.close()
      log(`fixtures: ${fx.corpusItems} corpus items, tree episode ${fx.bigTreeEpisodeId}, in ${((performance.now() - t) / 1000).toFixed(1)} s`)
      const served = await startServe([], dataDir)
      const browser = await launchChromium()
      try {
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
        const errors: string[] = []
        page.on('pageerror', (e) => errors.push(e.message))
        await page.goto(served.url)
        await page.getByTestId('engine-badge').getByText(/Engine \d/).waitFor()

        const tree: number[] = []
        let treeTask = 0
        for (let i = 0; i < RUNS; i++) {
          const r = await timeView(page, `#/tree/${fx.bigTreeEpisodeId}`, 'tree')
          tree.push(r.ms)
          treeTask = Math.max(treeTask, r.longestTask)
        }
        const label = await page.getByTestId('branch-tree').getAttribute('aria-label')
        if (!/with 5000 nodes\./.test(label ?? '')) throw new Error(`the tree drawn is not the 5,000-node one: ${label}`)
        log(`tree_5000 (ms): ${tree.map((x) => x.toFixed(0)).join(' ')}; longest task ${treeTask.toFixed(0)} ms`)

        const corpus: number[] = []
        let corpusTask = 0
        for (let i = 0; i < RUNS; i++) {
          const r = await timeView(page, '#/corpus', 'corpus')
          corpus.push(r.ms)
          corpusTask = Math.max(corpusTask, r.longestTask)
        }
        const counted = await page.getByTestId('corpus-counts').textContent()
        if (!/100,\d{3} items/.test(counted ?? '')) throw new Error(`the corpus shown is not the 100,000-item one: ${counted}`)
        log(`corpus_100k (ms): ${corpus.map((x) => x.toFixed(0)).join(' ')}; longest task ${corpusTask.toFixed(0)} ms`)

        // Scroll the whole table in steps, as a person dragging the scrollbar would.
        await page.evaluate(WATCH_LONG_TASKS)
        await page.evaluate(`(async () => {
          const scroller = document.querySelector('[data-testid="corpus-table"] .scroller');
          for (let i = 1; i <= 60; i++) {
            scroller.scrollTop = (scroller.scrollHeight * i) / 60;
            await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
          }
          await new Promise((r) => setTimeout(r, 300));
        })()`)
        const scrollTask = (await page.evaluate(STOP_WATCHING)) as number
        log(`corpus scroll end to end: longest task ${scrollTask.toFixed(0)} ms`)
        if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`)
        return {
          tree_5000_render_ms: Number(median(tree).toFixed(1)),
          corpus_100k_first_paint_ms: Number(median(corpus).toFixed(1)),
          tree_5000_longest_task_ms: Math.round(treeTask),
          corpus_100k_longest_task_ms: Math.round(corpusTask),
          corpus_100k_scroll_longest_task_ms: Math.round(scrollTask),
        }
      } finally {
        await browser.close()
        await served.stop()
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  },
}
