// The `grpo` job: outcome-driven RL for the local model, the baseline LEAFE is compared with
// (and, in the paper, LEAFE's starting point). Each iteration: G rollouts per task with the
// current weights, terminal success as the reward, advantages normalised within each group, the
// clipped-ratio objective on the action tokens with a KL penalty to a reference checkpoint.
import type { Context, Step, Task } from '../envs/types.ts'
import { getEnvironment } from '../envs/registry.ts'
import { resolveTasks } from '../envs/tasksets.ts'
import { EngineError } from '../errors.ts'
import { failRun, openRun } from '../jobs/runs.ts'
import { dropMetricsAfter } from '../store/train-metrics.ts'
import type { JobContext } from '../jobs/types.ts'
import { backendPreference, ensureBackend } from '../model/backend.ts'
import { loadCheckpoint, saveCheckpoint } from '../model/checkpoint.ts'
import { isImportedCheckpoint } from '../model/hf/checkpoint.ts'
import { LORA_NEEDS_IMPORTED } from '../model/hf/lora-settings.ts'
import { encodeExample } from '../model/tokenizer.ts'
import { disposeModel, exportWeights, importWeights, type Model } from '../model/transformer.ts'
import { LocalPolicy } from '../policies/local.ts'
import { readSettings } from '../settings.ts'
import { GrpoParams, type GrpoNormalisation } from '../../shared/jobs/train.ts'
import { shuffled } from './data.ts'
import { DataParallel, trainThreads } from './data-parallel.ts'
import { rowLogProbs, tokenWeightSum, type Row } from './grpo-batch.ts'
import { tokenWeight } from './grpo-objective.ts'
import { AdamW, adamWDefaults } from './optimizer.ts'
import { MetricsWriter } from './sft.ts'
import { stepParts } from './sft-loop.ts'
import { finishGrpo, runGrpoIterations, type GrpoResult, type GrpoState } from './grpo-loop.ts'
import { savedJobState } from '../../shared/jobs/kinds.ts'

export type { GrpoEpisode, GrpoResult, GrpoState } from './grpo-loop.ts'

/**
 * The training rows of one rollout: every (state, action) with what the sampler drew it from and
 * the rollout's token weight (`normalise`: 1/|o_i| with |o_i| its drawn tokens in all steps, or 1).
 */
export function rolloutRows(
  policy: Pick<LocalPolicy, 'prompt' | 'target' | 'drawnFrom'>,
  model: Pick<Model, 'config'>,
  episode: { task: Task; initial: Step; history: { action: string; step: Step }[]; validActions: (string[] | undefined)[] },
  advantage: number,
  normalise: GrpoNormalisation,
): Row[] {
  const rows = episode.history.map((h, t) => {
    const valid = episode.validActions[t]
    const context: Context = { task: episode.task, initial: episode.initial, history: episode.history.slice(0, t), ...(valid ? { validActions: valid } : {}) }
    const example = encodeExample(policy.prompt(context), policy.target(h.action))
    const targets = example.target.filter(Boolean).length
    // An action the restriction cannot have produced (none should be) is scored over every token.
    const drawn = policy.drawnFrom(context, h.action, model.config.vocabSize, model.config.contextLength) ?? {
      allowed: Array.from({ length: targets }, () => new Uint8Array(model.config.vocabSize).fill(1)),
      drawn: Array.from({ length: targets }, () => true),
    }
    return { example, advantage, allowed: drawn.allowed, drawn: drawn.drawn, weight: 1 }
  })
  const w = tokenWeight(rows.reduce((a, r) => a + r.drawn.filter(Boolean).length, 0), normalise)
  return rows.map((r) => ({ ...r, weight: w }))
}

