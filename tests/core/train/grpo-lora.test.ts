// GRPO with a LoRA adapter on an imported model (a tiny random Qwen2 in the real HF format): the
// log-probabilities the objective takes are those of HfPolicy's own sampler, one update moves
// them the way the advantage says, and the job trains an adapter on the frozen base that resumes
// where it stopped.
import * as tf from '@tensorflow/tfjs-core'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Context } from '../../../src-main/core/envs/types.ts'
import { registerEnvironment } from '../../../src-main/core/envs/registry.ts'
import { saveCheckpoint } from '../../../src-main/core/model/checkpoint.ts'
import { encodeHfExample, promptIds } from '../../../src-main/core/model/hf/chat-format.ts'
import { loadHfCheckpoint } from '../../../src-main/core/model/hf/checkpoint.ts'
import { nextLogProbs } from '../../../src-main/core/model/hf/generate.ts'
import { createLora, loraParams } from '../../../src-main/core/model/hf/lora.ts'
import { createModel, exportWeights, presets } from '../../../src-main/core/model/transformer.ts'
import { HfPolicy } from '../../../src-main/core/policies/hf.ts'
import { run as grpo, type GrpoResult, type GrpoState } from '../../../src-main/core/train/grpo.ts'
import { hfMinibatchObjective, hfRolloutRows, hfRowLogProbs } from '../../../src-main/core/train/grpo-lora.ts'
import { AdamW, trainStep } from '../../../src-main/core/train/optimizer.ts'
import { corridorEnv } from '../../fixtures/corridor-env.ts'
import { importedTinyModel } from '../../fixtures/hf-models.ts'
import { inlineJobContext } from '../../fixtures/job-context.ts'
import { useWasm } from '../model/tf.ts'

const env = corridorEnv({ length: 3, trapAt: 0, trapFor: (t) => t.seed % 3, stepLimit: 5 })
registerEnvironment(env)

beforeAll(async () => {
  await useWasm()
})

const setup = () => importedTinyModel('qwen2', { configOverride: { max_position_embeddings: 128 } })

/** A policy on the tiny model with a fresh adapter whose B is random, so the adapter changes the model. */
function policyOn(s: ReturnType<typeof setup>, on = env) {
  const loaded = loadHfCheckpoint(s.db, s.dataDir, s.base.id)
  const spec = { r: 4, alpha: 8, dropout: 0, targetModules: ['q_proj', 'v_proj'] }
  const lora = createLora(loaded.config, spec, 1)
  let i = 0
  for (const l of lora.layers.values()) tf.tidy(() => l.B.assign(tf.randomNormal(l.B.shape, 0, 0.5, 'float32', ++i)))
  return { policy: new HfPolicy('test', on, { ...loaded, lora: { spec, lora } }), loaded, lora }
}

const task = env.tasks('train', 1, 0)[0]!
const initial = { observation: 'cell 0', feedback: 'start', reward: 0, done: false, success: false, valid: true }
const ctx = (validActions?: string[]): Context => ({ task, initial, history: [], ...(validActions ? { validActions } : {}) })
const values = (t: tf.Tensor) => {
  const v = Array.from(t.dataSync())
  t.dispose()
  return v
}

