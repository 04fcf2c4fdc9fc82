// The LEAFE loop with an imported Hugging Face model: import a (tiny, random) Qwen2 snapshot →
// explore with it as the policy (it reads the readable prompt through its chat template) → accept
// every correction → Stage 2 as LoRA (`--lora`) → an adapter checkpoint whose loss on the D_cf
// items fell, on a frozen base, that evaluates through the same eval job and exports as PEFT.
import * as tf from '@tensorflow/tfjs-core'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { setStatus } from '../../src-main/core/corpus/curation.ts'
import { registerEnvironment } from '../../src-main/core/envs/registry.ts'
import { run as evaluate } from '../../src-main/core/eval/job.ts'
import { run as explore, type ExploreSummary } from '../../src-main/core/explore/job.ts'
import { paddedBatch } from '../../src-main/core/model/batch.ts'
import { encodeHfExample } from '../../src-main/core/model/hf/chat-format.ts'
import { exportAdapterFiles, importSnapshot, loadHfCheckpoint } from '../../src-main/core/model/hf/checkpoint.ts'
import { hfTargetLoss } from '../../src-main/core/model/hf/generate.ts'
import { createPolicy } from '../../src-main/core/policies/factory.ts'
import { HfPolicy } from '../../src-main/core/policies/hf.ts'
import { openStore } from '../../src-main/core/store/db.ts'
import { run as leafeSft, type LeafeSftResult } from '../../src-main/core/train/leafe-job.ts'
import { corridorEnv } from '../fixtures/corridor-env.ts'
import { writeTinyModel } from '../fixtures/hf-models.ts'
import { inlineJobContext } from '../fixtures/job-context.ts'
import { tempDir } from '../fixtures/tmp.ts'
import { useWasm } from '../core/model/tf.ts'

const env = corridorEnv({ length: 4, trapAt: 0, trapFor: (t) => t.seed % 3, stepLimit: 6, snapshots: true })
registerEnvironment(env)

describe('imported model: explore → accept all → LoRA Stage 2 → eval → PEFT export', () => {
  it('trains an adapter whose loss on the D_cf items fell, with the base frozen', async () => {
    await useWasm()
    const dir = tempDir()
    const { db } = openStore(`${dir}/leafe.sqlite`)
    const src = join(tempDir(), 'qwen-tiny')
    writeTinyModel(src, 'qwen2', { configOverride: { max_position_embeddings: 256 } })
    const base = importSnapshot(db, dir, src)
    const policy = await createPolicy({ kind: 'checkpoint', id: base.id }, env, { dataDir: dir, db })
    expect(policy).toBeInstanceOf(HfPolicy)
    await policy.close?.()

    const explored = (await explore(
      inlineJobContext(db, dir, {
        config: {
          env: 'corridor', tasks: { split: 'train', count: 9 }, policy: { kind: 'checkpoint', id: base.id },
          budget: 30, temperature: 0.3, seed: 5, corpus: { build: true, onlySucceeded: true, maxEventsPerTask: 3, rehearsalShare: 0 },
        },
      }).ctx,
    )) as ExploreSummary
    expect(explored.corpusItems.cf).toBeGreaterThan(0)
    const ids = (db.prepare(`SELECT id FROM corpus_items`).all() as { id: number }[]).map((r) => r.id)
    setStatus(db, ids, 'accepted')

    const stageJob = inlineJobContext(db, dir, { config: { from: base.id, beta: 1, env: 'corridor', train: { epochs: 10, batchSize: 8, lr: 5e-2, eval: { share: 0 }, lora: { r: 4, alpha: 8, targetModules: ['q_proj', 'v_proj', 'o_proj', 'down_proj'] } }, backend: 'wasm' } })
    const stage2 = (await leafeSft(stageJob.ctx)) as LeafeSftResult
    expect(stage2.cfExamples).toBe(explored.corpusItems.cf)
    expect(stage2.skippedItems).toBe(0)

    // What Stage 2 trained on: readable prompts without the experience, readable targets.
    const cf = db.prepare(`SELECT prompt, target, experience, meta FROM corpus_items WHERE kind = 'cf' ORDER BY id`).all() as { prompt: string; target: string; experience: string; meta: string }[]
    const lines = readFileSync(join(dir, 'datasets', `leafe-job${stageJob.ctx.jobId}`, 'cf.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { system: string; prompt: string; target: string })
    expect(lines).toEqual(cf.map((r) => ({ system: 'Walk the corridor.', prompt: r.prompt, target: r.target })))
    for (const [i, r] of cf.entries()) {
      expect(r.prompt).toMatch(/^Reach|corridor|\(train-/) // the readable form, not the compact one
      expect(lines[i]!.prompt).not.toContain(r.experience)
      expect(lines[i]!.target).toMatch(/^go [ab]$/)
    }

    const lossOf = (id: number) => {
      const m = loadHfCheckpoint(db, dir, id)
      const batch = paddedBatch(cf.map((r) => encodeHfExample(m.tokenizer, m.config, { system: (JSON.parse(r.meta) as { system: string }).system, user: r.prompt }, r.target)))
      const loss = tf.tidy(() => hfTargetLoss(m.model, batch, m.lora?.lora).dataSync()[0]!)
      return { loss, m }
    }
    const before = lossOf(base.id)
    const after = lossOf(stage2.checkpointId)
    expect(after.m.lora!.spec).toMatchObject({ r: 4, alpha: 8, targetModules: ['q_proj', 'v_proj', 'o_proj', 'down_proj'] })
    expect(after.loss).toBeLessThan(before.loss * 0.5)
    // The base is frozen: the adapter's checkpoint reads the very same base files.
    expect(after.m.baseFolder).toBe(before.m.baseFolder)
    const lineage = db.prepare(`WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM checkpoints WHERE id = ? UNION ALL SELECT c.id, c.parent_id FROM checkpoints c JOIN up ON c.id = up.parent_id) SELECT id FROM up`).all(stage2.checkpointId) as { id: number }[]
    expect(lineage.map((r) => r.id)).toContain(base.id)

    // Both checkpoints evaluate through the ordinary eval job, side by side.
    await evaluate(inlineJobContext(db, dir, { config: { env: 'corridor', tasks: { split: 'test', count: 3 }, policies: [{ kind: 'checkpoint', id: base.id }, { kind: 'checkpoint', id: stage2.checkpointId }], n: 2, temperature: 0.5 } }).ctx)
    const rows = db.prepare(`SELECT policy, COUNT(*) AS tasks, SUM(n) AS n FROM eval_results GROUP BY policy ORDER BY policy`).all() as { policy: string; tasks: number; n: number }[]
    expect(rows).toEqual([
      { policy: `checkpoint:${base.id}`, tasks: 3, n: 6 },
      { policy: `checkpoint:${stage2.checkpointId}`, tasks: 3, n: 6 },
    ])

    const out = join(tempDir(), 'peft')
    exportAdapterFiles(after.m, out)
    expect(JSON.parse(readFileSync(join(out, 'adapter_config.json'), 'utf8'))).toMatchObject({ peft_type: 'LORA', r: 4, lora_alpha: 8 })
  }, 300_000)
})
