import { paddedBatch } from '../model/batch.ts'
import { rowSums } from '../model/score.ts'
import type { Context, Environment } from '../envs/types.ts'
import { encodeHfExample, promptIds, stopIds, type ChatPrompt } from '../model/hf/chat-format.ts'
import type { LoadedHf } from '../model/hf/checkpoint.ts'
import { generateHf, hfLabelLogProbs } from '../model/hf/generate.ts'
import { disposeHfModel } from '../model/hf/model.ts'
import { disposeLora } from '../model/hf/lora.ts'
import { deriveSeed, rng } from '../random.ts'
import type { Policy, SampleOptions } from './types.ts'

/**
 * An imported Hugging Face model as a policy. It reads what a served LLM reads — the
 * environment's system message and readable prompt, experience included — through the model's
 * own chat template. Where the choices are known (the state's valid actions, else the action
 * space, minus a reflection's `avoid`) it scores each choice's full reply and samples among them
 * (temperature 0: the most likely), so a small model never writes an unreadable action; otherwise
 * it writes a reply and the renderer reads the action out of it.
 */
export class HfPolicy implements Policy {
  constructor(
    readonly id: string,
    private readonly env: Environment,
    private readonly m: LoadedHf,
    private readonly batchSize = 32,
  ) {}

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
    const out: number[] = []
    for (let i = 0; i < pairs.length; i += this.batchSize) {
      const chunk = pairs.slice(i, i + this.batchSize)
      const batch = paddedBatch(chunk.map((p) => encodeHfExample(this.m.tokenizer, this.m.config, this.prompt(p.context), this.env.renderer.formatAction(p.action, 'readable'))))
      out.push(...rowSums(batch, () => hfLabelLogProbs(this.m.model, batch, this.m.lora?.lora)))
    }
    return out
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

  async close(): Promise<void> {
    if (this.m.lora) disposeLora(this.m.lora.lora)
    disposeHfModel(this.m.model)
  }
}
