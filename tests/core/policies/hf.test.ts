// HfPolicy as a reflector: an imported model writes the reflection through its own chat
// template (checked against the PyTorch reference's greedy generation), and an exploration with
// reflector 'self' on an imported model asks it with the environment's reflection template.
import { beforeAll, describe, expect, it } from 'vitest'
import { registerEnvironment } from '../../../src-main/core/envs/registry.ts'
import { run as explore, type ExploreSummary } from '../../../src-main/core/explore/job.ts'
import { DEFAULT_REFLECTION_TEMPLATE } from '../../../src-main/core/explore/reflectors.ts'
import { promptIds } from '../../../src-main/core/model/hf/chat-format.ts'
import { loadHfCheckpoint } from '../../../src-main/core/model/hf/checkpoint.ts'
import { createPolicy } from '../../../src-main/core/policies/factory.ts'
import { corridorEnv } from '../../fixtures/corridor-env.ts'
import { importedTinyModel, reference, torchMissing } from '../../fixtures/hf-models.ts'
import { inlineJobContext } from '../../fixtures/job-context.ts'
import { useWasm } from '../model/tf.ts'

const env = corridorEnv({ length: 3, trapAt: 1, stepLimit: 4, snapshots: true })
registerEnvironment(env)

beforeAll(async () => {
  await useWasm()
})

// Long enough for the reflection prompt (a trajectory under the default template), short enough
// that a random model's reply is cut off soon after it.
const setup = () => importedTinyModel('qwen2', { configOverride: { max_position_embeddings: 1024 } })

describe('HfPolicy as a reflector', () => {
  it.skipIf(torchMissing !== null)("writes a reply to the reflection prompt through its chat template: greedy, the reference's tokens", async () => {
    const s = setup()
    const policy = await createPolicy({ kind: 'checkpoint', id: s.base.id }, env, { dataDir: s.dataDir, db: s.db })
    try {
      const complete = policy.completer!({ temperature: 0, maxTokens: 8, seed: 1 })
      const prompt = 'Which step went wrong?'
      const m = loadHfCheckpoint(s.db, s.dataDir, s.base.id)
      const ids = promptIds(m.tokenizer, { user: prompt })
      // ChatML: <|im_start|>user\n…<|im_end|>\n<|im_start|>assistant\n (the markers are special tokens 257 and 258).
      expect([ids[0], ids.filter((t) => t === 257).length, ids.filter((t) => t === 258).length]).toEqual([257, 2, 1])
      expect(m.tokenizer.decode(ids)).toBe('user\nWhich step went wrong?\nassistant\n')
      const ref = reference<{ tokens: number[] }>({ cmd: 'greedy', dir: s.src, ids, n: 8 })
      const stopAt = ref.tokens.indexOf(258) // <|im_end|> ends the reply
      expect(await complete(prompt, 0)).toBe(m.tokenizer.decode(stopAt < 0 ? ref.tokens : ref.tokens.slice(0, stopAt)))
    } finally {
      await policy.close?.()
    }
  }, 60_000)

  it('refuses a prompt longer than the model reads, by length', async () => {
    const s = setup()
    const policy = await createPolicy({ kind: 'checkpoint', id: s.base.id }, env, { dataDir: s.dataDir, db: s.db })
    try {
      await expect(policy.completer!({ temperature: 0, maxTokens: 8, seed: 1 })('x'.repeat(3000), 0)).rejects.toThrow(/^The reflection prompt is \d+ tokens long; this model reads at most 1024\.$/)
    } finally {
      await policy.close?.()
    }
  })

  it("an exploration with reflector 'self' on an imported model asks the model with the environment's template and records what it could not read", async () => {
    const s = setup()
    const { ctx } = inlineJobContext(s.db, s.dataDir, {
      config: { env: 'corridor', tasks: { split: 'train', count: 1 }, policy: { kind: 'checkpoint', id: s.base.id }, reflector: 'self', budget: 8, temperature: 0, seed: 2 },
    })
    const summary = (await explore(ctx)) as ExploreSummary
    const run = JSON.parse((s.db.prepare('SELECT config FROM runs WHERE id = ?').get(summary.runId) as { config: string }).config) as { reflectionTemplate: string }
    expect(run.reflectionTemplate).toBe(DEFAULT_REFLECTION_TEMPLATE)
    // Greedy 'a' walks into the trap at cell 1; a random model's reply is no reflection JSON, and each such is recorded, not fatal.
    expect(summary.solved).toBe(0)
    expect(summary.failedReflections).toBeGreaterThan(0)
    const messages = (s.db.prepare(`SELECT reflector, message FROM branch_events`).all() as { reflector: string; message: string }[])
    expect(messages[0]).toMatchObject({ reflector: 'self', message: expect.stringMatching(/^Reflection failed: LLM reflection failed after 3 attempts: /) })
  }, 240_000)
})
