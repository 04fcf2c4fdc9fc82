// GRPO's pieces that do not depend on the model (Shao et al., 2024, as the LEAFE paper uses it):
// group-normalised advantages from terminal rewards, and the clipped-ratio objective on action
// tokens with a KL penalty to a reference policy.
import * as tf from '@tensorflow/tfjs-core'
import type { GrpoNormalisation } from '../../shared/jobs/train.ts'

/**
 * Advantages within one group of G rollouts of the same task: (r − mean) / (std + eps). A group
 * where every rollout got the same reward carries no signal and gets zeros.
 */
export function groupAdvantages(rewards: number[], eps = 1e-6): number[] {
  const g = rewards.length
  if (g === 0) return []
  const mean = rewards.reduce((a, b) => a + b, 0) / g
  const std = Math.sqrt(rewards.reduce((a, r) => a + (r - mean) ** 2, 0) / g)
  if (std < eps) return rewards.map(() => 0)
  return rewards.map((r) => (r - mean) / (std + eps))
}

export type GrpoTerms = {
  /** log π_θ of each target token, [B, T] (tokens past a row's length are masked out). */
  logpNew: tf.Tensor2D
  /** log π of the policy that sampled the rollouts, [B, T] (no gradient). */
  logpOld: tf.Tensor2D
  /** log π_ref, [B, T] (no gradient). */
  logpRef: tf.Tensor2D
  /**
   * Each token's weight, [B, T]: 0 where the sampler drew nothing (padding, prompt, an EOS the
   * restriction forced), else `tokenWeight` of its rollout.
   */
  weights: tf.Tensor2D
  /** One advantage per row, [B]. */
  advantages: tf.Tensor1D
  clip: number
  klBeta: number
}

/** The weight of each drawn token of a rollout that drew `drawnTokens` tokens in all its steps. */
export function tokenWeight(drawnTokens: number, mode: GrpoNormalisation): number {
  return mode === 'rollout' ? 1 / Math.max(1, drawnTokens) : 1
}

/**
 * The loss to minimise: −(1/Σw) Σ_tokens w·[ min(ρ·A, clip(ρ, 1−ε, 1+ε)·A) − β·KL ], with
 * ρ = exp(logpNew − logpOld) and the unbiased, always-positive KL estimator
 * KL = exp(logpRef − logpNew) − (logpRef − logpNew) − 1. With `tokenWeight` 'rollout' weights
 * Σw is the number of rollouts, and the loss is GRPO's (1/G) Σ_i (1/|o_i|) Σ_t. Returns the loss
 * and, for logging, the weighted mean KL and share of clipped tokens.
 */
export function grpoLoss(t: GrpoTerms): { loss: tf.Scalar; kl: tf.Scalar; clipped: tf.Scalar } {
  return tf.tidy(() => {
    const adv = tf.expandDims(t.advantages, 1) // [B, 1]
    const ratio = tf.exp(tf.sub(t.logpNew, t.logpOld)) // [B, T]
    const unclipped = tf.mul(ratio, adv)
    const clippedRatio = tf.clipByValue(ratio, 1 - t.clip, 1 + t.clip)
    const surrogate = tf.minimum(unclipped, tf.mul(clippedRatio, adv)) // [B, T]
    const d = tf.sub(t.logpRef, t.logpNew)
    const kl = tf.sub(tf.sub(tf.exp(d), d), 1) // [B, T]
    const perToken = tf.sub(surrogate, tf.mul(kl, t.klBeta))
    const total = tf.sum(t.weights)
    // An all-zero batch has no tokens to learn from: a zero loss, not a division by zero.
    const count = tf.where(tf.greater(total, 0), total, tf.onesLike(total))
    const loss = tf.neg(tf.div(tf.sum(tf.mul(perToken, t.weights)), count)) as tf.Scalar
    const meanKl = tf.div(tf.sum(tf.mul(kl, t.weights)), count) as tf.Scalar
    const isClipped = tf.cast(tf.logicalOr(tf.less(ratio, 1 - t.clip), tf.greater(ratio, 1 + t.clip)), 'float32')
    const clippedShare = tf.div(tf.sum(tf.mul(isClipped, t.weights)), count) as tf.Scalar
    return { loss, kl: meanKl, clipped: clippedShare }
  })
}
