import * as tf from '@tensorflow/tfjs-core'
import { PAD, type EncodedExample } from './tokenizer.ts'
import { MASKED, type ForwardInput } from './transformer.ts'

// Turns token sequences into the transformer's inputs. Rows are LEFT-padded so that every
// sequence ends at the same position: sampling then decodes all rows in step, and the targets
// of a training batch sit in the last K positions, where the final block computes its queries.

/** Plain arrays for ForwardInput; toTensors makes the mask tensor (inside the caller's tidy). */
export type HostInput = { B: number; Tq: number; Tk: number; ids: Int32Array; pos: Int32Array; mask: Float32Array }

export function toTensors(h: HostInput): ForwardInput {
  return { B: h.B, Tq: h.Tq, ids: h.ids, pos: h.pos, mask: tf.tensor4d(h.mask, [h.B, 1, h.Tq, h.Tk]) }
}

/** Left-padded, causal; pad[b] = how many PAD tokens precede row b's sequence. */
export function leftPad(seqs: number[][]): HostInput & { pad: number[] } {
  const B = seqs.length
  const T = Math.max(...seqs.map((s) => s.length))
  const ids = new Int32Array(B * T).fill(PAD)
  const pos = new Int32Array(B * T)
  const mask = new Float32Array(B * T * T).fill(MASKED)
  const pad = seqs.map((s) => T - s.length)
  seqs.forEach((s, b) => {
    const p = pad[b]!
    ids.set(s, b * T + p)
    for (let t = p; t < T; t++) {
      pos[b * T + t] = t - p
      mask.fill(0, (b * T + t) * T + p, (b * T + t) * T + t + 1)
    }
  })
  return { B, Tq: T, Tk: T, ids, pos, mask, pad }
}

/** One new token per row after `past` cached positions: row b may see keys from pad[b] on. */
export function decodeStep(tokens: number[], positions: number[], pad: number[], past: number): HostInput {
  const B = tokens.length
  const Tk = past + 1
  const mask = new Float32Array(B * Tk).fill(MASKED)
  for (let b = 0; b < B; b++) mask.fill(0, b * Tk + pad[b]!, (b + 1) * Tk)
  return { B, Tq: 1, Tk, ids: Int32Array.from(tokens), pos: Int32Array.from(positions), mask }
}

/** A training or scoring batch: inputs, which rows to compute, and per computed row a label and a loss weight (0 = none). */
export type TargetBatch = { input: HostInput; select: { lastK: number } | { rows: Int32Array }; labels: Int32Array; weights: Float32Array; tokens: number }


/** Next-token targets: the input is ids[:-1], the labels ids[1:], weighted where the label is a target. */
export function paddedBatch(examples: EncodedExample[], weights: number[] = examples.map(() => 1)): TargetBatch {
  const inputs = examples.map((e) => e.ids.slice(0, -1))
  const host = leftPad(inputs)
  const K = Math.max(...examples.map((e) => e.ids.length - 1 - firstTarget(e)))
  const labels = new Int32Array(host.B * K)
  const w = new Float32Array(host.B * K)
  let tokens = 0
  examples.forEach((e, b) => {
    const n = e.ids.length - 1
    for (let j = 0; j < K; j++) {
      const t = n - K + j // index into the input row, before padding
      if (t < 0 || !e.target[t + 1]) continue
      labels[b * K + j] = e.ids[t + 1]!
      w[b * K + j] = weights[b]!
      tokens++
    }
  })
  return { input: host, select: { lastK: K }, labels, weights: w, tokens }
}

/**
 * Several examples per row, each attending only to itself (block-diagonal causal mask), with
 * positions restarting per example; rows are filled greedily up to `rowLength`.
 */
export function packedBatch(examples: EncodedExample[], rowLength: number, weights: number[] = examples.map(() => 1)): TargetBatch {
  const rowsOf: number[][] = []
  let current: number[] = []
  let used = 0
  examples.forEach((e, i) => {
    const n = e.ids.length - 1
    if (n > rowLength) throw new Error(`An example of ${n + 1} tokens does not fit a packed row of ${rowLength}.`)
    if (used + n > rowLength) {
      rowsOf.push(current)
      current = []
      used = 0
    }
    current.push(i)
    used += n
  })
  if (current.length) rowsOf.push(current)
  const B = rowsOf.length
  const T = Math.max(...rowsOf.map((r) => r.reduce((s, i) => s + examples[i]!.ids.length - 1, 0)))
  const ids = new Int32Array(B * T).fill(PAD)
  const pos = new Int32Array(B * T)
  const mask = new Float32Array(B * T * T).fill(MASKED)
  const rows: number[] = []
  const labels: number[] = []
  const w: number[] = []
  rowsOf.forEach((members, b) => {
    let start = 0
    for (const i of members) {
      const e = examples[i]!
      const n = e.ids.length - 1
      for (let t = 0; t < n; t++) {
        const at = b * T + start + t
        ids[at] = e.ids[t]!
        pos[at] = t
        mask.fill(0, at * T + start, at * T + start + t + 1)
        if (e.target[t + 1]) {
          rows.push(at)
          labels.push(e.ids[t + 1]!)
          w.push(weights[i]!)
        }
      }
      start += n
    }
  })
  return {
    input: { B, Tq: T, Tk: T, ids, pos, mask },
    select: { rows: Int32Array.from(rows) },
    labels: Int32Array.from(labels),
    weights: Float32Array.from(w),
    tokens: rows.length,
  }
}

function firstTarget(e: EncodedExample): number {
  const i = e.target.indexOf(true)
  if (i < 1) throw new Error('An example needs at least one prompt token before its target.')
  return i - 1
}
