import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EndpointClient } from '../../../src-main/core/endpoints/client.ts'
import { EndpointInput } from '../../../src-main/shared/endpoint-config.ts'
import { household } from '../../../src-main/core/envs/household/environment.ts'
import { sokoban } from '../../../src-main/core/envs/sokoban/environment.ts'
import {
  DEFAULT_REFLECTION_TEMPLATE, defaultReflectionTemplate, llmReflector, parseReflectionReply, renderReflectionPrompt, templateProblem, type ReflectionRequest,
} from '../../../src-main/core/explore/reflectors.ts'
import { endpointComplete } from '../../../src-main/core/policies/endpoint.ts'
import { startOpenAIStub, vaultBrain, type OpenAIStub } from '../../fixtures/stubs/openai-stub.ts'

const step = (observation: string, done = false) => ({ observation, feedback: observation, reward: 0, done, success: false, valid: true })
const req: ReflectionRequest = {
  task: { env: 'vault', id: 'v/1', split: 'train', seed: 1, instruction: 'Open the vault.' },
  initial: step('You are in front of vault 1.'),
  actions: ['pull lever red', 'pull lever blue'],
  steps: [step('The lever clicks into place. 1 of 3 levers are set.'), step('The lever jams and the vault seals shut: lever 2 must not be blue.', true)],
  failed: true,
}

let stub: OpenAIStub
beforeAll(async () => {
  stub = await startOpenAIStub({ brain: vaultBrain })
})
afterAll(() => stub.close())

const client = () => new EndpointClient({ id: 1, ...EndpointInput.parse({ name: 'r', baseUrl: stub.url, model: 'stub-model', settings: { retries: 2, backoffMs: 1 } }) }, undefined)

describe('the LLM reflector over an endpoint', () => {
  it('asks with the template and reads (tau, e, avoid) from the reply', async () => {
    const r = await llmReflector(endpointComplete(client(), { seed: 5 })).reflect(req)
    expect(r).toEqual({ rollbackStep: 2, experience: 'At step 2 the lever must not be blue; pull another colour there.', avoid: ['pull lever blue'], source: 'llm' })
    const sent = stub.requests[stub.requests.length - 1]!
    expect(sent.prompt).toBe(renderReflectionPrompt(req))
    expect(sent.prompt).toContain('2. action: pull lever blue\n   result: The lever jams') // one text shown once
  })

  it('asks again after a malformed reply, with another seed, and fails after the last attempt', async () => {
    stub.faults.push({ kind: 'prose', match: 'Open the vault.' })
    const before = stub.requests.length
    const r = await llmReflector(endpointComplete(client(), { seed: 5 }), { attempts: 3 }).reflect(req)
    expect(r).toMatchObject({ rollbackStep: 2 })
    const [first, second] = stub.requests.slice(before)
    expect(first!.answered).toBe('prose')
    expect(second!.seed).not.toBe(first!.seed)

    stub.faults.push({ kind: 'prose', match: 'Open the vault.', times: 3 })
    await expect(llmReflector(endpointComplete(client(), { seed: 5 }), { attempts: 3 }).reflect(req)).rejects.toThrow(
      /LLM reflection failed after 3 attempts: the reply contains no JSON object; the reply contains no JSON object; the reply contains no JSON object/,
    )
  })

  it('lets an endpoint that keeps failing fail the reflection (the engine records it and goes on)', async () => {
    stub.faults.push({ kind: '500', match: 'Open the vault.', times: 3 })
    await expect(llmReflector(endpointComplete(client(), { seed: 5 })).reflect(req)).rejects.toThrow(/Endpoint r: HTTP 500.*after 3 attempts/)
  })

  it('validates replies strictly', () => {
    expect(parseReflectionReply('{"rollback_step": 3, "experience": "x"}', 2)).toEqual({ ok: false, reason: 'rollback_step 3 is outside the trajectory (1..2)' })
    expect(parseReflectionReply('{"rollback_step": 1, "experience": "  "}', 2)).toEqual({ ok: false, reason: 'experience is missing or empty' })
    expect(parseReflectionReply('{"rollback_step": 1.5, "experience": "x"}', 2)).toMatchObject({ ok: false })
    expect(parseReflectionReply('{"rollback_step": 1, "experience": "x"', 2)).toMatchObject({ ok: false, reason: 'the reply contains no JSON object' })
  })
})

describe('reflection templates', () => {
  it('defaults per environment: the general template with what the environment knows of its mistakes', () => {
    expect(defaultReflectionTemplate({})).toBe(DEFAULT_REFLECTION_TEMPLATE)
    for (const env of [sokoban, household]) {
      expect(env.reflectionGuidance).toBeTruthy()
      const t = defaultReflectionTemplate(env)
      expect(t).toContain(env.reflectionGuidance!)
      expect(templateProblem(t)).toBeNull()
    }
  })

  it('refuses a template without the trajectory or with unknown placeholders', () => {
    expect(templateProblem('Say something.')).toMatch(/must contain \{\{trajectory\}\}/)
    expect(templateProblem('{{trajectory}} {{goal}} {{ steps }}')).toBe('unknown placeholder {{goal}} (known: {{instruction}}, {{trajectory}}, {{outcome}}, {{steps}})')
  })
})
