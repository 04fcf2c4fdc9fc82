// The `grpo` job: outcome-driven RL for the local model, the baseline LEAFE is compared with
// (and, in the paper, LEAFE's starting point). Each iteration: G rollouts per task with the
// current weights, terminal success as the reward, advantages normalised within each group, the
// clipped-ratio objective on the action tokens with a KL penalty to a reference checkpoint.
import * as tf from '@tensorflow/tfjs-core'
import type { Context, Environment, Step, Task } from '../envs/types.ts'
import { getEnvironment } from '../envs/registry.ts'
import { resolveTasks } from '../envs/tasksets.ts'
import { EngineError } from '../errors.ts'
import { samplePassAtK } from '../eval/sampler.ts'
import { createRun, finishRun } from '../explore/recorder.ts'
import { throwIfCancelled, type JobContext } from '../jobs/types.ts'
import { backendPreference, ensureBackend } from '../model/backend.ts'
import { paddedBatch } from '../model/batch.ts'
import { loadCheckpoint, saveCheckpoint } from '../model/checkpoint.ts'
import { isImportedCheckpoint } from '../model/hf/checkpoint.ts'
import { LORA_NEEDS_IMPORTED } from '../model/hf/lora-settings.ts'
import { labelLogProbs, type Restriction } from '../model/score.ts'
import { encodeExample, type EncodedExample } from '../model/tokenizer.ts'
import { disposeModel, exportWeights, importWeights, type Model, type Params } from '../model/transformer.ts'
import { LocalPolicy } from '../policies/local.ts'
import type { Policy } from '../policies/types.ts'
import type { DB } from '../store/db.ts'
import { deriveSeed } from '../random.ts'
import { readSettings } from '../settings.ts'
import { GrpoConfig, type GrpoNormalisation } from './config.ts'
import { shuffled } from './data.ts'
import { groupAdvantages, grpoLoss, tokenWeight } from './grpo-objective.ts'
import { AdamW, adamWDefaults, trainStep } from './optimizer.ts'
import { MetricsWriter } from './sft.ts'
import { endRunOnError } from './sft-loop.ts'

export type GrpoState = { runId: number; iteration: number; checkpointId: number | null }
export type GrpoResult = { runId: number; checkpointId: number; iterations: number; meanReward: number; seconds: number; backend: string }

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

/** A finished rollout as the sampler reports it. */
export type GrpoEpisode = { task: Task; initial: Step; history: { action: string; step: Step }[]; validActions: (string[] | undefined)[]; success: boolean }

/**
 * What the GRPO iterations need from the model being trained, whatever it is (the byte-level
 * transformer, or a LoRA adapter on an imported model): the policy that samples, the trainable
 * parameters, the rows of a rollout, the old and reference log-probs of rows, the minibatch
 * objective and how a checkpoint is saved.
 */
export type GrpoLearner<R extends { advantage: number }> = {
  policy: Policy
  params: Params
  adam: AdamW
  /** Before each iteration's rollouts: the sampler gets the current weights. */
  sync?: () => Promise<void>
  rows: (episode: GrpoEpisode, advantage: number) => R[]
  /** Fixes every row's old and reference log-probs for all of an iteration's updates. */
  fixLogProbs: (rows: R[]) => void
  objective: (part: R[]) => { loss: () => ReturnType<typeof grpoLoss>; dispose: () => void }
  /** Saves the current weights as a checkpoint with this name, parent and meta; returns its id. */
  save: (o: { name: string; parentId: number; meta: Record<string, unknown> }) => number
}

/**
 * The iterations of a GRPO run from `iteration` on: G rollouts per task, group-normalised
 * advantages, old and reference log-probs fixed, μ passes of minibatch updates, metrics and a
 * checkpoint every `checkpointEvery` iterations. Returns the last checkpoint and the mean rewards.
 */
