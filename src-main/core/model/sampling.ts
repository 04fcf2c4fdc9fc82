import * as tf from '@tensorflow/tfjs-core'
import { deriveSeed, rng } from '../random.ts'
import { decodeStep, leftPad, toTensors } from './batch.ts'
import { BOS, decode, encode, EOS, NEWLINE, PAD, SEP } from './tokenizer.ts'
import { forward, type KV, type Model } from './transformer.ts'

// Batched generation with a KV cache: the prompts are left-padded, one forward reads them all and
// returns every layer's keys and values, then each step feeds one token per row. Randomness is
// per row — each row has its own seed — so a prompt gives the same sample however the prompts
// are split into batches or across worker threads.

/** Per-row restrictions on the text a row may produce. */
export type Constraint = {
  /** The output must be exactly one of these strings (e.g. the valid actions). */
  allow?: string[] | undefined
  /** The output must not be exactly one of these (a reflection's `avoid` list). */
  avoid?: string[] | undefined
}

export type GenerateOptions = {
  /** 0 = greedy. */
  temperature: number
  topP?: number | undefined
  maxTokens: number
  /** One seed per prompt; without them row i uses deriveSeed(seed, i). */
  seed: number
  seeds?: number[] | undefined
  /** Newline ends the output, as EOS does (default true). */
  stopAtNewline?: boolean
  /** false = recompute the whole context every step (the reference the cache is tested against). */
  useCache?: boolean
}

export type Generated = { text: string; tokens: number[] }

/** A prefix tree over the allowed outputs' tokens. */
type Trie = {
  children: Map<number, Trie>
  terminal: boolean
  /** Memo of `forcedRest`: the tokens that must follow this node, or null where a choice remains. */
  rest?: number[] | null
}

/**
 * Where exactly one allowed output extends this node, the tokens left to write it (every one of
 * them the only token allowed at its place, so its probability under the renormalised
 * distribution is 1): the sampler writes them without reading the model. Null where a choice
 * remains (two branches, or an output that may stop here or go on).
 */
function forcedRest(node: Trie): number[] | null {
  if (node.rest !== undefined) return node.rest
  const rest: number[] = []
  let n = node
  while (!n.terminal && n.children.size === 1) {
    const [t, next] = n.children.entries().next().value!
    rest.push(t)
    n = next
  }
  node.rest = n.terminal && n.children.size === 0 ? rest : null
  return node.rest
}

function buildTrie(strings: string[]): Trie {
  const root: Trie = { children: new Map(), terminal: false }
  for (const s of strings) {
    let node = root
    for (const t of encode(s)) {
      let next = node.children.get(t)
      if (!next) node.children.set(t, (next = { children: new Map(), terminal: false }))
      node = next
    }
    node.terminal = true
  }
  return root
}

type Row = {
  rng: () => number
  out: number[]
  done: boolean
  trie: Trie | null // current node when outputs are restricted
  avoid: Set<string> | null
}

function makeRow(c: Constraint | undefined, next: () => number, tries: Map<string, Trie>): Row {
  let trie: Trie | null = null
  const avoided = new Set(c?.avoid ?? [])
  let avoid = avoided.size ? avoided : null
  if (c?.allow?.length) {
    const kept = c.allow.filter((a) => !avoided.has(a))
    // Every allowed output avoided: the restriction to valid outputs is the stronger one to keep.
    const list = kept.length ? kept : c.allow
    const key = JSON.stringify(list)
    trie = tries.get(key) ?? buildTrie(list)
    tries.set(key, trie)
    avoid = null
  }
  return { rng: next, out: [], done: false, trie, avoid }
}

/** The tokens a row may take next (1 = allowed), given its restrictions and what it wrote so far. */
function allowedNext(row: Row, V: number, stops: number[], limit: number): Uint8Array {
  const allowed = new Uint8Array(V).fill(1)
  if (row.trie) {
    allowed.fill(0)
    for (const t of row.trie.children.keys()) allowed[t] = 1
    if (row.trie.terminal) for (const s of stops) allowed[s] = 1
  } else if (row.avoid) {
    // Compared as text, as the environment will read it: stopping now, or taking the last token the limit allows, must not write an avoided output.
    if (row.avoid.has(decode(row.out))) for (const s of stops) allowed[s] = 0
    if (row.out.length + 1 === limit) for (let t = 0; t < 256; t++) if (row.avoid.has(decode([...row.out, t]))) allowed[t] = 0
  }
  // Structure tokens other than EOS are never written.
  allowed[PAD] = allowed[BOS] = allowed[SEP] = 0
  return allowed
}

