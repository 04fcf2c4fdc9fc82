import type { EncodedExample } from '../tokenizer.ts'
import type { HfConfig } from './config.ts'
import type { HfTokenizer } from './tokenizer.ts'

// The one place an imported model's prompt and target become token ids, for acting, scoring and
// LoRA training alike (so a model is trained on exactly what it later reads): the environment's
// system message and readable prompt through the model's chat template with the assistant turn
// opened; the target is the reply's tokens and the token that ends the turn. A model without a
// chat template (GPT-2) reads "system\n\nprompt\n" and ends its reply with its EOS.

export type ChatPrompt = { system?: string | undefined; user: string }

export function promptIds(tok: HfTokenizer, p: ChatPrompt): number[] {
  if (tok.hasChatTemplate) {
    const messages = [...(p.system ? [{ role: 'system' as const, content: p.system }] : []), { role: 'user' as const, content: p.user }]
    return tok.encode(tok.renderChat(messages, true))
  }
  return tok.encode(`${p.system ? `${p.system}\n\n` : ''}${p.user}\n`)
}

/** The id that ends an assistant reply: the tokenizer's EOS token (ChatML's <|im_end|>), else config.json's eos_token_id. */
export function endOfReply(tok: HfTokenizer, c: HfConfig): number {
  const id = tok.eosToken !== undefined ? tok.tokenId(tok.eosToken) : undefined
  const end = id ?? c.eosTokenIds[0]
  if (end === undefined) throw new Error('This model names no end-of-sequence token (tokenizer_config.json eos_token or config.json eos_token_id).')
  return end
}

/** Every id that stops generation. */
export function stopIds(tok: HfTokenizer, c: HfConfig): number[] {
  return [...new Set([endOfReply(tok, c), ...c.eosTokenIds])]
}

/** Prompt ids, then the reply's ids and the end of the turn: the loss falls on the reply only. */
export function encodeHfExample(tok: HfTokenizer, c: HfConfig, p: ChatPrompt, target: string): EncodedExample {
  const prompt = promptIds(tok, p)
  const reply = [...tok.encode(target), endOfReply(tok, c)]
  return { ids: [...prompt, ...reply], target: [...prompt.map(() => false), ...reply.map(() => true)] }
}
