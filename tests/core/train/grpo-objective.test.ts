import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import '@tensorflow/tfjs-core/dist/register_all_gradients'
import { beforeAll, describe, expect, it } from 'vitest'
import { groupAdvantages, grpoLoss, tokenWeight } from '../../../src-main/core/train/grpo-objective.ts'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('GRPO advantages', () => {
  it('normalises within the group (hand-computed)', () => {
    // rewards 1, 0, 0, 1: mean 0.5, std 0.5 → ±1
    const a = groupAdvantages([1, 0, 0, 1])
    a.forEach((x, i) => expect(x).toBeCloseTo([1, -1, -1, 1][i]!, 5))
    // rewards 1, 0, 0, 0: mean 0.25, std sqrt(3)/4 ≈ 0.4330 → 1.7321, −0.5774 ×3
    const b = groupAdvantages([1, 0, 0, 0])
    expect(b[0]).toBeCloseTo(1.7320508, 5)
    expect(b[1]).toBeCloseTo(-0.5773503, 5)
    expect(b.reduce((x, y) => x + y, 0)).toBeCloseTo(0, 6)
  })
  it('gives zeros to a group with no signal', () => {
    expect(groupAdvantages([1, 1, 1])).toEqual([0, 0, 0])
    expect(groupAdvantages([0, 0])).toEqual([0, 0])
  })
})

describe('GRPO clipped objective', () => {
  it('matches a hand computation, masking and clipping included', () => {
    // Row 0: A = +1, two action tokens: ratio e^0.1 = 1.10517 (inside 1 ± 0.2) and e^0.5 = 1.64872 (clipped to 1.2).
    // Row 1: A = −1, one action token: ratio e^−0.5 = 0.60653 → min(−0.60653, −0.8) = −0.8 (clipped); second token masked.
    const logpOld = tf.tensor2d([[-1, -1], [-1, -1]])
    const logpNew = tf.tensor2d([[-0.9, -0.5], [-1.5, -3]])
    const logpRef = logpNew.clone() // KL = 0
    const mask = tf.tensor2d([[1, 1], [1, 0]])
    const { loss, kl, clipped } = grpoLoss({ logpNew, logpOld, logpRef, weights: mask, advantages: tf.tensor1d([1, -1]), clip: 0.2, klBeta: 0.1 })
    const expected = -(1.1051709 + 1.2 + -0.8) / 3
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 5)
    expect(kl.dataSync()[0]).toBeCloseTo(0, 6)
    expect(clipped.dataSync()[0]).toBeCloseTo(2 / 3, 6)
  })

  it('adds β·KL with the k3 estimator', () => {
    // One token, ratio 1, A = 0: loss = β·KL, KL = e^d − d − 1 with d = logpRef − logpNew = 0.3.
    const { loss, kl } = grpoLoss({
      logpNew: tf.tensor2d([[-1]]), logpOld: tf.tensor2d([[-1]]), logpRef: tf.tensor2d([[-0.7]]), weights: tf.tensor2d([[1]]),
      advantages: tf.tensor1d([0]), clip: 0.2, klBeta: 0.5,
    })
    const k = Math.exp(0.3) - 0.3 - 1
    expect(kl.dataSync()[0]).toBeCloseTo(k, 6)
    expect(loss.dataSync()[0]).toBeCloseTo(0.5 * k, 6)
  })

  it('has the policy-gradient sign: raising a positive-advantage token lowers the loss', () => {
    const f = (x: tf.Tensor) =>
      grpoLoss({ logpNew: x as tf.Tensor2D, logpOld: tf.tensor2d([[-1]]), logpRef: tf.tensor2d([[-1]]), weights: tf.tensor2d([[1]]), advantages: tf.tensor1d([1]), clip: 0.2, klBeta: 0 }).loss
    const g = tf.grad(f)(tf.tensor2d([[-1]]))
    expect(g.dataSync()[0]).toBeLessThan(0)
  })

  it("averages per rollout (1/|o_i|, then over rollouts) by default, per token as the option", () => {
    // Two rollouts as rows of different lengths: one of 1 drawn token with A = +1, one of 3 with
    // A = −1 (its last column padding). Ratio 1 and no KL, so each token's term is its A.
    const logp = tf.tensor2d([[-1, 0, 0, 0], [-1, -1, -1, 0]])
    const loss = (w: (n: number) => number) => {
      const weights = tf.tensor2d([[w(1), 0, 0, 0], [w(3), w(3), w(3), 0]])
      return grpoLoss({ logpNew: logp, logpOld: logp, logpRef: logp, weights, advantages: tf.tensor1d([1, -1]), clip: 0.2, klBeta: 0 }).loss.dataSync()[0]!
    }
    // GRPO: −(1/2)·(1/1·(+1) + 1/3·3·(−1)) = 0; per token: −(1 − 3)/4 = 0.5.
    expect(loss((n) => tokenWeight(n, 'rollout'))).toBeCloseTo(0, 6)
    expect(loss((n) => tokenWeight(n, 'token'))).toBeCloseTo(0.5, 6)
    expect(tokenWeight(4, 'rollout')).toBe(0.25)
  })
})
