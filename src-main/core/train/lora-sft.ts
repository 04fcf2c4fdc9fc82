// SFT of a LoRA adapter on an imported Hugging Face model: what the `sft` job (and through it
// LEAFE Stage 2) runs when its start checkpoint is an imported model. The base stays frozen; the
// loss is the byte-level trainer's (each dataset's weight on its mean NLL over the reply tokens), on
// examples rendered through the model's chat template (hf/chat-format.ts). An adapter checkpoint
// (PEFT files, with the AdamW moments beside them) is saved at the end of every epoch; a resumed
// run continues from the last one with its optimizer state, as if it had never stopped.
import { closeRun, failRun, openRun } from '../jobs/runs.ts'
import { dropMetricsAfter } from '../store/train-metrics.ts'
import type { JobContext } from '../jobs/types.ts'
import { backendPreference, ensureBackend } from '../model/backend.ts'
import { encodeHfExample } from '../model/hf/chat-format.ts'
import { loadHfCheckpoint, saveAdapterCheckpoint } from '../model/hf/checkpoint.ts'
import { hfLabelLogProbs, hfTargetLoss } from '../model/hf/generate.ts'
import { createLora, disposeLora, loraParams } from '../model/hf/lora.ts'
import { LORA_DEFAULTS, resolveLora, type LoraSpec } from '../model/hf/lora-settings.ts'
import { disposeHfModel, type LoraOnModel } from '../model/hf/model.ts'
import { meanNll } from '../model/score.ts'
import { deriveSeed } from '../random.ts'
import { readSettings } from '../settings.ts'
import type { SftConfig } from '../../shared/jobs/train.ts'
import { AdamW, adamWDefaults } from './optimizer.ts'
import { loadSftData, MetricsWriter, runSftEpochs, type SftResult, type SftState } from './sft-loop.ts'
import { savedJobState } from '../../shared/jobs/kinds.ts'

export async function run(ctx: JobContext<unknown>, cfg: SftConfig): Promise<SftResult> {
  if (!('checkpoint' in cfg.start)) throw new Error('LoRA training starts from an imported checkpoint.')
  const started = Date.now()
  const db = ctx.db()
  const backend = await ensureBackend(backendPreference(cfg.backend, readSettings(db).tfBackend))
  const saved = savedJobState('sft', ctx.state)
  const from = saved?.checkpointId ?? cfg.start.checkpoint
  const loaded = loadHfCheckpoint(db, ctx.dataDir, from)
  // An adapter start continues that adapter; a base start gets a fresh one.
  let spec: LoraSpec
  let lora: LoraOnModel
  if (loaded.lora) ({ spec, lora } = loaded.lora)
  else {
    spec = resolveLora(cfg.lora ?? LORA_DEFAULTS, loaded.config.family)
    lora = createLora(loaded.config, spec, deriveSeed(cfg.seed, 'lora'))
  }
  // The data before the run: an example the tokeniser makes too long is bad input, and leaves no run behind.
  let data: ReturnType<typeof loadSftData>
  try {
    const encode = (p: { prompt: string; target: string; system?: string }) => encodeHfExample(loaded.tokenizer, loaded.config, { system: p.system, user: p.prompt }, p.target)
    data = loadSftData(cfg, loaded.config.maxPositions, encode)
  } catch (err) {
    disposeLora(lora)
    disposeHfModel(loaded.model)
    throw err
  }
  const { train, heldOut } = data
  const params = loraParams(lora)
  const adam = new AdamW(params, { ...adamWDefaults, weightDecay: cfg.weightDecay })
  if (saved?.checkpointId && loaded.optimizer) adam.importState(loaded.optimizer)
  let parentId = from
  let epoch = saved?.epoch ?? 0
  let step = saved?.step ?? 0
  const runId = openRun(ctx, { resume: saved?.runId, kind: 'sft', name: cfg.name, config: { ...cfg, lora: spec, backend: backend.id } })
  if (saved) dropMetricsAfter(db, runId, step)
  ctx.saveState({ runId, checkpointId: saved?.checkpointId ?? null, epoch, step } satisfies SftState)
  const metrics = new MetricsWriter(db, runId)
  try {
    const trainable = Object.values(params).reduce((n, v) => n + v.size, 0)
    ctx.log(`sft (LoRA r=${spec.r}, α=${spec.alpha} on ${spec.targetModules.join(', ')}; ${trainable} trainable parameters): ${train.length} train / ${heldOut.length} held-out examples, ${Math.ceil(train.length / cfg.batchSize) * cfg.epochs} steps on ${backend.id}`)
    const resumedFrom = saved?.checkpointId ? epoch : null
    const { checkpointId, steps, evalLoss } = await runSftEpochs({
      ctx, cfg, runId, metrics, train, rowLength: loaded.config.maxPositions, params, adam,
      loss: (batch, at, part) => hfTargetLoss(loaded.model, batch, lora, true, deriveSeed(cfg.seed, 'dropout', at, part)),
      evalLoss: () => (heldOut.length ? meanNll(heldOut, cfg.microBatch ?? cfg.batchSize, (batch) => hfLabelLogProbs(loaded.model, batch, lora)) : null),
      save: (e) =>
        saveAdapterCheckpoint(db, ctx.dataDir, loaded, spec, lora, {
          name: `${cfg.name} · epoch ${e.epoch}`, parentId: e.parentId ?? from, runId, optimizer: adam.exportState(),
          meta: { runId, jobId: ctx.jobId, epoch: e.epoch, step: e.step, seed: cfg.seed, trainLoss: e.trainLoss, evalLoss: e.evalLoss, datasets: cfg.datasets, backend: backend.id },
        }).id,
      epoch, step, checkpointId: saved?.checkpointId ?? null, parentId,
    })
    const result: SftResult = {
      runId, checkpointId: checkpointId!, epochs: cfg.epochs, steps, trainExamples: train.length, evalExamples: heldOut.length,
      evalLoss, resumedFrom, seconds: (Date.now() - started) / 1000, backend: backend.id,
    }
    return closeRun(ctx, runId, result)
  } catch (err) {
    metrics.flush()
    failRun(ctx, runId, err)
    throw err
  } finally {
    adam.dispose()
    disposeLora(lora)
    disposeHfModel(loaded.model)
  }
}
