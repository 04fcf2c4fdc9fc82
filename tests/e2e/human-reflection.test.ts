// From the UI alone on an empty data directory: an exploration with the `human`
// reflector waits for you ("waiting for you", with a count in the sidebar) until every attempt
// is answered or skipped; the answered one branches in its tree, and then the job finishes.
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiCaller, artifactsDir, openWorkbench, startServe, type Served } from './harness.ts'

describe('the human reflector in Chromium', () => {
  let served: Served
  let browser: Browser
  let page: Page
  let problems: string[] = []
  let api: ReturnType<typeof apiCaller>
  const shot = (name: string) => page.screenshot({ path: join(artifactsDir, `human-${name}.png`) })

  beforeAll(async () => {
    served = await startServe()
    api = apiCaller(served)
    ;({ browser, page, problems } = await openWorkbench(served))
  })
  afterAll(async () => {
    await browser?.close()
    await served?.stop()
  })

  it('waits for you, branches from the answered attempt, and finishes once the other is skipped', async () => {
    await page.getByRole('button', { name: 'New exploration…' }).click()
    const form = page.getByTestId('explore-form')
    await form.getByLabel('Environment').selectOption('sokoban')
    // Of these three levels random play solves the second at its first attempt (seeded): two wait.
    await form.getByLabel('Number of tasks').fill('3')
    await form.getByLabel('Sokoban preset').selectOption('6x6-1')
    await form.getByLabel('Policy').selectOption('random')
    await form.getByLabel('Reflector').selectOption('human')
    // One failed attempt of 20 moves, then 10 actions left: for the branch, or a fresh try after a skip.
    await form.getByLabel('Budget (actions per task)').fill('30')
    await form.getByRole('button', { name: 'Start exploration' }).click()

    const line = form.getByTestId('job-line')
    await expect.poll(() => line.getAttribute('data-status'), { timeout: 60_000 }).toBe('waiting for you')
    const badge = page.getByTestId('nav-waiting')
    await expect.poll(() => badge.getAttribute('aria-label'), { timeout: 30_000 }).toBe('2 waiting for you')
    const waiting = page.getByTestId('waiting-reflections')
    await waiting.getByText('2 attempts wait for your reflection').waitFor({ timeout: 30_000 })
    await shot('waiting')
    const [first, second] = (await api('reflections.pending', {})) as { id: number; episodeId: number; failedNodeId: number }[]
    // It waits: no step is taken while both attempts wait (the job is not done).
    expect((await api('jobs.list', {}))[0].status).toBe('running')

    // Answer the first in the Tree view: tau = 1, with an experience.
    await waiting.getByRole('button', { name: /Reflect on/ }).first().click()
    await page.getByRole('heading', { level: 1, name: 'Branch tree' }).waitFor()
    const reflect = page.getByTestId('human-reflection')
    await reflect.getByRole('radio', { name: /^step 1:/ }).check()
    await reflect.getByLabel('What should it do instead? (e)').fill('The first move walked away from the box; walk towards it.')
    await reflect.getByRole('button', { name: 'Send reflection' }).click()
    await page.getByRole('status').filter({ hasText: 'Reflection sent (τ = 1)' }).waitFor()
    // The engine takes the answer at its next look and branches (its part, however slow the
    // machine); then the tree shows it, live, without a reload: a branch point with τ = 1.
    await expect
      .poll(async () => (await api('episodes.tree', { id: first!.episodeId })).branchEvents.some((e: { reflector: string; childNodeId: number | null }) => e.reflector === 'human' && e.childNodeId !== null), { timeout: 90_000 })
      .toBe(true)
    const tree = page.getByTestId('branch-tree')
    await tree.locator('text.tau-label').filter({ hasText: 'τ=1' }).waitFor({ timeout: 15_000 })
    await page.getByText(/ · 1 branch event$/).waitFor()
    await shot('branched')
    await expect.poll(() => badge.getAttribute('aria-label'), { timeout: 30_000 }).toBe('1 waiting for you')

    // Skip the second: the job is then free to finish.
    await page.getByRole('link', { name: /^Episodes/ }).click()
    await page.getByRole('button', { name: /Reflect on/ }).first().click()
    await page.getByRole('heading', { level: 1, name: 'Branch tree' }).waitFor()
    await page.getByTestId('human-reflection').getByRole('button', { name: 'Skip this attempt' }).click()
    await page.getByTestId('human-reflection').waitFor({ state: 'detached' })
    await expect.poll(async () => (await api('jobs.list', {}))[0].status, { timeout: 60_000 }).toBe('done')
    await badge.waitFor({ state: 'detached' })

    // What the store says: the first attempt's reflection became a human branch event with its child.
    const t1 = await api('episodes.tree', { id: first!.episodeId })
    const ev = t1.branchEvents.find((e: { reflector: string }) => e.reflector === 'human')
    expect(ev).toMatchObject({ tau: 1 })
    expect(ev.childNodeId).not.toBeNull()
    const t2 = await api('episodes.tree', { id: second!.episodeId })
    expect(t2.branchEvents).toEqual([])
    expect(await api('reflections.pending', {})).toEqual([])
    await page.getByRole('link', { name: /^Episodes/ }).click()
    await page.getByTestId('waiting-reflections').waitFor({ state: 'detached' })
    await shot('done')
  }, 180_000)

  it('raised no page errors', () => {
    expect(problems).toEqual([])
  })
})
