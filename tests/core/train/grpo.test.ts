import { describe, expect, it } from 'vitest'
import { registerEnvironment } from '../../../src-main/core/envs/registry.ts'
import { saveCheckpoint } from '../../../src-main/core/model/checkpoint.ts'
import { createModel, exportWeights, presets } from '../../../src-main/core/model/transformer.ts'
import { openStore } from '../../../src-main/core/store/db.ts'
import { run, type GrpoResult } from '../../../src-main/core/train/grpo.ts'
import { inlineJobContext } from '../../fixtures/job-context.ts'
import { lineEnv } from '../../fixtures/line-env.ts'
import { tempDir } from '../../fixtures/tmp.ts'
import { useWasm } from '../model/tf.ts'

registerEnvironment(lineEnv)

describe('GRPO', () => {
  it('raises the success rate of a fresh model on the line world, with lineage and metrics', async () => {
    await useWasm()
    const dir = tempDir()
    const { db } = openStore(`${dir}/leafe.sqlite`)
    const model = createModel({ ...presets.nano, contextLength: 16 }, 1)
    const start = saveCheckpoint(db, dir, { config: model.config, weights: exportWeights(model), meta: {} }, { name: 'fresh' })
    const config = {
      from: start.id, env: 'line', tasks: { split: 'train', count: 12 }, iterations: 12, tasksPerIteration: 12, groupSize: 8,
      lr: 1e-2, klBeta: 0, seed: 1, checkpointEvery: 6, backend: 'wasm',
    }
    const { ctx, captured } = inlineJobContext(db, dir, { config })
    const result = (await run(ctx)) as GrpoResult
    const rewards = (db.prepare(`SELECT value FROM train_metrics WHERE run_id = ? AND name = 'reward' ORDER BY step`).all(result.runId) as { value: number }[]).map((r) => r.value)
    expect(rewards).toHaveLength(12)
    const early = (rewards[0]! + rewards[1]! + rewards[2]!) / 3
    const late = (rewards[9]! + rewards[10]! + rewards[11]!) / 3
    expect(late).toBeGreaterThan(early + 0.15)
    const ck = db.prepare('SELECT name, parent_id, run_id FROM checkpoints WHERE id = ?').get(result.checkpointId)
    expect(ck).toMatchObject({ name: 'grpo', run_id: result.runId })
    // The final checkpoint descends from the iteration-6 one, which descends from the start.
    const mid = db.prepare('SELECT parent_id FROM checkpoints WHERE id = ?').get((ck as { parent_id: number }).parent_id)
    expect(mid).toEqual({ parent_id: start.id })
    expect(captured.progress.at(-1)).toMatchObject({ done: 12, total: 12 })
    expect(db.prepare(`SELECT DISTINCT name FROM train_metrics WHERE run_id = ? ORDER BY name`).all(result.runId).map((r) => (r as { name: string }).name)).toEqual(
      expect.arrayContaining(['clipped', 'kl', 'loss', 'reward']),
    )
  }, 180_000)
})
