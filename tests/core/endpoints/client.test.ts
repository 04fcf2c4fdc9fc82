import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EndpointClient, EndpointError } from '../../../src-main/core/endpoints/client.ts'
import { EndpointInput, type EndpointRecord } from '../../../src-main/shared/endpoint-config.ts'
import { startOpenAIStub, type OpenAIStub } from '../../fixtures/stubs/openai-stub.ts'

let stub: OpenAIStub
beforeAll(async () => {
  stub = await startOpenAIStub({ brain: (prompt, seed) => `echo ${seed ?? '-'} ${prompt.length}` })
})
afterAll(() => stub.close())

const record = (over: Partial<EndpointRecord['settings']> = {}, mode: 'chat' | 'completion' = 'chat'): EndpointRecord => ({
  id: 1,
  ...EndpointInput.parse({ name: 'stub', baseUrl: stub.url, model: 'stub-model', mode, settings: { timeoutS: 1, backoffMs: 5, retries: 3, ...over } }),
})
const ask = { prompt: 'hello', temperature: 1, seed: 42 }

describe('the endpoint client', () => {
  it('sends the prompt, model, sampling parameters and seed, and reads the reply (chat and completion)', async () => {
    const before = stub.requests.length
    const chat = await new EndpointClient(record(), 'sk-test').complete({ ...ask, system: 'sys', topP: 0.9, maxTokens: 7 })
    expect(chat).toMatchObject({ text: 'echo 42 10', attempts: 1, finishReason: 'stop' })
    const completion = await new EndpointClient(record({}, 'completion'), undefined).complete(ask, { model: 'stub-model-lora' })
    expect(completion.text).toBe('echo 42 5')
    const [c, p] = stub.requests.slice(before)
    expect(c).toMatchObject({ path: '/v1/chat/completions', model: 'stub-model', prompt: 'sys\n\nhello', seed: 42, temperature: 1, auth: 'Bearer sk-test' })
    expect(p).toMatchObject({ path: '/v1/completions', model: 'stub-model-lora', prompt: 'hello', auth: 'Bearer none' })
  })

  it.each(['429', '500', 'hang', 'truncated', 'empty'] as const)('retries a %s and succeeds', async (kind) => {
    stub.faults.push({ kind, match: `fault-${kind}` })
    const answer = await new EndpointClient(record(), undefined).complete({ ...ask, prompt: `fault-${kind}` })
    expect(answer.attempts).toBe(2)
    expect(answer.text).toMatch(/^echo 42/)
  })

  it('gives up after the last retry with every fault counted, and at once when retrying cannot help', async () => {
    stub.faults.push({ kind: '500', match: 'always-500', times: 10 })
    const err = await new EndpointClient(record({ retries: 2 }), undefined).complete({ ...ask, prompt: 'always-500' }).catch((e) => e)
    expect(err).toBeInstanceOf(EndpointError)
    expect(err.message).toMatch(/Endpoint stub: HTTP 500: The server had an error after 3 attempts \(HTTP 500: The server had an error ×3\)/)

    stub.faults.push({ kind: '401', match: 'bad-key' })
    const auth = await new EndpointClient(record(), 'wrong').complete({ ...ask, prompt: 'bad-key' }).catch((e) => e)
    expect(auth).toBeInstanceOf(EndpointError)
    expect(auth.attempts).toBe(1)
    expect(auth.message).toContain('HTTP 401: Invalid API key (check the API key)')

    const missing = await new EndpointClient(record(), undefined).complete(ask, { model: 'no-such-model' }).catch((e) => e)
    expect(missing.message).toMatch(/HTTP 404.*does not exist.*check the base URL and the model name/)
  })

  it('names an unreachable server', async () => {
    const dead = { ...record({ retries: 1 }), baseUrl: 'http://127.0.0.1:9/v1' }
    const err = await new EndpointClient(dead, undefined).complete(ask).catch((e) => e)
    expect(err.message).toMatch(/cannot reach the server .* after 2 attempts/)
  })

  it('keeps at most `concurrency` requests in flight at the server', async () => {
    const client = new EndpointClient(record({ concurrency: 2 }), undefined)
    stub.delayMs = 40
    stub.inFlight.most = 0
    try {
      const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => client.complete({ ...ask, prompt: `p${i}` })))
      expect(answers.map((a) => a.text)).toEqual(Array.from({ length: 6 }, () => 'echo 42 2'))
      expect(stub.inFlight.most).toBe(2)
      stub.inFlight.most = 0
      await Promise.all(Array.from({ length: 6 }, (_, i) => new EndpointClient(record({ concurrency: 8 }), undefined).complete({ ...ask, prompt: `q${i}` })))
      expect(stub.inFlight.most).toBeGreaterThan(2)
    } finally {
      stub.delayMs = 0
    }
  })

  it('lists the models', async () => {
    expect(await new EndpointClient(record(), undefined).models()).toEqual(['stub-model', 'stub-model-lora'])
  })
})
