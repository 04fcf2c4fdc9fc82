// In Chromium: every form starts from the defaults the CLI uses (the job
// configs' own zod defaults, which read shared/defaults.ts), and the Sokoban room is the
// quickstart's. The expected values come from the engine's schemas, not from this file, so a
// form or a schema that drifts apart fails here.
import { join } from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EvalConfig } from '../../src-main/shared/jobs/eval.ts'
import { ExploreConfig } from '../../src-main/shared/jobs/explore.ts'
import { quickstartSizes } from '../../src-main/shared/jobs/quickstart.ts'
import { EarlyExperienceConfig, GrpoConfig, LeafeSftConfig, SftConfig } from '../../src-main/shared/jobs/train.ts'
import { DEFAULTS } from '../../src-main/shared/defaults.ts'
import { artifactsDir, openWorkbench, startServe, type Served } from './harness.ts'

const tasks = { split: 'train', count: 1 }
const explore = ExploreConfig.parse({ env: 'sokoban', tasks, policy: { kind: 'random' } })
const evaluate = EvalConfig.parse({ env: 'sokoban', tasks, policies: [{ kind: 'random' }] })
const grpo = GrpoConfig.parse({ from: 1, env: 'sokoban', tasks })
const ee = EarlyExperienceConfig.parse({ from: 1, env: 'sokoban', tasks })
const leafe = LeafeSftConfig.parse({ from: 1 })
const sft = SftConfig.parse({ start: { checkpoint: 1 }, datasets: [{ path: 'x.jsonl' }] })

describe('one set of defaults, in every form', () => {
  let served: Served
  let browser: Browser
  let page: Page
  let problems: string[] = []
  const value = (scope: Page | Locator, label: string) => scope.getByLabel(label, { exact: true }).inputValue()

  beforeAll(async () => {
    served = await startServe()
    ;({ browser, page, problems } = await openWorkbench(served))
  })
  afterAll(async () => {
    await browser?.close()
    await served?.stop()
  })

  it('the quickstart, the Explore, Evaluate and Train forms and the CLI agree', async () => {
    // The quickstart's room is the default room.
    expect(quickstartSizes('standard').params).toMatchObject({ preset: DEFAULTS.sokobanPreset })

    await page.getByRole('button', { name: 'New exploration…' }).click()
    const ex = page.getByTestId('explore-form')
    expect(await value(ex, 'Sokoban preset')).toBe(DEFAULTS.sokobanPreset)
    expect(await value(ex, 'Number of tasks')).toBe(String(DEFAULTS.tasks.explore))
    expect(await value(ex, 'Budget (actions per task)')).toBe(String(explore.budget))
    expect(await value(ex, 'Branch depth')).toBe(String(explore.maxDepth))
    expect(await value(ex, 'Branches per reflection')).toBe(String(explore.branchesPerEvent))
    expect(await value(ex, 'Temperature')).toBe(String(explore.temperature))
    await page.screenshot({ path: join(artifactsDir, 'defaults-explore.png') })

    await page.getByRole('link', { name: /^Evaluate/ }).click()
    await page.getByRole('button', { name: 'Run an evaluation…' }).click()
    const ev = page.getByTestId('eval-form')
    expect(await value(ev, 'Sokoban preset')).toBe(DEFAULTS.sokobanPreset)
    expect(await value(ev, 'Number of tasks')).toBe(String(DEFAULTS.tasks.eval))
    expect(await value(ev, 'Samples per task (n)')).toBe(String(evaluate.n))
    expect(await value(ev, 'Temperature')).toBe(String(evaluate.temperature))

    await page.getByRole('link', { name: /^Train/ }).click()
    await page.getByRole('heading', { level: 1, name: 'Train' }).waitFor()
    const method = page.getByLabel('Method')
    expect(await value(page, 'β (rehearsal weight)')).toBe(String(leafe.beta))
    expect(await value(page, 'Epochs')).toBe(String(sft.epochs))
    expect(Number(await value(page, 'Learning rate'))).toBe(sft.lr)
    await method.selectOption('grpo')
    expect(await value(page, 'Sokoban preset')).toBe(DEFAULTS.sokobanPreset)
    expect(await value(page, 'Number of tasks')).toBe(String(DEFAULTS.tasks.train))
    expect(await value(page, 'Iterations')).toBe(String(grpo.iterations))
    expect(await value(page, 'Tasks per iteration')).toBe(String(grpo.tasksPerIteration))
    expect(await value(page, 'Group size G')).toBe(String(grpo.groupSize))
    expect(Number(await value(page, 'Learning rate'))).toBe(grpo.lr)
    expect(Number(await value(page, 'KL β'))).toBe(grpo.klBeta)
    expect(await value(page, 'Rows per update')).toBe(String(grpo.minibatch))
    await method.selectOption('early_experience')
    expect(await value(page, 'Alternatives per state')).toBe(String(ee.alternatives))
    expect(await value(page, 'World-model weight λ')).toBe(String(ee.worldWeight))
    await page.screenshot({ path: join(artifactsDir, 'defaults-train.png') })
  })

  it('raised no page errors', () => {
    expect(problems).toEqual([])
  })
})
