// The `leafe_sft` job: LEAFE Stage 2. The accepted corpus is written as compact training files
// (D_cf with manual corrections, and D_reh) and distilled into the start checkpoint by SFT with
// L = L_cf + β·L_reh. The experience text is never part of a training input.
import { join } from 'node:path'
import { writeStage2Data } from '../corpus/training-data.ts'
import { EngineError } from '../errors.ts'
import { phaseContext } from '../jobs/phases.ts'
import { isImportedCheckpoint } from '../model/hf/checkpoint.ts'
import type { JobContext } from '../jobs/types.ts'
import { LeafeSftParams, SftConfig, type LeafeSftResult, type LeafeSftState } from '../../shared/jobs/train.ts'
import { savedJobState } from '../../shared/jobs/kinds.ts'
import { run as runSft } from './sft.ts'

export type { LeafeSftResult }

export async function run(ctx: JobContext<unknown>): Promise<LeafeSftResult> {
  const cfg = LeafeSftParams.parse(ctx.params).config
  const state: LeafeSftState = { ...savedJobState('leafe_sft', ctx.state) }
  if (!state.files) {
    // An imported Hugging Face model reads the readable prompt through its chat template.
    const form = isImportedCheckpoint(ctx.db(), ctx.dataDir, cfg.from) ? 'readable' : 'compact'
    state.files = writeStage2Data(ctx.db(), join(ctx.dataDir, 'datasets', `leafe-job${ctx.jobId}`), { ...(cfg.env ? { env: cfg.env } : {}), ...(cfg.runs ? { runs: cfg.runs } : {}) }, form)
    ctx.saveState(state)
  }
  const files = state.files
  if (cfg.rehearsalOnly && files.reh.count === 0) throw new EngineError('bad_request', 'No accepted D_reh items to train on (rehearsalOnly leaves D_cf out).')
  if (!cfg.rehearsalOnly && files.cf.count === 0) {
    throw new EngineError('bad_request', 'No accepted D_cf items to train on: accept corrections in the Corpus view (or with `leafe corpus`) first.')
  }
  const datasets = cfg.rehearsalOnly
    ? [{ path: files.reh.path, weight: 1 }]
    : [{ path: files.cf.path, weight: 1 }, ...(files.reh.count > 0 && cfg.beta > 0 ? [{ path: files.reh.path, weight: cfg.beta }] : [])]
  const sftConfig = SftConfig.parse({ name: cfg.name, start: { checkpoint: cfg.from }, datasets, seed: cfg.seed, ...cfg.train, ...(cfg.backend ? { backend: cfg.backend } : {}) })
  const sft = await runSft(
    phaseContext(ctx, {
      params: { config: sftConfig },
      state: state.sft ?? null,
      saveState: (s) => ((state.sft = savedJobState('sft', s)), ctx.saveState(state)),
      progress: (done, total, message) => ctx.progress(done, total, message),
    }),
  )
  return { ...sft, cfExamples: files.cf.count, rehExamples: files.reh.count, skippedItems: files.skipped, invalidTargets: files.invalidTargets ?? 0 }
}
