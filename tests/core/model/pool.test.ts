import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Context, Environment, PromptForm } from '../../../src-main/core/envs/types.ts'
import { SamplerPool } from '../../../src-main/core/model/pool.ts'
import { encodePrompt } from '../../../src-main/core/model/tokenizer.ts'
import { createModel, exportWeights, presets } from '../../../src-main/core/model/transformer.ts'
import { LocalPolicy } from '../../../src-main/core/policies/local.ts'
import { useWasm } from './tf.ts'

const config = { ...presets.nano, dModel: 32, nLayers: 2, nHeads: 2, contextLength: 48 }
let weights: Float32Array
let threaded: SamplerPool
beforeAll(async () => {
  await useWasm()
  weights = exportWeights(createModel(config, 21))
  threaded = await SamplerPool.open({ config, weights }, { threads: 2, backend: 'wasm', chunk: 5 })
})
afterAll(() => threaded.close())

// A grid world whose compact form is the grid itself and whose actions are written as one letter.
const long = { up: 'u', down: 'd', left: 'l', right: 'r' } as Record<string, string>
const env: Environment = {
  id: 'grid',
  label: 'grid',
  tasks: () => [],
  open: () => Promise.reject(new Error('not needed')),
  actionSpace: ['up', 'down', 'left', 'right'],
  renderer: {
    system: () => '',
    render: (ctx: Context, form: PromptForm) => (form === 'compact' ? ctx.initial.observation.replace(/\n/g, '') : ctx.initial.observation),
    formatAction: (a: string, form: PromptForm) => (form === 'compact' ? (long[a] ?? a) : a),
    parseAction: (text: string) => Object.keys(long).find((k) => long[k] === text.trim()) ?? text,
  },
}
const ctx = (obs: string, extra: Partial<Context> = {}): Context => ({
  task: { env: 'grid', id: obs, split: 'test', seed: 0, instruction: '' },
  initial: { observation: obs, feedback: '', reward: 0, done: false, success: false, valid: true },
  history: [],
  ...extra,
})

describe('sampler pool and local policy', () => {
  it('samples the same in two threads as in the calling thread, whatever the chunking', async () => {
    const prompts = Array.from({ length: 23 }, (_, i) => encodePrompt(`#@ $.${'x'.repeat(i % 7)}`))
    const opts = { temperature: 1, maxTokens: 6, seed: 3 }
    const local = await SamplerPool.open({ config, weights }, { threads: 0, backend: 'wasm', chunk: 64 })
    const a = await local.generate(prompts, prompts.map(() => undefined), opts)
    const b = await threaded.generate(prompts, prompts.map(() => undefined), opts)
    expect(b).toEqual(a)
    expect(await threaded.score([{ prompt: 'ab', target: 'u' }])).toEqual(await local.score([{ prompt: 'ab', target: 'u' }]))
    await local.close()
  })

  it('acts with valid actions only, honours avoid lists, and is reproducible from seeds', async () => {
    const policy = await LocalPolicy.open('test', env, { config, weights }, { threads: 0, backend: 'wasm' })
    const contexts = Array.from({ length: 40 }, (_, i) => ctx(`#@ $\n.${i}`))
    const acts = await policy.act(contexts, { temperature: 1.5, seed: 9 })
    expect(acts.every((a) => env.actionSpace!.includes(a))).toBe(true)
    expect(new Set(acts).size).toBeGreaterThan(1)
    expect(await policy.act(contexts, { temperature: 1.5, seed: 9 })).toEqual(acts)
    const limited = await policy.act(contexts.map((c) => ({ ...c, validActions: ['up', 'left'], avoid: ['up'] })), { temperature: 1.5, seed: 9 })
    expect(new Set(limited)).toEqual(new Set(['left']))
    const lp = await policy.logProbs([{ context: contexts[0]!, action: 'up' }])
    expect(lp[0]).toBeLessThan(0)
    await policy.close()
  })

  it('reports a thread that cannot load its checkpoint', async () => {
    await expect(SamplerPool.open({ checkpointPath: '/nonexistent/ck' }, { threads: 1, backend: 'wasm' })).rejects.toThrow(/model.json cannot be read/)
  })
})
