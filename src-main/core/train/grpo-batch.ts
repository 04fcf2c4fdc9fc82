// A GRPO minibatch as the model sees it: rows of (state, action) with what the sampler drew
// each token from, their log-probs under a model, and the clipped objective on them. Apart from
// the job (grpo.ts) so that the data-parallel training threads can compute it too.
import * as tf from '@tensorflow/tfjs-core'
import { paddedBatch } from '../model/batch.ts'
import { labelLogProbs, type Restriction } from '../model/score.ts'
import type { EncodedExample } from '../model/tokenizer.ts'
import type { Model } from '../model/transformer.ts'
import type { GrpoConfig } from '../../shared/jobs/train.ts'
import { grpoLoss } from './grpo-objective.ts'

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

/** Σ of the rows' token weights (weightMatrix's sum): what a part of a minibatch counts for in the objective's mean. */
export const tokenWeightSum = (rows: Row[]): number => rows.reduce((a, r) => a + r.weight * r.drawn.filter(Boolean).length, 0)

/** Each token's weight in the loss, [B, K]: the rollout's token weight where the sampler drew the token, else 0. */
function weightMatrix(rows: Row[], K: number): tf.Tensor2D {
  const m = new Float32Array(rows.length * K)
  rows.forEach((r, b) => r.drawn.forEach((d, i) => d && (m[b * K + firstTargetAt(r, K) + i] = r.weight)))
  return tf.tensor2d(m, [rows.length, K])
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
