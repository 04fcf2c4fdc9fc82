// The `grpo` job: outcome-driven RL for the local model, the baseline LEAFE is compared with
// (and, in the paper, LEAFE's starting point). Each iteration: G rollouts per task with the
// current weights, terminal success as the reward, advantages normalised within each group, the
// clipped-ratio objective on the action tokens with a KL penalty to a reference checkpoint.
import * as tf from '@tensorflow/tfjs-core'
import type { Context, Step, Task } from '../envs/types.ts'
import { getEnvironment } from '../envs/registry.ts'
import { resolveTasks } from '../envs/tasksets.ts'
import { EngineError } from '../errors.ts'
import { failRun, openRun } from '../jobs/runs.ts'
import { dropMetricsAfter } from '../store/train-metrics.ts'
import type { JobContext } from '../jobs/types.ts'
import { backendPreference, ensureBackend } from '../model/backend.ts'
import { paddedBatch } from '../model/batch.ts'
import { loadCheckpoint, saveCheckpoint } from '../model/checkpoint.ts'
import { isImportedCheckpoint } from '../model/hf/checkpoint.ts'
import { LORA_NEEDS_IMPORTED } from '../model/hf/lora-settings.ts'
import { labelLogProbs, type Restriction } from '../model/score.ts'
import { encodeExample, type EncodedExample } from '../model/tokenizer.ts'
import { disposeModel, exportWeights, importWeights, type Model } from '../model/transformer.ts'
import { LocalPolicy } from '../policies/local.ts'
import { readSettings } from '../settings.ts'
import { GrpoParams, type GrpoConfig, type GrpoNormalisation } from '../../shared/jobs/train.ts'
import { shuffled } from './data.ts'
import { grpoLoss, tokenWeight } from './grpo-objective.ts'
import { AdamW, adamWDefaults } from './optimizer.ts'
import { MetricsWriter } from './sft.ts'
import { finishGrpo, runGrpoIterations, type GrpoResult, type GrpoState } from './grpo-loop.ts'
import { savedJobState } from '../../shared/jobs/kinds.ts'

export type { GrpoEpisode, GrpoResult, GrpoState } from './grpo-loop.ts'

/**
 * One (state, action) of a rollout: the example, per target token (EOS included) the tokens the
 * sampler could take and whether it drew that token, the token weight of the rollout.
 */
export type Row = { example: EncodedExample; advantage: number; allowed: Uint8Array[]; drawn: boolean[]; weight: number; old?: Float32Array; ref?: Float32Array }
type Batch = ReturnType<typeof paddedBatch>

/** A row's targets sit right-aligned in the batch's last K positions: the first of them. */
const firstTargetAt = (r: Row, K: number) => K - r.drawn.length

/** The rows' allowed tokens laid out as the batch's computed rows, [B·K, V] (all allowed off the targets). */
function restrictionOf(rows: Row[], K: number, V: number, temperature: number): Restriction {
  const allowed = new Float32Array(rows.length * K * V).fill(1)
  rows.forEach((r, b) => r.allowed.forEach((a, i) => allowed.set(a, (b * K + firstTargetAt(r, K) + i) * V)))
  return { allowed, temperature }
}

/**
 * The per-token log-probabilities of a batch as [B, K] (K = the longest target, plus EOS), each
 * over the renormalised distribution the sampler drew it from, at the sampling temperature.
 */
function tokenLogProbs(model: Model, rows: Row[], batch: Batch, temperature: number): tf.Tensor2D {
  const K = (batch.select as { lastK: number }).lastK
  const lp = labelLogProbs(model.params, model.config, batch, restrictionOf(rows, K, model.config.vocabSize, temperature))
  return tf.reshape(lp, [batch.input.B, K]) as tf.Tensor2D
}

/** Each row's target-token log-probs under the sampler's distribution, computed in chunks. */
export function rowLogProbs(model: Model, rows: Row[], temperature: number, chunk = 512): Float32Array[] {
  const out: Float32Array[] = []
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk)
    const batch = paddedBatch(part.map((r) => r.example))
    const K = (batch.select as { lastK: number }).lastK
    const lp = tf.tidy(() => tokenLogProbs(model, part, batch, temperature))
    const values = lp.dataSync() as Float32Array
    lp.dispose()
    part.forEach((r, b) => out.push(values.slice(b * K + firstTargetAt(r, K), (b + 1) * K)))
  }
  return out
}

/** Stored per-row log-probs laid out as a batch's [B, K] matrix (zeros off the targets). */
function asMatrix(rows: Row[], pick: (r: Row) => Float32Array, K: number): tf.Tensor2D {
  const m = new Float32Array(rows.length * K)
  rows.forEach((r, b) => m.set(pick(r), b * K + firstTargetAt(r, K)))
  return tf.tensor2d(m, [rows.length, K])
}

/** Each token's weight in the loss, [B, K]: the rollout's token weight where the sampler drew the token, else 0. */
function weightMatrix(rows: Row[], K: number): tf.Tensor2D {
  const m = new Float32Array(rows.length * K)
  rows.forEach((r, b) => r.drawn.forEach((d, i) => d && (m[b * K + firstTargetAt(r, K) + i] = r.weight)))
  return tf.tensor2d(m, [rows.length, K])
}

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

/**
 * One minibatch's objective: the current weights' log-probs over the sampler's distributions
 * against the stored old and reference ones (`rowLogProbs`), each token weighted as its rollout
 * says. `loss()` runs inside the gradient tape; `dispose()` frees the fixed inputs.
 */
export function minibatchObjective(model: Model, part: Row[], cfg: Pick<GrpoConfig, 'temperature' | 'clip' | 'klBeta'>) {
  const batch = paddedBatch(part.map((r) => r.example))
  const K = (batch.select as { lastK: number }).lastK
  const weights = weightMatrix(part, K)
  const old = asMatrix(part, (r) => r.old!, K)
  const ref = asMatrix(part, (r) => r.ref!, K)
  const advantages = tf.tensor1d(part.map((r) => r.advantage))
  return {
    loss: () => grpoLoss({ logpNew: tokenLogProbs(model, part, batch, cfg.temperature), logpOld: old, logpRef: ref, weights, advantages, clip: cfg.clip, klBeta: cfg.klBeta }),
    dispose: () => tf.dispose([weights, old, ref, advantages]),
  }
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
  const runId = openRun(ctx, { resume: saved?.runId, kind: 'grpo', name: cfg.name, config: { ...cfg, taskSetName: set.name, backend: backend.id } })
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
      objective: (part) => minibatchObjective(model, part, cfg),
      save: (o) => saveCheckpoint(db, ctx.dataDir, { config: model.config, weights: exportWeights(model), optimizer: adam.exportState(), meta: { ...o.meta, backend: backend.id } }, { name: o.name, parentId: o.parentId, runId }).id,
    }, { runId, iteration: saved?.iteration ?? 0, checkpointId: saved?.checkpointId ?? null })
    return finishGrpo(ctx, runId, checkpointId, cfg, rewards, started, backend.id)
  } catch (err) {
    metrics.flush()
    failRun(ctx, runId, err)
    throw err
  } finally {
    await policy.close()
    adam.dispose()
    disposeModel(model)
    disposeModel(reference)
  }
}
