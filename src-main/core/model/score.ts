import * as tf from '@tensorflow/tfjs-core'
import { paddedBatch, toTensors, type TargetBatch } from './batch.ts'
import { oneHotF32 } from './ops.ts'
import { encodeExample, type EncodedExample } from './tokenizer.ts'
import { forward, type ModelConfig, type Params } from './transformer.ts'

/**
 * Log-probability of each computed row's label, [rows] — differentiable, from the same forward
 * as sampling. SFT's loss, GRPO's ratios and scoring all start here.
 */
export function labelLogProbs(p: Params, c: ModelConfig, batch: TargetBatch, restrict?: Restriction): tf.Tensor1D {
  const input = toTensors(batch.input)
  const { logits } = forward(p, c, input, batch.select) // [rows, V]
  const scaled = restrict ? restrictedLogits(logits, restrict) : logits
  return tf.sum(tf.mul(tf.logSoftmax(scaled), oneHotF32(tf.tensor1d(batch.labels, 'int32'), c.vocabSize)), 1) as tf.Tensor1D
}

/**
 * The distribution a restricted sampler draws from, per computed row: the allowed tokens only
 * ([rows, V] of 1 and 0; sampling.ts `replayConstraint`), logits divided by the temperature.
 */
export type Restriction = { allowed: Float32Array; temperature: number }

/** Logits whose log-softmax is the renormalised distribution over the allowed tokens. */
function restrictedLogits(logits: tf.Tensor2D, r: Restriction): tf.Tensor2D {
  if (r.allowed.length !== logits.size) throw new Error(`The restriction covers ${r.allowed.length} logits, the batch has ${logits.size}.`)
  // A large negative offset rather than -Infinity: exp underflows to exactly 0, and no NaN can
  // reach the gradient.
  const offset = tf.mul(tf.sub(tf.tensor2d(r.allowed, logits.shape), 1), 1e9)
  return tf.add(tf.div(logits, r.temperature > 0 ? r.temperature : 1), offset) as tf.Tensor2D
}

/** SFT loss: Σ weight · NLL over target tokens, divided by the number of target tokens. */
export function targetLoss(p: Params, c: ModelConfig, batch: TargetBatch): tf.Scalar {
  const lp = labelLogProbs(p, c, batch)
  return tf.div(tf.neg(tf.sum(tf.mul(lp, tf.tensor1d(batch.weights)))), Math.max(1, batch.tokens)) as tf.Scalar
}

/**
 * Σ log p(target tokens + EOS | prompt) for each (prompt, target) pair, computed in chunks —
 * what GRPO needs for its reference and old-policy log-probabilities.
 */
export function scoreTargets(p: Params, c: ModelConfig, pairs: { prompt: string; target: string }[], chunk = 128): number[] {
  const out: number[] = []
  for (let i = 0; i < pairs.length; i += chunk) {
    const batch = paddedBatch(pairs.slice(i, i + chunk).map((x) => encodeExample(x.prompt, x.target)))
    out.push(...rowSums(batch, () => labelLogProbs(p, c, batch)))
  }
  return out
}

/** Per example row of a padded batch, Σ of its target rows' log-probs (any model's `logProbs`, run in one tidy). */
export function rowSums(batch: TargetBatch, logProbs: () => tf.Tensor1D): number[] {
  const lp = tf.tidy(logProbs)
  const values = lp.dataSync()
  lp.dispose()
  const K = values.length / batch.input.B
  const out: number[] = []
  for (let b = 0; b < batch.input.B; b++) {
    let s = 0
    for (let j = 0; j < K; j++) if (batch.weights[b * K + j]! > 0) s += values[b * K + j]!
    out.push(s)
  }
  return out
}

/** Mean NLL per target token over a set of examples (the eval loss), in batches of any model's `logProbs`. */
export function meanNll(examples: EncodedExample[], batchSize: number, logProbs: (batch: TargetBatch) => tf.Tensor1D): number {
  let sum = 0
  let count = 0
  for (let i = 0; i < examples.length; i += batchSize) {
    const batch = paddedBatch(examples.slice(i, i + batchSize))
    const lp = tf.tidy(() => logProbs(batch))
    const values = lp.dataSync()
    lp.dispose()
    values.forEach((v, j) => {
      if (batch.weights[j]! > 0) {
        sum -= v
        count++
      }
    })
  }
  return count ? sum / count : NaN
}

/** Mean NLL per target token over a set of examples (the eval loss), in batches. */
export function meanTargetNll(p: Params, c: ModelConfig, examples: EncodedExample[], batchSize = 128): number {
  return meanNll(examples, batchSize, (batch) => labelLogProbs(p, c, batch))
}
