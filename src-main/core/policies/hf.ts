import * as tf from '@tensorflow/tfjs-core'
import type { BackendId } from '../model/backend.ts'
import { paddedBatch } from '../model/batch.ts'
import type { EncodedExample } from '../model/tokenizer.ts'
import type { Context, Environment } from '../envs/types.ts'
import { encodeHfExample, promptIds, stopIds, type ChatPrompt } from '../model/hf/chat-format.ts'
import type { LoadedHf } from '../model/hf/checkpoint.ts'
import { HfForwardPool, hfThreads, labelLogProbSums } from '../model/hf/forward-pool.ts'
import { generateHf, hfLabelLogProbs } from '../model/hf/generate.ts'
import { disposeHfModel, type LoraOnModel } from '../model/hf/model.ts'
import { disposeLora } from '../model/hf/lora.ts'
import { deriveSeed, rng } from '../random.ts'
import type { Complete } from '../explore/reflectors.ts'
import type { Policy, SampleOptions } from './types.ts'

/**
 * An imported Hugging Face model as a policy. It reads what a served LLM reads — the
 * environment's system message and readable prompt, experience included — through the model's
 * own chat template. Where the choices are known (the state's valid actions, else the action
 * space, minus a reflection's `avoid`) it scores each choice's full reply and samples among them
 * (temperature 0: the most likely), so a small model never writes an unreadable action; otherwise
 * it writes a reply and the renderer reads the action out of it.
 */
export type HfPolicyOptions = {
  /** Examples per forward. */
  batchSize?: number
  /**
   * Set when the policy's weights are its checkpoint folder's own (not an adapter being trained):
   * scoring may then run on helper threads that load the same folder. `requested` threads, else
   * as hfThreads chooses for each batch on `backend` (the calling thread's).
   */
  threads?: { requested?: number; backend: BackendId }
}

export class HfPolicy implements Policy {
  private readonly batchSize: number
  private pool: Promise<HfForwardPool> | null = null

  constructor(
    readonly id: string,
    private readonly env: Environment,
    private readonly m: LoadedHf,
    private readonly o: HfPolicyOptions = {},
  ) {
    this.batchSize = o.batchSize ?? 32
  }

  private prompt(ctx: Context): ChatPrompt {
    return { system: this.env.renderer.system(ctx.task), user: this.env.renderer.render(ctx, 'readable') }
  }

  private choices(ctx: Context): string[] | null {
    const valid = ctx.validActions ?? this.env.actionSpace
    if (!valid?.length) return null
    const left = valid.filter((a) => !ctx.avoid?.includes(a))
    return left.length ? left : valid
  }

  /** Σ log π(reply tokens + end of turn | context) per pair: for choosing among actions and for GRPO. */
  async logProbs(pairs: { context: Context; action: string }[]): Promise<number[]> {
    const examples = pairs.map((p) => this.encode(p.context, p.action))
    const scorer = { model: this.m.model, ...(this.m.lora ? { lora: this.m.lora.lora } : {}) }
    const t = this.o.threads
    const threads = t ? hfThreads(t.requested, examples.length, t.backend) : 1
    if (threads <= 1) return labelLogProbSums(scorer, examples, this.batchSize)
    // Started at the first batch that wants them, as many as any batch may use (the most cores).
    this.pool ??= HfForwardPool.open({ folder: this.m.folder }, hfThreads(t!.requested, Number.MAX_SAFE_INTEGER, t!.backend) - 1, t!.backend)
    let pool: HfForwardPool
    try {
      pool = await this.pool
    } catch (err) {
      this.pool = null
      throw err
    }
    return pool.labelLogProbSums(scorer, examples, this.batchSize, threads)
  }

  private encode(context: Context, action: string): EncodedExample {
    return encodeHfExample(this.m.tokenizer, this.m.config, this.prompt(context), this.env.renderer.formatAction(action, 'readable'))
  }

