import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { registerEnvironment } from '../../../src-main/core/envs/registry.ts'
import { saveCheckpoint } from '../../../src-main/core/model/checkpoint.ts'
import { loadHfCheckpoint } from '../../../src-main/core/model/hf/checkpoint.ts'
import { disposeLora, loraParams } from '../../../src-main/core/model/hf/lora.ts'
import { disposeHfModel } from '../../../src-main/core/model/hf/model.ts'
import { createModel, exportWeights, presets } from '../../../src-main/core/model/transformer.ts'
import { openStore } from '../../../src-main/core/store/db.ts'
import { run, type EarlyExperienceResult } from '../../../src-main/core/train/early-experience-job.ts'
import { worldModelPrompt } from '../../../src-main/core/train/early-experience.ts'
import { importedTinyModel } from '../../fixtures/hf-models.ts'
import { inlineJobContext } from '../../fixtures/job-context.ts'
import { lineEnv } from '../../fixtures/line-env.ts'
import { tempDir } from '../../fixtures/tmp.ts'
import { useWasm } from '../model/tf.ts'

registerEnvironment(lineEnv)

const draw = (pos: number) => Array.from({ length: 5 }, (_, i) => (i === pos ? '@' : '.')).join('')

describe('the early_experience job', () => {
  it('builds imitation and world-model data from the start checkpoint, then fine-tunes it; resumes past the data phase', async () => {
    await useWasm()
    const dir = tempDir()
    const { db } = openStore(`${dir}/leafe.sqlite`)
    const model = createModel({ ...presets.nano, contextLength: 24 }, 1)
    const start = saveCheckpoint(db, dir, { config: model.config, weights: exportWeights(model), meta: {} }, { name: 'base' })
    const config = { from: start.id, env: 'line', tasks: { split: 'train', count: 10 }, alternatives: 1, worldWeight: 0.5, train: { epochs: 1, batchSize: 16 }, seed: 2, backend: 'wasm' }
    const first = inlineJobContext(db, dir, { config })
    const r = (await run(first.ctx)) as EarlyExperienceResult
    expect(r.imitationExamples).toBeGreaterThan(10)
    expect(r.worldExamples).toBeGreaterThan(r.imitationExamples) // the expert's transition plus an alternative at each state
    const state = first.captured.state as { files: { imitation: string; world: string } }
    const world = readFileSync(state.files.world, 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(world[0]).toEqual({ prompt: worldModelPrompt('@....', 'r'), target: '.@...' })
    const ck = db.prepare('SELECT parent_id FROM checkpoints WHERE id = ?').get(r.checkpointId)
    expect(ck).toEqual({ parent_id: start.id })
    // A resume with the data phase done goes straight to training.
    const again = inlineJobContext(db, dir, { config }, { files: state.files })
    const r2 = (await run(again.ctx)) as EarlyExperienceResult
    expect(r2.imitationExamples).toBe(r.imitationExamples)
    expect(again.captured.progress.some((p) => p.message?.startsWith('data:'))).toBe(false)
  }, 120_000)

  it('from an imported model: readable data through its own policy, then a LoRA adapter on the frozen base', async () => {
    await useWasm()
    const s = importedTinyModel('qwen2', { configOverride: { max_position_embeddings: 128 } })
    const lora = { r: 4, alpha: 8, dropout: 0, targetModules: ['q_proj', 'v_proj'] }
    const config = { from: s.base.id, env: 'line', tasks: { split: 'train', count: 3 }, alternatives: 1, worldWeight: 0.5, train: { epochs: 1, batchSize: 2, lr: 2e-2, warmupSteps: 0, eval: { share: 0 }, lora }, seed: 2, backend: 'wasm' }
    const job = inlineJobContext(s.db, s.dataDir, { config })
    const r = (await run(job.ctx)) as EarlyExperienceResult
    const state = job.captured.state as { files: { imitation: string; world: string } }
    const lines = (path: string) => readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    // Readable prompts (the line itself), the system message with them: at each expert state the
    // expert goes right, the only other action the policy can propose is left, and each one's next
    // observation is the target.
    const [imitation, world] = [lines(state.files.imitation), lines(state.files.world)]
    const moved = (line: string, by: number) => draw(line.indexOf('@') + by)
    expect(imitation.length).toBeGreaterThan(3)
    for (const ex of imitation) {
      expect(ex).toEqual({ system: '', prompt: expect.stringMatching(/^[.@]{5}$/), target: 'right' })
      expect(world).toContainEqual({ system: '', prompt: worldModelPrompt(ex.prompt, 'right', 'readable'), target: moved(ex.prompt, 1) })
      expect(world).toContainEqual({ system: '', prompt: worldModelPrompt(ex.prompt, 'left', 'readable'), target: moved(ex.prompt, ex.prompt.startsWith('@') ? 0 : -1) })
    }
    expect(r.worldExamples).toBe(2 * r.imitationExamples)
    // The result is a PEFT adapter with the settings asked for, on the imported base, and training moved it (B starts at zero).
    const adapter = loadHfCheckpoint(s.db, s.dataDir, r.checkpointId)
    try {
      expect(adapter.lora!.spec).toMatchObject(lora)
      const bs = Object.entries(loraParams(adapter.lora!.lora)).filter(([n]) => n.endsWith('lora_B')).map(([, v]) => Math.max(...Array.from(v.dataSync(), Math.abs)))
      expect(bs.length).toBe(4) // q_proj and v_proj in each of the 2 layers
      for (const b of bs) expect(b).toBeGreaterThan(1e-4)
    } finally {
      disposeLora(adapter.lora!.lora)
      disposeHfModel(adapter.model)
    }
    expect(s.db.prepare('SELECT parent_id FROM checkpoints WHERE id = ?').get(r.checkpointId)).toEqual({ parent_id: s.base.id })
  }, 120_000)
})
