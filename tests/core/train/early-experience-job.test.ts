import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { registerEnvironment } from '../../../src-main/core/envs/registry.ts'
import { saveCheckpoint } from '../../../src-main/core/model/checkpoint.ts'
import { createModel, exportWeights, presets } from '../../../src-main/core/model/transformer.ts'
import { openStore } from '../../../src-main/core/store/db.ts'
import { run, type EarlyExperienceResult } from '../../../src-main/core/train/early-experience-job.ts'
import { worldModelPrompt } from '../../../src-main/core/train/early-experience.ts'
import { inlineJobContext } from '../../fixtures/job-context.ts'
import { lineEnv } from '../../fixtures/line-env.ts'
import { tempDir } from '../../fixtures/tmp.ts'
import { useWasm } from '../model/tf.ts'

registerEnvironment(lineEnv)

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
})
