// The whole LEAFE loop in one process: a base checkpoint → LEAFE exploration with the critic
// (Stage 1) → every correction accepted → Stage-2 SFT → a new checkpoint whose loss on the D_cf
// items fell, while their experience text never entered a training input.
import { describe, expect, it } from 'vitest'
import { setStatus } from '../../src-main/core/corpus/curation.ts'
import { registerEnvironment } from '../../src-main/core/envs/registry.ts'
import { run as explore, type ExploreSummary } from '../../src-main/core/explore/job.ts'
import { loadCheckpoint } from '../../src-main/core/model/checkpoint.ts'
import { meanTargetNll } from '../../src-main/core/model/score.ts'
import { encodeExample } from '../../src-main/core/model/tokenizer.ts'
import { importWeights } from '../../src-main/core/model/transformer.ts'
import { openStore } from '../../src-main/core/store/db.ts'
import { writePairs } from '../../src-main/core/train/base.ts'
import { run as leafeSft, type LeafeSftResult } from '../../src-main/core/train/leafe-job.ts'
import { run as sft, type SftResult } from '../../src-main/core/train/sft.ts'
import { corridorEnv } from '../fixtures/corridor-env.ts'
import { inlineJobContext } from '../fixtures/job-context.ts'
import { tempDir } from '../fixtures/tmp.ts'
import { useWasm } from '../core/model/tf.ts'

// The trap cell differs per task and the compact prompt ("cell 2") does not say which: the base
// cannot know, so it fails, the critic finds where, and the branch with 'b' there succeeds.
const env = corridorEnv({ length: 5, trapAt: 0, trapFor: (t) => t.seed % 4, stepLimit: 8, snapshots: true })
registerEnvironment(env)

describe('base → explore → accept all → train leafe', () => {
  it('produces a checkpoint whose loss on the D_cf items fell', async () => {
    await useWasm()
    const dir = tempDir()
    const { db } = openStore(`${dir}/leafe.sqlite`)

    // Base: imitation of "always a", the common case, so every trap is a mistake it makes.
    const demos = `${dir}/base.jsonl`
    writePairs(demos, Array.from({ length: 200 }, (_, i) => ({ prompt: `cell ${i % 5}`, target: 'a' })))
    const base = (await sft(inlineJobContext(db, dir, { config: { name: 'base', start: { preset: 'nano', contextLength: 16 }, datasets: [{ path: demos }], epochs: 2, batchSize: 32, lr: 5e-3, backend: 'wasm' } }).ctx)) as SftResult

    const explored = (await explore(
      inlineJobContext(db, dir, {
        config: {
          env: 'corridor', tasks: { split: 'train', count: 24 }, policy: { kind: 'checkpoint', id: base.checkpointId },
          budget: 40, temperature: 0.3, seed: 5, corpus: { build: true, onlySucceeded: true, maxEventsPerTask: 3, rehearsalShare: 0 },
        },
      }).ctx,
    )) as ExploreSummary
    expect(explored.solvedByBranch).toBeGreaterThan(0)
    expect(explored.corpusItems.cf).toBeGreaterThan(0)

    const ids = (db.prepare(`SELECT id FROM corpus_items`).all() as { id: number }[]).map((r) => r.id)
    setStatus(db, ids, 'accepted')
    const stage2 = (await leafeSft(inlineJobContext(db, dir, { config: { from: base.checkpointId, beta: 1, env: 'corridor', train: { epochs: 8, batchSize: 16, lr: 5e-3, eval: { share: 0 } }, backend: 'wasm' } }).ctx)) as LeafeSftResult
    expect(stage2.cfExamples).toBe(explored.corpusItems.cf)

    const cf = db.prepare(`SELECT meta, experience FROM corpus_items WHERE kind = 'cf'`).all() as { meta: string; experience: string }[]
    const pairs = cf.map((r) => (JSON.parse(r.meta) as { compact: { prompt: string; target: string } }).compact)
    for (const [i, p] of pairs.entries()) expect(p.prompt).not.toContain(cf[i]!.experience)
    const examples = pairs.map((p) => encodeExample(p.prompt, p.target))
    const lossOf = (id: number) => {
      const ck = loadCheckpoint(db, dir, id)
      return meanTargetNll(importWeights(ck.config, ck.weights).params, ck.config, examples)
    }
    const before = lossOf(base.checkpointId)
    const after = lossOf(stage2.checkpointId)
    expect(after).toBeLessThan(before * 0.5)
    // Lineage: the LEAFE checkpoint descends from the base.
    const lineage = db.prepare(`WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM checkpoints WHERE id = ? UNION ALL SELECT c.id, c.parent_id FROM checkpoints c JOIN up ON c.id = up.parent_id) SELECT id FROM up`).all(stage2.checkpointId) as { id: number }[]
    expect(lineage.map((r) => r.id)).toContain(base.checkpointId)
  }, 300_000)
})
