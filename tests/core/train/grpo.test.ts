import { describe, expect, it } from 'vitest'
import { registerEnvironment } from '../../../src-main/core/envs/registry.ts'
import { saveCheckpoint } from '../../../src-main/core/model/checkpoint.ts'
import { createModel, exportWeights, presets } from '../../../src-main/core/model/transformer.ts'
import { openStore } from '../../../src-main/core/store/db.ts'
import { paddedBatch } from '../../../src-main/core/model/batch.ts'
import { labelLogProbs } from '../../../src-main/core/model/score.ts'
import { encodeExample } from '../../../src-main/core/model/tokenizer.ts'
import { LocalPolicy } from '../../../src-main/core/policies/local.ts'
import { minibatchObjective, rowLogProbs } from '../../../src-main/core/train/grpo-batch.ts'
import { rolloutRows, run, type GrpoResult } from '../../../src-main/core/train/grpo.ts'
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

  it('scores actions over the renormalised distribution the sampler drew them from, and its objective uses it', async () => {
    await useWasm()
    const model = createModel({ ...presets.nano, contextLength: 16 }, 2)
    const policy = await LocalPolicy.open('test', lineEnv, { config: model.config, weights: exportWeights(model) }, { threads: 0, backend: 'wasm' })
    try {
      const task = lineEnv.tasks('train', 1, 0)[0]!
      const session = await lineEnv.open(task)
      const initial = await session.reset()
      const history = [{ action: 'right', step: await session.step('right') }, { action: 'left', step: await session.step('left') }]
      const episode = { task, initial, history, validActions: [undefined, undefined] }
      const rows = rolloutRows(policy, model, episode, 1, 'rollout')
      // The line world's moves are one letter each: the sampler picks among l and r, then stops.
      expect(rows.map((r) => r.drawn)).toEqual([[true, false], [true, false]])
      expect(rows.map((r) => r.weight)).toEqual([0.5, 0.5])
      // By hand: the full-vocabulary log-probs of both moves, renormalised over the two.
      const prompt = policy.prompt({ task, initial, history: [] })
      const full = (t: string) => labelLogProbs(model.params, model.config, paddedBatch([encodeExample(prompt, t)])).dataSync()[0]!
      const [r, l] = [full('r'), full('l')]
      const renormalised = r - Math.log(Math.exp(r) + Math.exp(l))
      const scored = rowLogProbs(model, rows, 1)
      expect(scored[0]![0]!).toBeCloseTo(renormalised, 4)
      expect(scored[0]![0]! - r).toBeGreaterThan(1) // the full vocabulary is a different policy
      expect(scored[0]![1]!).toBeCloseTo(0, 6) // the EOS the restriction forces: probability 1
      // Old and reference log-probs stored as the job stores them: the objective's own log-probs
      // match them exactly (ratio 1, KL 0), so its loss is −A.
      rows.forEach((row, i) => ((row.old = scored[i]), (row.ref = scored[i])))
      const objective = minibatchObjective(model, rows, { temperature: 1, clip: 0.2, klBeta: 0.04 })
      const out = objective.loss()
      expect(out.loss.dataSync()[0]!).toBeCloseTo(-1, 5)
      expect(out.kl.dataSync()[0]!).toBeCloseTo(0, 6)
      objective.dispose()
    } finally {
      await policy.close()
    }
  })
})