export async function run(ctx: JobContext<unknown>): Promise<GrpoResult> {
  const cfg = GrpoParams.parse(ctx.params).config
  const db = ctx.db()
  const imported = isImportedCheckpoint(db, ctx.dataDir, cfg.from)
  if (cfg.lora && !imported) throw new EngineError('bad_request', LORA_NEEDS_IMPORTED)
  const started = Date.now()
  const backend = await ensureBackend(backendPreference(cfg.backend, readSettings(db).tfBackend))
  const env = getEnvironment(cfg.env)
  const { set, tasks: all } = resolveTasks(db, env, cfg.tasks)
  const saved = savedJobState('grpo', ctx.state)
  // An imported Hugging Face start trains a LoRA adapter on its frozen base (train/grpo-lora.ts).
  if (imported) return (await import('./grpo-lora.ts')).run(ctx, cfg, { started, backend: backend.id, env, taskSetName: set.name, tasks: all, saved })

  const start = loadCheckpoint(db, ctx.dataDir, saved?.checkpointId ?? cfg.from)
  const model = importWeights(start.config, start.weights)
  const refCk = loadCheckpoint(db, ctx.dataDir, cfg.reference ?? cfg.from)
  const reference = importWeights(refCk.config, refCk.weights)
  const adam = new AdamW(model.params, { ...adamWDefaults, weightDecay: 0 })
  if (saved?.checkpointId && start.optimizer) adam.importState(start.optimizer)
  let parallel: DataParallel<'grpo'>
  try {
    parallel = await DataParallel.open('grpo', model, trainThreads(cfg.trainThreads, cfg.minibatch, backend.id), backend.id)
  } catch (err) {
    adam.dispose()
    disposeModel(model)
    disposeModel(reference)
    throw err
  }
  // The thread count is recorded as chosen, so that the run can be repeated as it ran.
  const runId = openRun(ctx, { resume: saved?.runId, kind: 'grpo', name: cfg.name, config: { ...cfg, taskSetName: set.name, backend: backend.id, ...(backend.matmul ? { matmul: backend.matmul.id } : {}), trainThreads: parallel.threads } })
  ctx.saveState({ runId, iteration: saved?.iteration ?? 0, checkpointId: saved?.checkpointId ?? null } satisfies GrpoState)
  if (saved) dropMetricsAfter(db, runId, saved.iteration)

  // Rollouts run in the sampler threads with the weights being trained (set after every update).
  const policy = await LocalPolicy.open(`checkpoint:${cfg.from}`, env, { config: model.config, weights: exportWeights(model) }, { backend: backend.id })
  const metrics = new MetricsWriter(db, runId)
  try {
    const { checkpointId, rewards } = await runGrpoIterations(ctx, cfg, env, shuffled(all, cfg.seed), metrics, {
      policy, params: model.params, adam,
      sync: () => policy.pool.setWeights(exportWeights(model)),
      rows: (e, advantage) => rolloutRows(policy, model, e, advantage, cfg.normalise),
      fixLogProbs: (rows) => {
        const old = rowLogProbs(model, rows, cfg.temperature)
        const ref = rowLogProbs(reference, rows, cfg.temperature)
        rows.forEach((r, i) => ((r.old = old[i]), (r.ref = ref[i])))
      },
      update: async (rows, lr, clipNorm) => {
        // A part per thread, each counting with its share of the minibatch's token weights.
        const total = tokenWeightSum(rows)
        const objective = { temperature: cfg.temperature, clip: cfg.clip, klBeta: cfg.klBeta }
        const parts = stepParts(rows, undefined, parallel.threads).map((p) => ({ input: { rows: p, objective }, share: total > 0 ? tokenWeightSum(p) / total : 0 }))
        const r = await parallel.step(adam, parts, lr, clipNorm)
        return { loss: r.loss, gradNorm: r.gradNorm, kl: r.notes.kl ?? 0, clipped: r.notes.clipped ?? 0 }
      },
      save: (o) => saveCheckpoint(db, ctx.dataDir, { config: model.config, weights: exportWeights(model), optimizer: adam.exportState(), meta: { ...o.meta, backend: backend.id } }, { name: o.name, parentId: o.parentId, runId }).id,
    }, { runId, iteration: saved?.iteration ?? 0, checkpointId: saved?.checkpointId ?? null })
    return finishGrpo(ctx, runId, checkpointId, cfg, rewards, started, backend.id)
  } catch (err) {
    metrics.flush()
    failRun(ctx, runId, err)
    throw err
  } finally {
    await policy.close()
    await parallel.close()
    adam.dispose()
    disposeModel(model)
    disposeModel(reference)
  }
}