/** Picks the next token of one row from its logits, honouring its restrictions. */
function choose(row: Row, logits: Float32Array, opts: GenerateOptions, stops: number[], limit: number): number {
  const V = logits.length
  const allowed = allowedNext(row, V, stops, limit)
  if (opts.temperature <= 0) {
    let best = -1
    for (let i = 0; i < V; i++) if (allowed[i] && (best < 0 || logits[i]! > logits[best]!)) best = i
    return best
  }
  let max = -Infinity
  for (let i = 0; i < V; i++) if (allowed[i] && logits[i]! > max) max = logits[i]!
  const probs: { t: number; p: number }[] = []
  let sum = 0
  for (let i = 0; i < V; i++) {
    if (!allowed[i]) continue
    const p = Math.exp((logits[i]! - max) / opts.temperature)
    probs.push({ t: i, p })
    sum += p
  }
  let pool = probs
  let total = sum
  if (opts.topP !== undefined && opts.topP < 1) {
    probs.sort((a, b) => b.p - a.p || a.t - b.t)
    let acc = 0
    let n = 0
    while (n < probs.length && acc < opts.topP * sum) acc += probs[n++]!.p
    pool = probs.slice(0, Math.max(1, n))
    total = acc
  }
  let r = row.rng() * total
  for (const x of pool) {
    r -= x.p
    if (r <= 0) return x.t
  }
  return pool[pool.length - 1]!.t
}

/** Advances a row by one chosen token; returns whether the row is finished. */
function accept(row: Row, token: number, stops: number[], limit: number): void {
  if (stops.includes(token)) {
    row.done = true
    return
  }
  row.out.push(token)
  if (row.trie) {
    row.trie = row.trie.children.get(token)!
    // Only one allowed output left: nothing left to choose, so it is written out (within the limit).
    const rest = forcedRest(row.trie)
    if (rest && row.out.length + rest.length <= limit) {
      row.out.push(...rest)
      row.done = true
    }
  }
  if (row.out.length >= limit) row.done = true
}

/**
 * What the sampler drew a given output from, token by token: for each of `tokens` (the target as
 * trained, EOS included), the tokens allowed at that point and whether the sampler drew it at all
 * (it does not draw the rest of an output once only one allowed output is left, the EOS after
 * it, nor anything after a stop; such a token is the only one allowed at its place). A learner that scores the output over these same allowed tokens scores the policy that
 * acted. Null when the tokens break the restriction (they were not written under it).
 */
export function replayConstraint(c: Constraint | undefined, tokens: number[], V: number, limit: number, stopAtNewline = true): { allowed: Uint8Array[]; drawn: boolean[] } | null {
  const stops = stopAtNewline ? [EOS, NEWLINE] : [EOS]
  const row = makeRow(c, () => 0, new Map())
  const allowed: Uint8Array[] = []
  const drawn: boolean[] = []
  for (const [i, t] of tokens.entries()) {
    if (row.done) {
      // Written without a draw (the rest of the only output left) or after the end: must be what the sampler wrote.
      if (i < row.out.length && row.out[i] !== t) return null
      // Not drawn, so certain under the sampler: only itself allowed (log-probability 0).
      const only = new Uint8Array(V)
      only[t] = 1
      allowed.push(only)
      drawn.push(false)
      continue
    }
    const a = allowedNext(row, V, stops, limit)
    if (!a[t]) return null
    allowed.push(a)
    drawn.push(true)
    accept(row, t, stops, limit)
  }
  return { allowed, drawn }
}

/**
 * Continues every prompt (token ids, already BOS … SEP) until a stop token, a forced end of a
 * restricted output, or the token limit. The model's weights are only read.
 */
export function generate(model: Model, prompts: number[][], constraints: (Constraint | undefined)[], opts: GenerateOptions): Generated[] {
  const { config: c, params: p } = model
  const stops = opts.stopAtNewline === false ? [EOS] : [EOS, NEWLINE]
  const tries = new Map<string, Trie>()
  const rows = prompts.map((_, i) => makeRow(constraints[i], rng(opts.seeds?.[i] ?? deriveSeed(opts.seed, i)), tries))
  const longest = Math.max(...prompts.map((x) => x.length))
  if (longest >= c.contextLength) {
    throw new Error(`A prompt of ${longest} tokens leaves no room to write within the model's context of ${c.contextLength}.`)
  }
  const limit = Math.min(opts.maxTokens, c.contextLength - longest)
  const host = leftPad(prompts)
  let cache: KV[] | null = null
  for (let step = 0; ; step++) {
    const { logits, cache: next } = tf.tidy(() => {
      if (step === 0 || opts.useCache === false) {
        const seqs = step === 0 ? prompts : prompts.map((x, i) => [...x, ...rows[i]!.out, ...Array(step - rows[i]!.out.length).fill(PAD)])
        return forward(p, c, toTensors(leftPad(seqs)), { lastK: 1 })
      }
      const last = rows.map((r) => (r.out.length === step ? r.out[step - 1]! : PAD))
      const pos = prompts.map((x) => x.length + step - 1)
      const input = { ...toTensors(decodeStep(last, pos, host.pad, host.Tq + step - 1)), cache: cache! }
      return forward(p, c, input, { lastK: 1 })
    })
    if (cache) tf.dispose(cache)
    cache = opts.useCache === false ? (tf.dispose(next), null) : next
    const data = logits.dataSync() as Float32Array
    logits.dispose()
    const V = c.vocabSize
    rows.forEach((row, i) => {
      if (row.done) return
      accept(row, choose(row, data.subarray(i * V, (i + 1) * V), opts, stops, limit), stops, limit)
    })
    if (rows.every((r) => r.done)) break
  }
  if (cache) tf.dispose(cache)
  return rows.map((r) => ({ text: decode(r.out), tokens: r.out }))
}