describe('GRPO with LoRA on an imported model', () => {
  it("takes log-probs under HfPolicy's own sampler: a softmax over the choices at T, or the generated reply's tokens at T", async () => {
    const s = setup()
    const { policy, loaded, lora } = policyOn(s)
    try {
      // Known choices: act() draws among them with softmax(Σ log p(reply) / T).
      const T = 0.7
      const [a, b] = await policy.logProbs([{ context: ctx(), action: 'a' }, { context: ctx(), action: 'b' }])
      const lse = Math.log(Math.exp(a! / T) + Math.exp(b! / T))
      expect(values(tf.tidy(() => policy.samplerLogProbs([{ context: ctx(), action: 'a' }, { context: ctx(), action: 'b' }], T)))).toEqual([
        expect.closeTo(a! / T - lse, 5), expect.closeTo(b! / T - lse, 5),
      ])

      // No choices: the reply's tokens, each at temperature T, by hand from the next-token log-probs.
      const free = new HfPolicy('free', { ...env, actionSpace: undefined }, { ...loaded, lora: { spec: { r: 4, alpha: 8, dropout: 0, targetModules: ['q_proj', 'v_proj'] }, lora } })
      const prompt = promptIds(loaded.tokenizer, { system: 'Walk the corridor.', user: env.renderer.render(ctx(), 'readable') })
      const example = encodeHfExample(loaded.tokenizer, loaded.config, { system: 'Walk the corridor.', user: env.renderer.render(ctx(), 'readable') }, 'go a')
      const reply = example.ids.slice(prompt.length)
      let byHand = 0
      reply.forEach((id, j) => {
        const lp = nextLogProbs(loaded.model, [[...prompt, ...reply.slice(0, j)]], lora)[0]!
        const scaled = Array.from(lp, (x) => x / T)
        const max = Math.max(...scaled)
        byHand += scaled[id]! - (max + Math.log(scaled.reduce((acc, x) => acc + Math.exp(x - max), 0)))
      })
      const [freeLp] = values(tf.tidy(() => free.samplerLogProbs([{ context: ctx(), action: 'a' }], T)))
      expect(freeLp).toBeCloseTo(byHand, 4)

      // Mixed in one call (free, choice, free), each row equals its own call.
      const mixed = [{ context: ctx(), action: 'a' }, { context: ctx(['a', 'b']), action: 'b' }, { context: ctx(), action: 'b' }]
      const one = (p: (typeof mixed)[number]) => values(tf.tidy(() => free.samplerLogProbs([p], T)))[0]!
      expect(values(tf.tidy(() => free.samplerLogProbs(mixed, T)))).toEqual(mixed.map((p) => expect.closeTo(one(p), 5)))
      expect(one(mixed[1]!)).toBeCloseTo(b! / T - lse, 5)
    } finally {
      await policy.close()
    }
  }, 120_000)

  it("one update on GRPO's objective raises the log-prob of an action with a positive advantage and lowers one with a negative", async () => {
    const s = setup()
    const { policy, lora } = policyOn(s)
    try {
      const step = (observation: string) => ({ action: 'a', step: { ...initial, observation } })
      const rows = [
        ...hfRolloutRows({ task, initial, history: [step('cell 1')], validActions: [['a', 'b']] }, 1, 'rollout'),
        ...hfRolloutRows({ task: { ...task, id: 'other', seed: 1 }, initial, history: [{ action: 'b', step: initial }, { action: 'b', step: initial }], validActions: [['a', 'b'], ['a', 'b']] }, -0.5, 'rollout'),
      ]
      expect(rows.map((r) => r.weight)).toEqual([1, 0.5, 0.5])
      const before = hfRowLogProbs(policy, rows, 1, lora)
      rows.forEach((r, i) => ((r.old = before[i]), (r.ref = before[i])))
      const objective = hfMinibatchObjective(policy, rows, { temperature: 1, clip: 0.2, klBeta: 0.04 }, 0)
      // Ratio 1, KL 0: the loss is −Σ w·A / Σ w.
      const out = objective.loss()
      expect(out.loss.dataSync()[0]!).toBeCloseTo(-(1 - 0.25 - 0.25) / 2, 5)
      tf.dispose([out.loss, out.kl, out.clipped])
      const params = loraParams(lora)
      const adam = new AdamW(params, { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0 })
      trainStep(params, adam, () => objective.loss().loss, 1e-2, 1)
      objective.dispose()
      adam.dispose()
      const after = hfRowLogProbs(policy, rows, 1, lora)
      expect(after[0]!).toBeGreaterThan(before[0]!)
      expect(after[1]! + after[2]!).toBeLessThan(before[1]! + before[2]!)
    } finally {
      await policy.close()
    }
  }, 120_000)

  it('the job trains an adapter on the frozen base, from the CLI config with --lora, and a resumed run ends where an uninterrupted one does', async () => {
    const s = setup()
    const config = {
      from: s.base.id, env: 'corridor', tasks: { split: 'train', count: 6 }, iterations: 2, tasksPerIteration: 3, groupSize: 6,
      lr: 5e-3, minibatch: 16, updateEpochs: 1, seed: 3, checkpointEvery: 1, backend: 'wasm', lora: { r: 4, alpha: 8, targetModules: ['q_proj', 'v_proj', 'down_proj'] },
    }
    const whole = (await grpo(inlineJobContext(s.db, s.dataDir, { config }).ctx)) as GrpoResult
    const final = loadHfCheckpoint(s.db, s.dataDir, whole.checkpointId)
    expect(final.lora!.spec).toMatchObject({ r: 4, alpha: 8, targetModules: ['q_proj', 'v_proj', 'down_proj'] })
    expect(final.baseFolder).toBe(loadHfCheckpoint(s.db, s.dataDir, s.base.id).folder)
    const lineage = s.db.prepare('SELECT parent_id FROM checkpoints WHERE id = (SELECT parent_id FROM checkpoints WHERE id = ?)').get(whole.checkpointId)
    expect(lineage).toEqual({ parent_id: s.base.id })
    const metric = (name: string) => (s.db.prepare(`SELECT value FROM train_metrics WHERE run_id = ? AND name = ? ORDER BY step`).all(whole.runId, name) as { value: number }[]).map((r) => r.value)
    expect(metric('reward')).toHaveLength(2)
    // Both iterations learn (groups that disagreed), so the resumed second one needs the first one's moments.
    expect(metric('rows').every((n) => n > 0)).toBe(true)
    // The adapter moved off its zero-initialised B.
    const bNorm = Object.entries(loraParams(final.lora!.lora)).filter(([n]) => n.endsWith('lora_B')).reduce((acc, [, v]) => acc + tf.tidy(() => tf.sum(tf.abs(v)).dataSync()[0]!), 0)
    expect(bNorm).toBeGreaterThan(0)
    expect(final.optimizer?.step).toBeGreaterThan(0)

    const first = inlineJobContext(s.db, s.dataDir, { config })
    const progress = first.ctx.progress
    first.ctx.progress = (done, total, message) => {
      progress(done, total, message)
      if (done === 1) first.abort.abort()
    }
    await expect(grpo(first.ctx)).rejects.toThrow()
    const state = first.captured.state as GrpoState
    expect(state.iteration).toBe(1)
    const resumed = (await grpo(inlineJobContext(s.db, s.dataDir, { config }, state).ctx)) as GrpoResult
    const a = loraParams(loadHfCheckpoint(s.db, s.dataDir, resumed.checkpointId).lora!.lora)
    const b = loraParams(final.lora!.lora)
    let d = 0
    for (const n of Object.keys(a)) a[n]!.dataSync().forEach((x, i) => (d = Math.max(d, Math.abs(x - b[n]!.dataSync()[i]!))))
    expect(d).toBeLessThan(1e-5)
  }, 240_000)

  it('refuses LoRA on a byte-level start in one line', async () => {
    const s = setup()
    const model = createModel({ ...presets.nano, contextLength: 16 }, 1)
    const start = saveCheckpoint(s.db, s.dataDir, { config: model.config, weights: exportWeights(model), meta: {} }, { name: 'bytes' })
    const config = { from: start.id, env: 'corridor', tasks: { split: 'train', count: 2 }, backend: 'wasm', lora: { r: 4, alpha: 8 } }
    await expect(grpo(inlineJobContext(s.db, s.dataDir, { config }).ctx)).rejects.toThrow('LoRA needs an imported Hugging Face model as the start')
    expect(s.db.prepare('SELECT COUNT(*) AS n FROM runs').get()).toEqual({ n: 0 })
  })
})
