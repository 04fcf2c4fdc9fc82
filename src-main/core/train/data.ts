import { readFileSync } from 'node:fs'
import { EngineError } from '../errors.ts'
import { encodeExample, type EncodedExample } from '../model/tokenizer.ts'
import { deriveSeed, randInt, rng } from '../random.ts'
import type { DatasetWeighting } from '../../shared/jobs/train.ts'

// Training data: JSONL files, one {"prompt": …, "target": …} per line (the chat format of a
// corpus export — a user turn and an assistant turn — is read too). A file with a bad line is
// refused whole, and the message names the file, the line and what was wrong.

export type Example = EncodedExample & { weight: number; source: string }

/** A line's (prompt, target) and, when it has one, its system message (imported models read it through their chat template). */
export function pairOf(data: unknown): { prompt: string; target: string; system?: string } | null {
  const d = data as { prompt?: unknown; target?: unknown; system?: unknown; messages?: { role: string; content: string }[] }
  if (typeof d?.prompt === 'string' && typeof d.target === 'string') return { prompt: d.prompt, target: d.target, ...(typeof d.system === 'string' ? { system: d.system } : {}) }
  if (Array.isArray(d?.messages)) {
    const system = d.messages.find((m) => m?.role === 'system')
    const user = d.messages.findLast((m) => m?.role === 'user')
    const assistant = d.messages.findLast((m) => m?.role === 'assistant')
    if (typeof user?.content === 'string' && typeof assistant?.content === 'string') {
      return { prompt: user.content, target: assistant.content, ...(typeof system?.content === 'string' ? { system: system.content } : {}) }
    }
  }
  return null
}

export type Pair = NonNullable<ReturnType<typeof pairOf>>

/**
 * A file's (prompt, target) pairs, each with where it stands ("file, line n"), checked line by
 * line; what is wrong with the first bad line is the error. No tokeniser is needed, so a job can
 * check its files before it is created.
 */
export function readPairs(path: string): { pair: Pair; where: string }[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new EngineError('bad_request', `Cannot read the dataset ${path}: ${(err as Error).message}`)
  }
  const out: { pair: Pair; where: string }[] = []
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return
    const where = `${path}, line ${i + 1}`
    let data: unknown
    try {
      data = JSON.parse(raw)
    } catch (err) {
      throw new EngineError('bad_request', `${where}: not valid JSON (${(err as Error).message}).`)
    }
    const pair = pairOf(data)
    if (!pair) throw new EngineError('bad_request', `${where}: needs string fields "prompt" and "target" (or chat "messages" with a user and an assistant turn).`)
    if (pair.target === '') throw new EngineError('bad_request', `${where}: the target is empty.`)
    out.push({ pair, where })
  })
  if (out.length === 0) throw new EngineError('bad_request', `The dataset ${path} has no examples.`)
  return out
}

/** A file's examples, encoded by the byte tokenizer unless the model brings its own (`encode`). */
export function loadExamples(path: string, weight: number, contextLength: number, encode: (pair: Pair) => EncodedExample = (p) => encodeExample(p.prompt, p.target)): Example[] {
  return readPairs(path).map(({ pair, where }) => {
    const e = encode(pair)
    if (e.ids.length > contextLength) {
      throw new EngineError('bad_request', `${where}: the example is ${e.ids.length} tokens long, more than the model's context of ${contextLength}.`)
    }
    return { ...e, weight, source: where }
  })
}

/** The target tokens an example puts into the loss: its labels (ids[1:]) that are targets, as the batches count them. */
export function targetTokenCount(e: EncodedExample): number {
  let n = 0
  for (let i = 1; i < e.target.length; i++) if (e.target[i]) n++
  return n
}

/**
 * The per-example loss weights of several datasets' training examples. The loss of a batch is
 * Σ weight·NLL over its target tokens divided by their number; with 'mean' a token of dataset d
 * weighs w_d · T / T_d (T_d the dataset's target tokens, T all of them), so over shuffled
 * batches — and exactly on one batch of everything — the loss is Σ_d w_d · mean_d.
 */
export function weighDatasets<E extends EncodedExample & { weight: number }>(sets: E[][], mode: DatasetWeighting): E[][] {
  if (mode === 'token') return sets
  const tokens = sets.map((xs) => xs.reduce((a, e) => a + targetTokenCount(e), 0))
  const total = tokens.reduce((a, b) => a + b, 0)
  return sets.map((xs, d) => xs.map((e) => ({ ...e, weight: e.weight * (total / Math.max(1, tokens[d]!)) })))
}

/** Fisher–Yates with a seeded generator. */
export function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const a = [...xs]
  const next = rng(seed)
  for (let i = a.length - 1; i > 0; i--) {
    const j = randInt(next, i + 1)
    ;[a[i], a[j]] = [a[j]!, a[i]!]
  }
  return a
}

/** A seeded held-out share; train and eval never share an example. */
export function splitHeldOut<T>(xs: T[], share: number, seed: number): { train: T[]; heldOut: T[] } {
  const order = shuffled(xs.map((_, i) => i), deriveSeed(seed, 'held-out'))
  const n = share > 0 ? Math.max(1, Math.round(xs.length * share)) : 0
  const held = new Set(order.slice(0, Math.min(n, xs.length - 1)))
  return { train: xs.filter((_, i) => !held.has(i)), heldOut: xs.filter((_, i) => held.has(i)) }
}

/** The batches of one epoch: a fresh seeded order per epoch, so a resumed epoch repeats exactly. */
export function epochBatches<T>(xs: T[], batchSize: number, seed: number, epoch: number): T[][] {
  const order = shuffled(xs, deriveSeed(seed, 'epoch', epoch))
  const out: T[][] = []
  for (let i = 0; i < order.length; i += batchSize) out.push(order.slice(i, i + batchSize))
  return out
}
