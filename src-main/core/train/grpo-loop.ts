// The iterations of a GRPO run, whatever model trains (the byte-level transformer in grpo.ts, a
// LoRA adapter on an imported model in grpo-lora.ts): rollouts, group-normalised advantages,
// the clipped objective's minibatch updates, metrics, checkpoints and the run's result.
import type { Environment, Step, Task } from '../envs/types.ts'
import { samplePassAtK } from '../eval/sampler.ts'
import { closeRun } from '../jobs/runs.ts'
import { throwIfCancelled, type JobContext } from '../jobs/types.ts'
import type { Params } from '../model/transformer.ts'
import type { Policy } from '../policies/types.ts'
import { deriveSeed } from '../random.ts'
import type { GrpoConfig } from '../../shared/jobs/train.ts'
import { shuffled } from './data.ts'
import { groupAdvantages, type grpoLoss } from './grpo-objective.ts'
import { trainStep, type AdamW } from './optimizer.ts'
import type { MetricsWriter } from './sft-loop.ts'

import type { GrpoResult, GrpoState } from '../../shared/jobs/train.ts'
export type { GrpoResult, GrpoState }

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
  /** Saves the current weights as a checkpoint with this name, parent and meta; returns its id. */
  save: (o: { name: string; parentId: number; meta: Record<string, unknown> }) => number
} & (
  | {
      /** A minibatch's objective, computed and stepped in the calling thread. */
      objective: (part: R[]) => MinibatchObjective
      update?: never
    }
  | {
      /** One optimisation step on a minibatch, however the learner computes it (the byte-level model: over its training threads). */
      update: (part: R[], lr: number, clipNorm: number | null) => Promise<GrpoUpdate>
      objective?: never
    }
)

/** A minibatch's objective: `loss()` runs inside the gradient tape, `dispose()` frees its fixed inputs. */
export type MinibatchObjective = { loss: () => ReturnType<typeof grpoLoss>; dispose: () => void }

/** What one minibatch update reports: its loss, gradient norm, mean KL and share of clipped tokens. */
export type GrpoUpdate = { loss: number; gradNorm: number; kl: number; clipped: number }

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
    let tasksSolved = 0
    for (const task of tasks) {
      const group = episodes.filter((e) => e.task.id === task.id)
      if (group.some((e) => e.success)) tasksSolved++
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
        const part = mixed.slice(i, i + cfg.minibatch)
        const r = learner.update ? await learner.update(part, cfg.lr, cfg.gradClip) : localUpdate(learner.params, learner.adam, learner.objective(part), cfg)
        lossSum += r.loss
        klSum += r.kl
        clippedSum += r.clipped
        gradSum += r.gradNorm
        updates++
      }
    }
    iteration++
    // The reward is terminal success (0/1), so its mean is the rollouts' success rate; `solved`
    // is the share of this iteration's tasks that at least one of the G rollouts solved.
    metrics.add(iteration, iteration, 'train', 'reward', meanReward)
    metrics.add(iteration, iteration, 'train', 'solved', tasksSolved / Math.max(1, tasks.length))
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

/** One update on a minibatch's objective in the calling thread; frees the objective's inputs. */
function localUpdate(params: Params, adam: AdamW, minibatch: MinibatchObjective, cfg: GrpoConfig): GrpoUpdate {
  let kl = 0, clipped = 0
  const r = trainStep(
    params,
    adam,
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
  return { ...r, kl, clipped }
}

/** What the job has read before it knows which model trains: shared by both kinds of learner. */
export type GrpoSetup = { started: number; backend: string; env: Environment; taskSetName: string; tasks: Task[]; saved: GrpoState | null }

/** The result of a finished run from its rewards; the run row is marked done with it. */
export function finishGrpo(ctx: JobContext<unknown>, runId: number, checkpointId: number, cfg: GrpoConfig, rewards: number[], started: number, backend: string): GrpoResult {
  const result: GrpoResult = {
    runId,
    checkpointId,
    iterations: cfg.iterations,
    meanReward: rewards.length ? rewards.reduce((a, b) => a + b, 0) / rewards.length : NaN,
    seconds: (Date.now() - started) / 1000,
    backend,
  }
  return closeRun(ctx, runId, result)
}

