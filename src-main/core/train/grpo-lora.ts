// GRPO with a LoRA adapter on an imported Hugging Face model: what the `grpo` job runs when its
// start is an imported model. The base stays frozen; the rollouts, advantages, clipped objective
// (grpo-objective.ts) and iterations are the byte-level run's (grpo.ts `runGrpoIterations`). The
// policy is HfPolicy with the adapter being trained, so every rollout sees the current weights;
// each action is one draw of its sampler (a choice among the valid actions, or a generated reply),
// and the ratio and KL are taken on the action's log-probability under that sampler. The KL
// reference is the start (or `reference`): the same base with its adapter, or with none.
import * as tf from '@tensorflow/tfjs-core'
import type { Context } from '../envs/types.ts'
import { failRun, openRun } from '../jobs/runs.ts'
import { dropMetricsAfter } from '../store/train-metrics.ts'
import type { JobContext } from '../jobs/types.ts'
import { adapterOn, loadHfCheckpoint, saveAdapterCheckpoint } from '../model/hf/checkpoint.ts'
import { createLora, disposeLora, loraParams } from '../model/hf/lora.ts'
import { LORA_DEFAULTS, resolveLora } from '../model/hf/lora-settings.ts'
import type { LoraOnModel } from '../model/hf/model.ts'
import { HfPolicy } from '../policies/hf.ts'
import { deriveSeed } from '../random.ts'
import type { GrpoConfig } from '../../shared/jobs/train.ts'
import { shuffled } from './data.ts'
import { finishGrpo, runGrpoIterations, type GrpoEpisode, type GrpoResult, type GrpoSetup, type GrpoState } from './grpo-loop.ts'
import { grpoLoss, tokenWeight } from './grpo-objective.ts'
import { AdamW, adamWDefaults } from './optimizer.ts'
import { MetricsWriter } from './sft.ts'

/** One (state, action) of a rollout, with the rollout's advantage and weight, and its fixed old and reference log-probs. */
export type HfRow = { context: Context; action: string; advantage: number; weight: number; old?: number; ref?: number }

/** The rows of one rollout: every step's context as the policy saw it; `normalise` 'rollout' weighs each step 1/steps. */
export function hfRolloutRows(episode: Omit<GrpoEpisode, 'success'>, advantage: number, normalise: GrpoConfig['normalise']): HfRow[] {
  const weight = tokenWeight(episode.history.length, normalise)
  return episode.history.map((h, t) => {
    const valid = episode.validActions[t]
    const context: Context = { task: episode.task, initial: episode.initial, history: episode.history.slice(0, t), ...(valid ? { validActions: valid } : {}) }
    return { context, action: h.action, advantage, weight }
  })
}

/** The rows' log-probs under the sampler with adapter `lora` (null: the bare base), computed in chunks. */
export function hfRowLogProbs(policy: HfPolicy, rows: HfRow[], temperature: number, lora: LoraOnModel | null, chunk = 32): number[] {
  const out: number[] = []
  for (let i = 0; i < rows.length; i += chunk) {
    const lp = tf.tidy(() => policy.samplerLogProbs(rows.slice(i, i + chunk), temperature, { lora }))
    out.push(...lp.dataSync())
    lp.dispose()
  }
  return out
}

/** One minibatch's objective: GRPO's clipped loss on one column of action log-probs per row. */
export function hfMinibatchObjective(policy: HfPolicy, part: HfRow[], cfg: Pick<GrpoConfig, 'temperature' | 'clip' | 'klBeta'>, seed: number) {
  const column = (xs: number[]) => tf.tensor2d(xs, [xs.length, 1])
  const fixed = { logpOld: column(part.map((r) => r.old!)), logpRef: column(part.map((r) => r.ref!)), weights: column(part.map((r) => r.weight)), advantages: tf.tensor1d(part.map((r) => r.advantage)) }
  return {
    loss: () => grpoLoss({ ...fixed, logpNew: tf.reshape(policy.samplerLogProbs(part, cfg.temperature, { training: true, seed }), [-1, 1]) as tf.Tensor2D, clip: cfg.clip, klBeta: cfg.klBeta }),
    dispose: () => tf.dispose(Object.values(fixed)),
  }
}

export async function run(ctx: JobContext<unknown>, cfg: GrpoConfig, setup: GrpoSetup): Promise<GrpoResult> {
  const { started, backend, env, saved } = setup
  const db = ctx.db()
  const loaded = loadHfCheckpoint(db, ctx.dataDir, saved?.checkpointId ?? cfg.from)
  // An adapter start continues that adapter; a base start gets a fresh one.
  const { spec, lora } = loaded.lora ?? (() => {
    const s = resolveLora(cfg.lora ?? LORA_DEFAULTS, loaded.config.family)
    return { spec: s, lora: createLora(loaded.config, s, deriveSeed(cfg.seed, 'lora')) }
  })()
  const policy = new HfPolicy(`checkpoint:${cfg.from}`, env, { ...loaded, lora: { spec, lora } })
  let reference: ReturnType<typeof adapterOn>
  try {
    reference = adapterOn(db, ctx.dataDir, cfg.reference ?? cfg.from, loaded)
  } catch (err) {
    await policy.close()
    throw err
  }
  const params = loraParams(lora)
  const adam = new AdamW(params, { ...adamWDefaults, weightDecay: 0 })
  if (saved?.checkpointId && loaded.optimizer) adam.importState(loaded.optimizer)
  const runId = openRun(ctx, { resume: saved?.runId, kind: 'grpo', name: cfg.name, config: { ...cfg, lora: spec, taskSetName: setup.taskSetName, backend } })
  ctx.saveState({ runId, iteration: saved?.iteration ?? 0, checkpointId: saved?.checkpointId ?? null } satisfies GrpoState)
  if (saved) dropMetricsAfter(db, runId, saved.iteration)
  const metrics = new MetricsWriter(db, runId)
  let updates = 0
  try {
    ctx.log(`grpo (LoRA r=${spec.r}, α=${spec.alpha} on ${spec.targetModules.join(', ')}; ${Object.values(params).reduce((n, v) => n + v.size, 0)} trainable parameters) on ${backend}`)
    const { checkpointId, rewards } = await runGrpoIterations(ctx, cfg, env, shuffled(setup.tasks, cfg.seed), metrics, {
      policy, params, adam,
      rows: (e, advantage) => hfRolloutRows(e, advantage, cfg.normalise),
      fixLogProbs: (rows) => {
        const old = hfRowLogProbs(policy, rows, cfg.temperature, lora)
        const ref = hfRowLogProbs(policy, rows, cfg.temperature, reference?.lora ?? null)
        rows.forEach((r, i) => ((r.old = old[i]), (r.ref = ref[i])))
      },
      objective: (part) => hfMinibatchObjective(policy, part, cfg, deriveSeed(cfg.seed, 'dropout', updates++)),
      save: (o) => saveAdapterCheckpoint(db, ctx.dataDir, loaded, spec, lora, { ...o, runId, optimizer: adam.exportState(), meta: { ...o.meta, backend } }).id,
    }, { runId, iteration: saved?.iteration ?? 0, checkpointId: saved?.checkpointId ?? null })
    return finishGrpo(ctx, runId, checkpointId, cfg, rewards, started, backend)
  } catch (err) {
    metrics.flush()
    failRun(ctx, runId, err)
    throw err
  } finally {
    adam.dispose()
    if (reference) disposeLora(reference.lora)
    await policy.close()
  }
}