export async function runGrpoIterations<R extends { advantage: number }>(
  ctx: JobContext<unknown>, cfg: GrpoConfig, env: Environment, tasksInOrder: Task[], metrics: MetricsWriter, learner: GrpoLearner<R>,
  from: { runId: number; iteration: number; checkpointId: number | null },
): Promise<{ checkpointId: number; rewards: number[] }> {
  const rewards: number[] = []
  const { runId } = from
  let { iteration, checkpointId } = from
  let parentId = checkpointId ?? cfg.from
  const save = (final: boolean) => {
    const id = learner.save({ name: final ? cfg.name : `${cfg.name} · iteration ${iteration}`, parentId, meta: { runId, jobId: ctx.jobId, iteration, seed: cfg.seed, kind: 'grpo' } })
    parentId = id
    ctx.saveState({ runId, iteration, checkpointId: id } satisfies GrpoState)
    return id
  }
  for (; iteration < cfg.iterations; ) {
    throwIfCancelled(ctx.signal)
    const tasks: Task[] = Array.from({ length: Math.min(cfg.tasksPerIteration, tasksInOrder.length) }, (_, i) => tasksInOrder[(iteration * cfg.tasksPerIteration + i) % tasksInOrder.length]!)
    await learner.sync?.()

    // 1. G rollouts per task.
    const episodes: GrpoEpisode[] = []
    await samplePassAtK({
      env, policy: learner.policy, policyKey: 'grpo', tasks, n: cfg.groupSize, temperature: cfg.temperature, topP: 1,
      seed: deriveSeed(cfg.seed, 'grpo', iteration), signal: ctx.signal, onEpisode: (e) => episodes.push(e),
    })

    // 2. Group-normalised advantages; groups where every rollout agreed carry no signal.
    const rows: R[] = []
    let rewardSum = 0
    for (const task of tasks) {
      const group = episodes.filter((e) => e.task.id === task.id)
      const adv = groupAdvantages(group.map((e) => (e.success ? 1 : 0)))
      group.forEach((e, g) => {
        rewardSum += e.success ? 1 : 0
        if (adv[g] === 0) return
        rows.push(...learner.rows(e, adv[g]!))
      })
    }
    const meanReward = rewardSum / Math.max(1, episodes.length)
    rewards.push(meanReward)

    // 3. The sampling policy's and the reference's log-probs, fixed for all of this iteration's updates.
    learner.fixLogProbs(rows)

    // 4. μ passes of minibatch updates on the clipped objective.
    let lossSum = 0, klSum = 0, clippedSum = 0, gradSum = 0, updates = 0
    for (let epoch = 0; epoch < cfg.updateEpochs && rows.length > 0; epoch++) {
      const mixed = shuffled(rows, deriveSeed(cfg.seed, iteration, epoch))
      for (let i = 0; i < mixed.length; i += cfg.minibatch) {
        throwIfCancelled(ctx.signal)
        const minibatch = learner.objective(mixed.slice(i, i + cfg.minibatch))
        let kl = 0, clipped = 0
        const r = trainStep(
          learner.params,
          learner.adam,
          () => {
            const out = minibatch.loss()
            kl = out.kl.dataSync()[0]!
            clipped = out.clipped.dataSync()[0]!
            return out.loss
          },
          cfg.lr,
          cfg.gradClip,
        )
        minibatch.dispose()
        lossSum += r.loss
        klSum += kl
        clippedSum += clipped
        gradSum += r.gradNorm
        updates++
      }
    }
    iteration++
    metrics.add(iteration, iteration, 'train', 'reward', meanReward)
    metrics.add(iteration, iteration, 'train', 'rows', rows.length)
    if (updates) {
      metrics.add(iteration, iteration, 'train', 'loss', lossSum / updates)
      metrics.add(iteration, iteration, 'train', 'kl', klSum / updates)
      metrics.add(iteration, iteration, 'train', 'clipped', clippedSum / updates)
      metrics.add(iteration, iteration, 'train', 'grad_norm', gradSum / updates)
    }
    metrics.flush()
    if (iteration % cfg.checkpointEvery === 0 || iteration === cfg.iterations) checkpointId = save(iteration === cfg.iterations)
    ctx.progress(iteration, cfg.iterations, `iteration ${iteration}/${cfg.iterations} · reward ${meanReward.toFixed(3)} · ${rows.length} rows`)
  }
  return { checkpointId: checkpointId ?? save(true), rewards }
}

/** What the job has read before it knows which model trains: shared by both kinds of learner. */
export type GrpoSetup = { started: number; backend: string; env: Environment; taskSetName: string; tasks: Task[]; saved: GrpoState | null }

/** The result of a finished run from its rewards; the run row is marked done with it. */
export function finishGrpo(db: DB, runId: number, checkpointId: number, cfg: GrpoConfig, rewards: number[], started: number, backend: string): GrpoResult {
  const result: GrpoResult = {
    runId,
    checkpointId,
    iterations: cfg.iterations,
    meanReward: rewards.length ? rewards.reduce((a, b) => a + b, 0) / rewards.length : NaN,
    seconds: (Date.now() - started) / 1000,
    backend,
  }
  finishRun(db, runId, 'done', result)
  return result
}

export async function run(ctx: JobContext<unknown>): Promise<GrpoResult> {
  const cfg = GrpoConfig.parse((ctx.params as { config: unknown }).config)
  const db = ctx.db()
  const imported = isImportedCheckpoint(db, ctx.dataDir, cfg.from)
  if (cfg.lora && !imported) throw new EngineError('bad_request', LORA_NEEDS_IMPORTED)
  const started = Date.now()
  const backend = await ensureBackend(backendPreference(cfg.backend, readSettings(db).tfBackend))
  const env = getEnvironment(cfg.env)
  const { set, tasks: all } = resolveTasks(db, env, cfg.tasks)
  const saved = ctx.state as GrpoState | null
  // An imported Hugging Face start trains a LoRA adapter on its frozen base (train/grpo-lora.ts).
  if (imported) return (await import('./grpo-lora.ts')).run(ctx, cfg, { started, backend: backend.id, env, taskSetName: set.name, tasks: all, saved })

  const start = loadCheckpoint(db, ctx.dataDir, saved?.checkpointId ?? cfg.from)
  const model = importWeights(start.config, start.weights)
  const refCk = loadCheckpoint(db, ctx.dataDir, cfg.reference ?? cfg.from)
  const reference = importWeights(refCk.config, refCk.weights)
  const adam = new AdamW(model.params, { ...adamWDefaults, weightDecay: 0 })
  if (saved?.checkpointId && start.optimizer) adam.importState(start.optimizer)
  const runId = saved?.runId ?? createRun(db, 'grpo', cfg.name, { ...cfg, taskSetName: set.name, backend: backend.id }, ctx.jobId)
  ctx.saveState({ runId, iteration: saved?.iteration ?? 0, checkpointId: saved?.checkpointId ?? null } satisfies GrpoState)
  if (saved) db.prepare('DELETE FROM train_metrics WHERE run_id = ? AND step > ?').run(runId, saved.iteration)

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
    return finishGrpo(db, runId, checkpointId, cfg, rewards, started, backend.id)
  } catch (err) {
    endRunOnError(db, runId, ctx, metrics, err)
    throw err
  } finally {
    await policy.close()
    adam.dispose()
    disposeModel(model)
    disposeModel(reference)
  }
}