  /**
   * log π(action | context) under this policy's own sampler at `temperature` (> 0), [pairs],
   * differentiable in the adapter (`lora`: default the policy's, null none): with known choices
   * the log-softmax of the choices' reply log-probs ÷ T, as act() draws among them; otherwise the
   * reply's tokens at T, as act() generates. GRPO takes its ratio and KL on these, each action
   * one draw. Run it inside a tidy.
   */
  samplerLogProbs(pairs: { context: Context; action: string }[], temperature: number, o: { lora?: LoraOnModel | null; training?: boolean; seed?: number } = {}): tf.Tensor1D {
    const lora = o.lora === undefined ? this.m.lora?.lora : (o.lora ?? undefined)
    // Σ log p(reply tokens + end of turn) per example, [examples].
    const replies = (examples: EncodedExample[], t: number) => {
      const batch = paddedBatch(examples)
      const lp = hfLabelLogProbs(this.m.model, batch, lora, o.training ?? false, o.seed, t) // (B·K)
      const mask = tf.tensor1d(batch.weights.map((w) => (w > 0 ? 1 : 0)))
      return tf.sum(tf.reshape(tf.mul(lp, mask), [batch.input.B, -1]), 1) as tf.Tensor1D // (B)
    }
    const chosen: { row: number; choices: string[]; at: number }[] = []
    const free: number[] = []
    pairs.forEach((p, i) => {
      const c = this.choices(p.context)
      const at = c ? c.indexOf(p.action) : -1
      if (c && at >= 0) chosen.push({ row: i, choices: c, at })
      else free.push(i)
    })
    const parts: tf.Tensor1D[] = []
    if (chosen.length) {
      const examples = chosen.flatMap((g) => g.choices.map((a) => this.encode(pairs[g.row]!.context, a)))
      const seq = replies(examples, 1) // (N)
      const C = Math.max(...chosen.map((g) => g.choices.length))
      // One row of C choices per pair: pick by a one-hot matrix (a gather's gradient has no wasm kernel); absent choices get −1e9.
      const pick = new Float32Array(chosen.length * C * examples.length)
      const absent = new Float32Array(chosen.length * C).fill(-1e9)
      const drawn = new Float32Array(chosen.length * C)
      let e = 0
      chosen.forEach((g, b) => {
        g.choices.forEach((_, j) => ((pick[(b * C + j) * examples.length + e++] = 1), (absent[b * C + j] = 0)))
        drawn[b * C + g.at] = 1
      })
      const scores = tf.reshape(tf.matMul(tf.tensor2d(pick, [chosen.length * C, examples.length]), tf.reshape(seq, [-1, 1])), [chosen.length, C]) // (P, C)
      const logp = tf.logSoftmax(tf.add(tf.div(scores, temperature), tf.tensor2d(absent, [chosen.length, C])))
      parts.push(tf.sum(tf.mul(logp, tf.tensor2d(drawn, [chosen.length, C])), 1) as tf.Tensor1D)
    }
    if (free.length) parts.push(replies(free.map((i) => this.encode(pairs[i]!.context, pairs[i]!.action)), temperature))
    const order = [...chosen.map((g) => g.row), ...free]
    if (order.every((row, i) => row === i)) return parts.length === 1 ? parts[0]! : (tf.concat(parts) as tf.Tensor1D)
    // Back into the pairs' order.
    const perm = new Float32Array(pairs.length * pairs.length)
    order.forEach((row, i) => (perm[row * pairs.length + i] = 1))
    return tf.reshape(tf.matMul(tf.tensor2d(perm, [pairs.length, pairs.length]), tf.reshape(tf.concat(parts), [-1, 1])), [-1]) as tf.Tensor1D
  }

  async act(contexts: Context[], opts: SampleOptions): Promise<string[]> {
    const actions: string[] = new Array(contexts.length)
    const free: number[] = []
    const pairs: { context: Context; action: string; row: number }[] = []
    contexts.forEach((ctx, i) => {
      const c = this.choices(ctx)
      if (c) for (const action of c) pairs.push({ context: ctx, action, row: i })
      else free.push(i)
    })
    const scores = await this.logProbs(pairs)
    contexts.forEach((_, i) => {
      const mine = pairs.map((p, j) => ({ action: p.action, s: scores[j]!, row: p.row })).filter((p) => p.row === i)
      if (mine.length === 0) return
      if (opts.temperature <= 0) {
        actions[i] = mine.reduce((a, b) => (b.s > a.s ? b : a)).action
        return
      }
      // Softmax over the choices' log-probabilities at the temperature, with the context's own seed.
      const next = rng(opts.seeds?.[i] ?? deriveSeed(opts.seed ?? 0, i))
      const max = Math.max(...mine.map((p) => p.s))
      const w = mine.map((p) => Math.exp((p.s - max) / opts.temperature))
      let u = next() * w.reduce((a, b) => a + b, 0)
      actions[i] = mine.find((_, j) => (u -= w[j]!) <= 0)?.action ?? mine.at(-1)!.action
    })
    for (const i of free) {
      const [ids] = generateHf(this.m.model, [promptIds(this.m.tokenizer, this.prompt(contexts[i]!))], {
        maxTokens: opts.maxTokens ?? 64, temperature: opts.temperature, seed: opts.seeds?.[i] ?? deriveSeed(opts.seed ?? 0, i), stop: stopIds(this.m.tokenizer, this.m.config),
        ...(this.m.lora ? { lora: this.m.lora.lora } : {}),
      })
      actions[i] = this.env.renderer.parseAction(this.m.tokenizer.decode(ids!), 'readable')
    }
    return actions
  }

  /**
   * A `complete(prompt, attempt)` for the reflectors: the prompt as the user's turn through the
   * model's chat template, a reply generated with a seed per prompt and attempt (a retry after a
   * malformed reply draws another). A prompt longer than the model's context is refused by length.
   */
  completer(o: { temperature: number; maxTokens: number; seed: number }): Complete {
    return async (prompt, attempt) => {
      const ids = promptIds(this.m.tokenizer, { user: prompt })
      if (ids.length >= this.m.config.maxPositions) throw new Error(`The reflection prompt is ${ids.length} tokens long; this model reads at most ${this.m.config.maxPositions}.`)
      const [reply] = generateHf(this.m.model, [ids], {
        maxTokens: o.maxTokens, temperature: o.temperature, seed: deriveSeed(o.seed, prompt, attempt), stop: stopIds(this.m.tokenizer, this.m.config),
        ...(this.m.lora ? { lora: this.m.lora.lora } : {}),
      })
      return this.m.tokenizer.decode(reply!)
    }
  }

  async close(): Promise<void> {
    const pool = this.pool
    this.pool = null
    await pool?.then((p) => p.close(), () => {})
    if (this.m.lora) disposeLora(this.m.lora.lora)
    disposeHfModel(this.m.model)
  }
}
