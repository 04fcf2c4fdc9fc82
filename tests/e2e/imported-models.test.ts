// Imported Hugging Face models in Chromium: a model imported with `leafe model import` is listed
// in Settings with its family, parameters, weights and tokenizer, and the Train form offers LoRA
// on it for LEAFE Stage 2, GRPO and Early Experience — the jobs it starts carry the adapter's settings.
import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTinyModel } from '../fixtures/hf-models.ts'
import { apiCaller, artifactsDir, openWorkbench, startServe, type Served } from './harness.ts'

describe('imported models in Settings and the Train form', () => {
  let served: Served
  let browser: Browser
  let page: Page
  let problems: string[] = []
  let api: ReturnType<typeof apiCaller>
  let id: number

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'leafe-e2e-'))
    const src = join(mkdtempSync(join(tmpdir(), 'leafe-hf-')), 'tiny-qwen')
    writeTinyModel(src, 'qwen2', { dtype: 'BF16' })
    const imported = spawnSync(process.execPath, ['bin/leafe.js', 'model', 'import', src, '--name', 'tiny qwen', '--json', '--data-dir', dataDir], { encoding: 'utf8' })
    expect(imported.stderr).toBe('')
    id = (JSON.parse(imported.stdout) as { id: number }).id
    served = await startServe([], dataDir)
    api = apiCaller(served)
    ;({ browser, page, problems } = await openWorkbench(served))
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await served?.stop()
  })

  it('Settings lists the model: family, parameters, weights, tokenizer', async () => {
    await page.getByRole('link', { name: /^Settings/ }).click()
    const row = page.getByTestId('imported-models').getByRole('row', { name: /tiny qwen/ })
    await row.waitFor()
    const cells = await row.getByRole('cell').allInnerTexts()
    // qwen2, hidden 16, 2 heads of 8, 1 kv head, MLP 32, 2 layers, vocabulary 272, untied head:
    // 2·272·16 + 2·(272 + 136 + 136 + 256 + 3·512 + 2·16) + 16 = 13,456 parameters, stored in bf16.
    expect(cells).toEqual([`tiny qwen #${id}`, 'qwen2', '13.5k', 'BF16', 'vocabulary 272, chat template', 'base'])
    await page.screenshot({ path: join(artifactsDir, 'imported-models-settings.png') })
  })

  it('the Train form offers LoRA on it for LEAFE Stage 2, GRPO and Early Experience, and the jobs carry the settings', async () => {
    await page.getByRole('link', { name: /^Train/ }).click()
    await page.getByRole('heading', { level: 1, name: 'Train' }).waitFor()
    const form = page.getByTestId('train-form')
    await form.getByLabel('Start checkpoint').selectOption(String(id))
    const lora = form.getByTestId('train-lora')
    await lora.waitFor()
    await lora.getByLabel('Rank r').fill('4')
    await lora.getByLabel('α').fill('8')
    await lora.getByLabel('Dropout').fill('0.05')
    await lora.getByLabel('Target modules').fill('q_proj, v_proj, down_proj')
    await form.getByLabel('Examples per pass').fill('2')
    await page.screenshot({ path: join(artifactsDir, 'imported-models-train.png') })
    await form.getByRole('button', { name: 'Start training' }).click()
    const adapter = { r: 4, alpha: 8, dropout: 0.05, targetModules: ['q_proj', 'v_proj', 'down_proj'] }
    const jobOf = async (kind: string) => {
      for (let i = 0; i < 100; i++) {
        const job = ((await api('jobs.list', {})) as { id: number; kind: string; params: { config: Record<string, unknown> } }[]).find((j) => j.kind === kind)
        if (job) return job
        await new Promise((r) => setTimeout(r, 100))
      }
      throw new Error(`no ${kind} job was started`)
    }
    const stage2 = await jobOf('leafe_sft')
    expect(stage2.params.config).toMatchObject({ from: id, train: { microBatch: 2, lora: adapter } })

    await form.getByLabel('Method').selectOption('grpo')
    await form.getByLabel('Rows per update').fill('16')
    await form.getByRole('button', { name: 'Start training' }).click()
    const grpo = await jobOf('grpo')
    expect(grpo.params.config).toMatchObject({ from: id, minibatch: 16, lora: adapter })
    await api('jobs.cancel', { id: grpo.id })

    // Early Experience passes the adapter to its SFT phase, as Stage 2 does.
    await form.getByLabel('Method').selectOption('early_experience')
    await lora.getByText('learns the next observation').waitFor()
    await form.getByRole('button', { name: 'Start training' }).click()
    const ee = await jobOf('early_experience')
    expect(ee.params.config).toMatchObject({ from: id, train: { microBatch: 2, lora: adapter } })
    await api('jobs.cancel', { id: ee.id })
  }, 120_000)

  it('raised no page errors', () => {
    expect(problems).toEqual([])
  })
})
