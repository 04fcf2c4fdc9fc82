import * as tf from '@tensorflow/tfjs-core'
import type { OptimizerState } from '../model/checkpoint.ts'
import type { Params } from '../model/transformer.ts'

export type AdamWOptions = { beta1: number; beta2: number; eps: number; weightDecay: number }
export const adamWDefaults: AdamWOptions = { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1 }

/**
 * AdamW (decoupled weight decay, applied to matrices only, as nanoGPT does) with clipping by the
 * global gradient norm. Its moments are saved with a checkpoint so that a resumed run continues
 * exactly where it stopped.
 */
export class AdamW {
  private readonly names: string[]
  private readonly m: Record<string, tf.Variable> = {}
  private readonly v: Record<string, tf.Variable> = {}
  step = 0

  constructor(
    private readonly params: Params,
    private readonly opts: AdamWOptions = adamWDefaults,
  ) {
    this.names = Object.keys(params)
    for (const n of this.names) {
      this.m[n] = tf.variable(tf.zerosLike(params[n]!), false)
      this.v[n] = tf.variable(tf.zerosLike(params[n]!), false)
    }
  }

  /** Applies one update; returns the gradient norm before clipping (as a tensor, to be read with the loss). */
  apply(grads: Record<string, tf.Tensor>, lr: number, clipNorm: number | null): tf.Scalar {
    this.step++
    const { beta1, beta2, eps, weightDecay } = this.opts
    const bc1 = 1 - beta1 ** this.step
    const bc2 = 1 - beta2 ** this.step
    return tf.tidy(() => {
      const norm = tf.sqrt(tf.addN(this.names.map((n) => tf.sum(tf.square(grads[n]!))))) as tf.Scalar
      // Scale on the device (no sync): min(1, clip / norm).
      const scale = clipNorm ? tf.minimum(1, tf.div(clipNorm, tf.add(norm, 1e-6))) : null
      for (const n of this.names) {
        const p = this.params[n]!
        const g = scale ? tf.mul(grads[n]!, scale) : grads[n]!
        const m = tf.add(tf.mul(this.m[n]!, beta1), tf.mul(g, 1 - beta1))
        const v = tf.add(tf.mul(this.v[n]!, beta2), tf.mul(tf.square(g), 1 - beta2))
        this.m[n]!.assign(m)
        this.v[n]!.assign(v)
        let update = tf.div(tf.div(m, bc1), tf.add(tf.sqrt(tf.div(v, bc2)), eps))
        if (weightDecay > 0 && p.rank >= 2) update = tf.add(update, tf.mul(p, weightDecay))
        p.assign(tf.sub(p, tf.mul(update, lr)))
      }
      return tf.keep(norm)
    })
  }

  exportState(): OptimizerState {
    const total = this.names.reduce((s, n) => s + 2 * this.params[n]!.size, 0)
    const slots = new Float32Array(total)
    let at = 0
    for (const n of this.names) {
      for (const t of [this.m[n]!, this.v[n]!]) {
        slots.set(t.dataSync() as Float32Array, at)
        at += t.size
      }
    }
    return { step: this.step, names: this.names, slots }
  }

  importState(s: OptimizerState): void {
    if (s.names.join(',') !== this.names.join(',')) throw new Error('The saved optimizer state belongs to a different model layout.')
    let at = 0
    for (const n of this.names) {
      for (const t of [this.m[n]!, this.v[n]!]) {
        tf.tidy(() => t.assign(tf.tensor(s.slots.subarray(at, at + t.size), t.shape)))
        at += t.size
      }
    }
    this.step = s.step
  }

  dispose(): void {
    for (const n of this.names) {
      this.m[n]!.dispose()
      this.v[n]!.dispose()
    }
  }
}

export type Schedule = { lr: number; warmupSteps: number; decay: 'cosine' | 'linear' | 'none'; minLrRatio: number }

/** Linear warmup, then cosine or linear decay to minLrRatio·lr at totalSteps. */
export function lrAt(step: number, totalSteps: number, s: Schedule): number {
  if (step < s.warmupSteps) return (s.lr * (step + 1)) / s.warmupSteps
  if (s.decay === 'none') return s.lr
  const progress = Math.min(1, (step - s.warmupSteps) / Math.max(1, totalSteps - s.warmupSteps))
  const shape = s.decay === 'cosine' ? 0.5 * (1 + Math.cos(Math.PI * progress)) : 1 - progress
  return s.lr * (s.minLrRatio + (1 - s.minLrRatio) * shape)
}

/** One optimisation step on a loss: gradients, clipping, AdamW. Returns loss and gradient norm. */
export function trainStep(params: Params, opt: AdamW, loss: () => tf.Scalar, lr: number, clipNorm: number | null): { loss: number; gradNorm: number } {
  return accumulatedStep(params, opt, [{ loss, share: 1 }], lr, clipNorm)
}

/**
 * One optimisation step on a batch computed in parts (gradient accumulation): each part's loss
 * is its own mean, so it counts with its `share` of the batch (its target tokens over the
 * batch's), and Σ share·∇loss_part is the gradient of the whole batch's loss. Only one part's
 * activations are alive at a time, which is what lets a large model take a useful batch.
 */
export function accumulatedStep(params: Params, opt: AdamW, parts: { loss: () => tf.Scalar; share: number }[], lr: number, clipNorm: number | null): { loss: number; gradNorm: number } {
  const { grads, loss } = accumulatedGradients(params, parts)
  return { loss, gradNorm: applyGradients(opt, grads, lr, clipNorm) }
}

/** Σ share·∇loss over the parts, by parameter name, and Σ share·loss (see accumulatedStep). */
export function accumulatedGradients(params: Params, parts: { loss: () => tf.Scalar; share: number }[]): { grads: Record<string, tf.Tensor>; loss: number } {
  const names = Object.keys(params)
  let sum: Record<string, tf.Tensor> | null = null
  let total = 0
  for (const part of parts) {
    const { value, grads: byVariable } = tf.variableGrads(part.loss, Object.values(params))
    total += value.dataSync()[0]! * part.share
    // variableGrads keys gradients by tf's variable names; the optimizer knows the parameter names.
    const grads = Object.fromEntries(names.map((n) => [n, byVariable[params[n]!.name]!]))
    if (parts.length === 1 && part.share === 1) sum = grads
    else {
      const previous: Record<string, tf.Tensor> | null = sum
      sum = Object.fromEntries(names.map((n) => [n, tf.tidy(() => (previous ? tf.add(previous[n]!, tf.mul(grads[n]!, part.share)) : tf.mul(grads[n]!, part.share)))]))
      tf.dispose([grads, previous ?? []])
    }
    value.dispose()
  }
  return { grads: sum!, loss: total }
}

/** AdamW on summed gradients, which it disposes; returns the gradient norm before clipping. */
export function applyGradients(opt: AdamW, grads: Record<string, tf.Tensor>, lr: number, clipNorm: number | null): number {
  const norm = opt.apply(grads, lr, clipNorm)
  const g = norm.dataSync()[0]!
  tf.dispose([norm, grads])
  return g
}
