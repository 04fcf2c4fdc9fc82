// The `sft` job: supervised fine-tuning in a worker thread. Streams loss as progress, stores
// train_metrics under a `runs` row of kind 'sft', saves a checkpoint (weights + optimizer) at the
// end of every epoch, and after a crash resumes from the last of them.
import { closeRun, failRun, openRun } from '../jobs/runs.ts'
import { dropMetricsAfter } from '../store/train-metrics.ts'
import type { JobContext } from '../jobs/types.ts'
import { backendPreference, ensureBackend } from '../model/backend.ts'
import { loadCheckpoint, saveCheckpoint } from '../model/checkpoint.ts'
import { isImportedCheckpoint } from '../model/hf/checkpoint.ts'
import { LORA_NEEDS_IMPORTED } from '../model/hf/lora-settings.ts'
import { EngineError } from '../errors.ts'
import { meanTargetNll } from '../model/score.ts'
import { createModel, disposeModel, exportWeights, importWeights, presets, type Model } from '../model/transformer.ts'
import { readSettings } from '../settings.ts'
import { SftParams } from '../../shared/jobs/train.ts'
import { loadSftData, MetricsWriter, runSftEpochs, type SftResult, type SftState } from './sft-loop.ts'
import { DataParallel, trainThreads } from './data-parallel.ts'
import { AdamW, adamWDefaults } from './optimizer.ts'
import { savedJobState } from '../../shared/jobs/kinds.ts'

// The run's state, result, data loading and metrics are shared with the LoRA trainer (sft-loop.ts).
export { loadSftData, MetricsWriter, type SftResult, type SftState } from './sft-loop.ts'

export async function run(ctx: JobContext<unknown>): Promise<SftResult> {
  const cfg = SftParams.parse(ctx.params).config
  const started = Date.now()
  const db = ctx.db()
  // An imported Hugging Face start trains a LoRA adapter on its frozen base (train/lora-sft.ts).
  if ('checkpoint' in cfg.start && isImportedCheckpoint(db, ctx.dataDir, cfg.start.checkpoint)) return (await import('./lora-sft.ts')).run(ctx, cfg)
  if (cfg.lora) throw new EngineError('bad_request', LORA_NEEDS_IMPORTED)
  const backend = await ensureBackend(backendPreference(cfg.backend, readSettings(db).tfBackend))
  const saved = savedJobState('sft', ctx.state)

  // The model, the optimizer and where to continue: the last epoch checkpoint, or the start.
  let model: Model
  let parentId: number | null = null
  let resumedOptimizer: AdamW | null = null
  let epoch = 0
  let step = 0
  if (saved?.checkpointId) {
    const ck = loadCheckpoint(db, ctx.dataDir, saved.checkpointId)
    model = importWeights(ck.config, ck.weights)
    resumedOptimizer = new AdamW(model.params, { ...adamWDefaults, weightDecay: cfg.weightDecay })
    if (ck.optimizer) resumedOptimizer.importState(ck.optimizer)
    parentId = ck.row.id
    epoch = saved.epoch
    step = saved.step
  } else if ('checkpoint' in cfg.start) {
    const ck = loadCheckpoint(db, ctx.dataDir, cfg.start.checkpoint)
    model = importWeights(ck.config, ck.weights)
    parentId = ck.row.id
  } else {
    const preset = presets[cfg.start.preset]
    model = createModel({ ...preset, contextLength: cfg.start.contextLength ?? preset.contextLength }, cfg.seed)
  }
  // The data first: a dataset that cannot be read is bad input, and leaves no run behind.
  let data: ReturnType<typeof loadSftData>
  try {
    data = loadSftData(cfg, model.config.contextLength)
  } catch (err) {
    resumedOptimizer?.dispose()
    disposeModel(model)
    throw err
  }
  const { train, heldOut } = data
  const adam = resumedOptimizer ?? new AdamW(model.params, { ...adamWDefaults, weightDecay: cfg.weightDecay })
  let parallel: DataParallel<'target'>
  try {
    parallel = await DataParallel.open('target', model, trainThreads(cfg.trainThreads, cfg.batchSize, backend.id), backend.id)
  } catch (err) {
    adam.dispose()
    disposeModel(model)
    throw err
  }
  // The thread count is recorded as chosen, so that the run can be repeated as it ran.
  const runId = openRun(ctx, { resume: saved?.runId, kind: 'sft', name: cfg.name, config: { ...cfg, backend: backend.id, ...(backend.matmul ? { matmul: backend.matmul.id } : {}), trainThreads: parallel.threads } })
  // Metrics written after the checkpoint we continue from belong to the lost part of an epoch.
  if (saved) dropMetricsAfter(db, runId, step)
  ctx.saveState({ runId, checkpointId: saved?.checkpointId ?? null, epoch, step } satisfies SftState)

  const metrics = new MetricsWriter(db, runId)
  try {
    ctx.log(`sft: ${train.length} train / ${heldOut.length} held-out examples, ${Math.ceil(train.length / cfg.batchSize) * cfg.epochs} steps on ${backend.id}, ${parallel.threads} training thread${parallel.threads === 1 ? '' : 's'}`)
    const resumedFrom = saved?.checkpointId ? epoch : null
    const { checkpointId, steps, evalLoss } = await runSftEpochs({
      ctx, cfg, runId, metrics, train, rowLength: model.config.contextLength, params: model.params, adam, parallel,
      evalLoss: () => (heldOut.length ? meanTargetNll(model.params, model.config, heldOut) : null),
      save: (e) =>
        saveCheckpoint(
          db,
          ctx.dataDir,
          {
            config: model.config,
            weights: exportWeights(model),
            optimizer: adam.exportState(),
            meta: { runId, jobId: ctx.jobId, epoch: e.epoch, step: e.step, seed: cfg.seed, trainLoss: e.trainLoss, evalLoss: e.evalLoss, datasets: cfg.datasets, backend: backend.id },
          },
          { name: `${cfg.name} · epoch ${e.epoch}`, parentId: e.parentId, runId },
        ).id,
      epoch, step, checkpointId: saved?.checkpointId ?? null, parentId,
    })
    const result: SftResult = {
      runId,
      checkpointId: checkpointId!,
      epochs: cfg.epochs,
      steps,
      trainExamples: train.length,
      evalExamples: heldOut.length,
      evalLoss,
      resumedFrom,
      seconds: (Date.now() - started) / 1000,
      backend: backend.id,
    }
    return closeRun(ctx, runId, result)
  } catch (err) {
    metrics.flush()
    failRun(ctx, runId, err)
    throw err
  } finally {
    await parallel.close()
    adam.dispose()
    disposeModel(model)
  }
}
