import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EndpointClient } from '../../../src-main/core/endpoints/client.ts'
import { EndpointInput, Extraction } from '../../../src-main/shared/endpoint-config.ts'
import { extractAction } from '../../../src-main/core/endpoints/extract.ts'
import { household } from '../../../src-main/core/envs/household/environment.ts'
import { sokoban } from '../../../src-main/core/envs/sokoban/environment.ts'
import type { Context } from '../../../src-main/core/envs/types.ts'
import { EndpointPolicy } from '../../../src-main/core/policies/endpoint.ts'
import { startOpenAIStub, type Brain, type OpenAIStub } from '../../fixtures/stubs/openai-stub.ts'

let stub: OpenAIStub
let brain: Brain = () => 'up'
beforeAll(async () => {
  stub = await startOpenAIStub({ brain: (p, s) => brain(p, s) })
})
afterAll(() => stub.close())

const client = (mode: 'chat' | 'completion' = 'chat', retries = 1) =>
  new EndpointClient({ id: 1, ...EndpointInput.parse({ name: 's', baseUrl: stub.url, model: 'stub-model', mode, settings: { retries, backoffMs: 1, timeoutS: 2 } }) }, undefined)

async function contexts(n: number): Promise<Context[]> {
  const tasks = sokoban.tasks('train', n, 1)
  return Promise.all(
    tasks.map(async (task) => {
      const s = await sokoban.open(task)
      return { task, initial: await s.reset(), history: [] }
    }),
  )
}

describe('the endpoint policy', () => {
  it('asks with the readable prompt and system message, a seed per context, and keeps the raw reply', async () => {
    brain = (_p, seed) => `Let me think.\nI will go ${['up', 'down', 'left', 'right'][seed! % 4]}.`
    const before = stub.requests.length
    const ctxs = await contexts(3)
    const policy = new EndpointPolicy(client(), sokoban, { extraction: { kind: 'env' } })
    const decisions = await policy.decide(ctxs, { temperature: 0.8, topP: 0.95, seeds: [11, 12, 13] })
    expect(decisions).toEqual([
      { action: 'right', raw: 'Let me think.\nI will go right.' },
      { action: 'up', raw: 'Let me think.\nI will go up.' },
      { action: 'down', raw: 'Let me think.\nI will go down.' },
    ])
    const sent = stub.requests.slice(before)
    expect(sent.map((r) => r.seed)).toEqual([11, 12, 13])
    expect(sent[0]!.temperature).toBe(0.8)
    expect(sent[0]!.prompt).toContain(sokoban.renderer.system(ctxs[0]!.task))
    expect(sent[0]!.prompt).toContain(sokoban.renderer.render(ctxs[0]!, 'readable'))
    expect(policy.id).toBe('endpoint:s/stub-model')
  })

  it('gives one context an error when its request keeps failing, and the others their actions', async () => {
    brain = () => 'left'
    const ctxs = await contexts(3)
    stub.faults.push({ kind: '500', match: ctxs[1]!.initial.observation, times: 5 })
    const decisions = await new EndpointPolicy(client('completion'), sokoban, { extraction: { kind: 'env' } }).decide(ctxs, { temperature: 1, seeds: [1, 2, 3] })
    expect(decisions[0]).toEqual({ action: 'left', raw: 'left' })
    expect(decisions[2]).toEqual({ action: 'left', raw: 'left' })
    expect(decisions[1]!.error).toMatch(/Endpoint s: HTTP 500.* after 2 attempts/)
    // act(), for callers without per-context errors, fails the call instead (the fault fires 3 more times).
    await expect(new EndpointPolicy(client('completion', 0), sokoban, { extraction: { kind: 'env' } }).act(ctxs, { temperature: 1 })).rejects.toThrow(/HTTP 500/)
  })
})

describe('action extraction', () => {
  const reply = 'Thought: the box is stuck.\n{"action": "Down", "why": "x"}\nAction: left\nfinal answer: up'
  it.each([
    [{ kind: 'env' }, 'up'], // Sokoban's parser takes the last direction word
    [{ kind: 'last-line' }, 'up'],
    [{ kind: 'regex', pattern: '^Action: (\\w+)$' }, 'left'],
    [{ kind: 'json', field: 'action' }, 'down'],
  ] as const)('%j reads %s, canonical for the environment', (how, want) => {
    expect(extractAction(reply, Extraction.parse(how), sokoban)).toBe(want)
  })

  it('passes what it cannot read on as written, for the environment to refuse', () => {
    expect(extractAction('no json here', Extraction.parse({ kind: 'json', field: 'step.action' }), household)).toBe('no json here')
    expect(extractAction('{"step": {"action": "Open Fridge 1"}}', Extraction.parse({ kind: 'json', field: 'step.action' }), household)).toBe('open fridge 1')
  })

  it('refuses a pattern that does not compile', () => {
    const r = Extraction.safeParse({ kind: 'regex', pattern: '(' })
    expect(r.success).toBe(false)
    expect(r.error!.issues[0]!.message).toBe('is not a valid regular expression')
  })
})
