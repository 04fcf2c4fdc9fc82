import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { paddedBatch } from '../../../src-main/core/model/batch.ts'
import { meanTargetNll, targetLoss } from '../../../src-main/core/model/score.ts'
import { encodeExample } from '../../../src-main/core/model/tokenizer.ts'
import { createModel, disposeModel, presets } from '../../../src-main/core/model/transformer.ts'
import { SftConfig } from '../../../src-main/shared/jobs/train.ts'
import { targetTokenCount, weighDatasets } from '../../../src-main/core/train/data.ts'
import { loadSftData } from '../../../src-main/core/train/sft.ts'
import { useWasm } from '../model/tf.ts'
import { tempDir } from '../../fixtures/tmp.ts'

// Two datasets as Stage 2 has them: many short counterfactual targets (one move) and fewer,
// longer rehearsal targets, so the datasets' token shares are far from their weights.
const cf = Array.from({ length: 12 }, (_, i) => ({ prompt: `room ${i}`, target: 'u' }))
const reh = Array.from({ length: 4 }, (_, i) => ({ prompt: `seen ${i}`, target: 'left,down' }))
const beta = 0.5

/** Σ weight·NLL / tokens over one batch of everything: the expectation of the shuffled batches' loss. */
function fullBatchLoss(sets: { weight: number; ids: number[]; target: boolean[] }[][], nll: (d: number) => number): number {
  let sum = 0
  let tokens = 0
  sets.forEach((xs, d) => xs.forEach((e) => {
    sum += e.weight * targetTokenCount(e) * nll(d)
    tokens += targetTokenCount(e)
  }))
  return sum / tokens
}

describe('dataset weights in the SFT loss', () => {
  const sets = [cf.map((p) => ({ ...encodeExample(p.prompt, p.target), weight: 1 })), reh.map((p) => ({ ...encodeExample(p.prompt, p.target), weight: beta }))]

  it("'mean' makes the loss mean(L_cf) + β·mean(L_reh); 'token' does not", () => {
    // A per-token NLL of 2 on every cf token and 3 on every reh token: mean_cf = 2, mean_reh = 3.
    const nll = (d: number) => (d === 0 ? 2 : 3)
    expect(targetTokenCount(sets[0]![0]!)).toBe(2) // 'u' and EOS
    expect(targetTokenCount(sets[1]![0]!)).toBe(10)
    expect(fullBatchLoss(weighDatasets(sets, 'mean'), nll)).toBeCloseTo(2 + beta * 3, 10)
    // Per token: (24·2 + 40·0.5·3) / 64 = 1.6875, not 3.5.
    expect(fullBatchLoss(weighDatasets(sets, 'token'), nll)).toBeCloseTo((24 * 2 + 40 * beta * 3) / 64, 10)
    expect(weighDatasets(sets, 'token')).toBe(sets)
  })

  it('holds through the model: targetLoss on the weighted examples equals the datasets\' mean NLLs weighed', async () => {
    await useWasm()
    const model = createModel({ ...presets.nano, contextLength: 32 }, 3)
    try {
      const weighted = weighDatasets(sets, 'mean').flat()
      const batch = paddedBatch(weighted, weighted.map((e) => e.weight))
      const loss = targetLoss(model.params, model.config, batch)
      const [meanCf, meanReh] = sets.map((xs) => meanTargetNll(model.params, model.config, xs))
      expect(loss.dataSync()[0]!).toBeCloseTo(meanCf! + beta * meanReh!, 4)
      loss.dispose()
    } finally {
      disposeModel(model)
    }
  })

  it('the SFT job reads its datasets that way by default, and the per-token form on request', () => {
    const dir = tempDir()
    const write = (name: string, pairs: { prompt: string; target: string }[]) => {
      const path = join(dir, name)
      writeFileSync(path, pairs.map((p) => JSON.stringify(p)).join('\n') + '\n')
      return path
    }
    const datasets = [{ path: write('cf.jsonl', cf) }, { path: write('reh.jsonl', reh), weight: beta }]
    const base = { start: { preset: 'nano' }, datasets, eval: { share: 0 } }
    const weightsOf = (cfg: unknown) => loadSftData(SftConfig.parse(cfg), 96).train.map((e) => e.weight)
    // 64 target tokens: 24 of cf, 40 of reh.
    expect(weightsOf(base)).toEqual([...cf.map(() => 64 / 24), ...reh.map(() => (beta * 64) / 40)])
    expect(weightsOf({ ...base, datasetWeighting: 'token' })).toEqual([...cf.map(() => 1), ...reh.map(() => beta)])
  })
})
