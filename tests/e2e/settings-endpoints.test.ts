// Settings in Chromium against a real `leafe serve`: add an endpoint (saving probes it, and the
// probe shows), add a remote environment and check it, edit a reflection template — with the
// loopback stubs standing in for vLLM and an AgentGym server.
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAgentGymStub, type AgentGymStub } from '../fixtures/stubs/agentgym-stub.ts'
import { seededEcho, startOpenAIStub, type OpenAIStub } from '../fixtures/stubs/openai-stub.ts'
import { artifactsDir, launchChromium, startServe, type Served } from './harness.ts'

describe('Settings: endpoints, remote environments and prompts in Chromium', () => {
  let served: Served
  let browser: Browser
  let page: Page
  let llm: OpenAIStub
  let gym: AgentGymStub
  const problems: string[] = []

  beforeAll(async () => {
    llm = await startOpenAIStub({ brain: seededEcho })
    gym = await startAgentGymStub('alfworld')
    served = await startServe()
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`)
    })
    await page.goto(served.url)
    await page.getByRole('link', { name: /^Settings/ }).click()
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor()
    // The environments table waits for the code sandbox's probe; let it finish before the forms are used.
    await page.getByTestId('environments').locator('table').waitFor({ timeout: 120_000 })
  })
  afterAll(async () => {
    await browser?.close()
    await served?.stop()
    await llm?.close()
    await gym?.close()
  })

  it('adds an endpoint, probes it on save, and shows what the probe found and where the key comes from', async () => {
    const form = page.getByRole('form', { name: 'Add an endpoint' })
    await form.getByLabel('Name').fill('stub')
    await form.getByLabel('Base URL').fill(llm.url)
    await form.getByLabel('Model').fill('stub-model')
    await form.getByRole('button', { name: 'Save and probe' }).click()
    const row = page.getByRole('article', { name: 'Endpoint stub' })
    await row.getByTestId('endpoint-probe').getByText('answers').waitFor({ timeout: 60_000 })
    await expect.poll(async () => (await row.getByTestId('endpoint-probe').textContent())?.replace(/\s+/g, ' ')).toMatch(/answers · models: 2 listed, this one among them · seed reproduces a reply · logprobs yes/)
    expect(await row.getByTestId('endpoint-key').textContent()).toMatch(/none — set LEAFE_ENDPOINT_KEY_STUB in serve's environment/)
    // serve has no keychain: no key field is offered.
    expect(await row.getByLabel(/API key/).count()).toBe(0)
    await row.getByLabel('Checkpoint name').fill('stub LoRA')
    await row.getByLabel(/^Model \(default/).fill('stub-model-lora')
    await row.getByRole('button', { name: 'Register as checkpoint' }).click()
    await row.getByText(/Checkpoint \d+ "stub LoRA" registered/).waitFor()
    await page.screenshot({ path: join(artifactsDir, 'settings-endpoints.png'), fullPage: true })
  })

  it('shows a bad URL as a readable notice', async () => {
    const form = page.getByRole('form', { name: 'Add an endpoint' })
    await form.getByLabel('Name').fill('broken')
    await form.getByLabel('Base URL').fill('localhost:8000')
    await form.getByLabel('Model').fill('m')
    await form.getByRole('button', { name: 'Save and probe' }).click()
    await page.getByText(/baseUrl: must be an http:\/\/ or https:\/\/ URL/).waitFor()
  })

  it('adds a remote environment and checks it against the server', async () => {
    const form = page.getByRole('form', { name: 'Add a remote environment' })
    await form.getByLabel('Name').fill('vault')
    await form.getByLabel('Server URL').fill(gym.url)
    await form.getByLabel('Profile').selectOption('alfworld')
    await form.getByLabel('Splits (task indices)').fill('train=0:100, test=100:120')
    await form.getByRole('button', { name: 'Save and check' }).click()
    const table = page.getByTestId('remote-envs')
    await table.getByText(/Created an environment and reset it to task 0 \(split "train"\)/).waitFor()
    expect(await table.getByText('ALFWorld (AgentGym server)').count()).toBe(1)
  })

  it("edits an environment's reflection template and extraction, refuses a template without the trajectory, and restores the default", async () => {
    const form = page.getByRole('form', { name: 'Prompts for served models' })
    await form.getByLabel('Environment', { exact: true }).selectOption('vault')
    const template = form.getByLabel(/LLM reflection template/)
    await expect.poll(() => template.inputValue()).toMatch(/In this household world/)
    await template.fill('Nothing to see.')
    await form.getByRole('button', { name: 'Save' }).click()
    await page.getByText(/the template must contain \{\{trajectory\}\}/).waitFor()
    await template.fill('Blame a step:\n{{trajectory}}\nJSON only.')
    await form.getByLabel('Read the action from', { exact: true }).selectOption('regex')
    await form.getByLabel(/Pattern/).fill('^Action: (.*)$')
    await form.getByRole('button', { name: 'Save' }).click()
    await form.getByText('Saved.').waitFor()
    await expect.poll(() => form.getByText(/\(edited\)/).count()).toBe(1)
    await form.getByRole('button', { name: 'Restore the default template' }).click()
    await expect.poll(() => template.inputValue()).toMatch(/In this household world/)
    expect(await form.getByLabel('Read the action from', { exact: true }).inputValue()).toBe('regex')
  })

  it('raised no page errors', () => {
    expect(problems).toEqual([])
  })
})
