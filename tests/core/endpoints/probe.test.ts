import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EndpointInput, type EndpointRecord } from '../../../src-main/shared/endpoint-config.ts'
import { probeEndpoint } from '../../../src-main/core/endpoints/probe.ts'
import { seededEcho, startOpenAIStub, type OpenAIStub } from '../../fixtures/stubs/openai-stub.ts'

const stubs: OpenAIStub[] = []
afterAll(async () => {
  for (const s of stubs) await s.close()
})
const start = async (o: Parameters<typeof startOpenAIStub>[0]) => {
  const s = await startOpenAIStub(o)
  stubs.push(s)
  return s
}
const record = (url: string, over: Partial<EndpointInput> = {}): EndpointRecord => ({ id: 1, ...EndpointInput.parse({ name: 'p', baseUrl: url, model: 'stub-model', ...over }) })

describe('the capability probe', () => {
  let seeded: OpenAIStub
  beforeAll(async () => {
    seeded = await start({ brain: seededEcho })
  })

  it('lists the models, finds that the seed reproduces a reply, sees log-probabilities, times a reply', async () => {
    for (const mode of ['chat', 'completion'] as const) {
      const p = await probeEndpoint(record(seeded.url, { mode }), undefined)
      expect(p).toMatchObject({ ok: true, models: ['stub-model', 'stub-model-lora'], modelListed: true, seedReproduces: true, logprobs: true, notes: [] })
      expect(p.latencyMs).toBeGreaterThanOrEqual(0)
    }
  })

  it('says so when the seed does not reproduce, logprobs are missing, or the model is not listed', async () => {
    const noisy = await start({ brain: () => `reply ${Math.random()}`, logprobs: false, models: ['stub-model', 'other'] })
    const p = await probeEndpoint(record(noisy.url), undefined)
    expect(p).toMatchObject({ ok: true, seedReproduces: false, logprobs: false, modelListed: true })
    expect(p.notes.join(' ')).toMatch(/same seed gave a different reply.*No log-probabilities/)
    const wrong = await probeEndpoint(record(noisy.url, { model: 'stub-model-2' }), undefined)
    expect(wrong).toMatchObject({ ok: false, modelListed: false, seedReproduces: null })
    expect(wrong.notes[0]).toMatch(/Model "stub-model-2" is not among the 2 listed \(e.g. stub-model, other\)/)
    expect(wrong.notes[1]).toMatch(/A chat request failed: .*HTTP 404/)
  })

  it('reports a server that is not there, without retrying for long', async () => {
    const t0 = Date.now()
    const p = await probeEndpoint(record('http://127.0.0.1:9/v1'), undefined)
    expect(p).toMatchObject({ ok: false, models: null, modelListed: null })
    expect(p.notes.join(' ')).toMatch(/does not list models .*A chat request failed: Endpoint p: cannot reach the server/)
    expect(Date.now() - t0).toBeLessThan(10_000)
  })
})
