import { Template } from '@huggingface/jinja'
import { Tokenizer } from '@huggingface/tokenizers'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

// An imported model's own tokenizer (tokenizer.json through @huggingface/tokenizers) and chat
// template (tokenizer_config.json's `chat_template`, rendered by @huggingface/jinja), as
// transformers' apply_chat_template renders it: messages, add_generation_prompt and the special
// tokens as strings.

export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string }

export class HfTokenizerError extends Error {}

function tokenText(v: unknown): string | undefined {
  if (typeof v === 'string') return v
  if (v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string') return (v as { content: string }).content
  return undefined
}

export class HfTokenizer {
  private readonly tok: Tokenizer
  private readonly template: Template | null
  readonly bosToken: string | undefined
  readonly eosToken: string | undefined

  constructor(tokenizerJson: Record<string, unknown>, readonly tokenizerConfig: Record<string, unknown>) {
    this.tok = new Tokenizer(tokenizerJson, tokenizerConfig)
    this.bosToken = tokenText(tokenizerConfig.bos_token)
    this.eosToken = tokenText(tokenizerConfig.eos_token)
    const t = tokenizerConfig.chat_template
    // A list of named templates is allowed by transformers; "default" is the one it uses.
    const text = typeof t === 'string' ? t : Array.isArray(t) ? (t as { name: string; template: string }[]).find((x) => x.name === 'default')?.template : undefined
    this.template = text ? new Template(text) : null
  }

  /** Reads tokenizer.json and tokenizer_config.json from a folder; a broken file is refused naming it. */
  static fromFolder(dir: string): HfTokenizer {
    const read = (name: string) => {
      try {
        return JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>
      } catch (err) {
        throw new HfTokenizerError(`${join(dir, name)} cannot be read: ${(err as Error).message.split('\n')[0]}`)
      }
    }
    const json = read('tokenizer.json')
    const config = read('tokenizer_config.json')
    try {
      return new HfTokenizer(json, config)
    } catch (err) {
      throw new HfTokenizerError(`${join(dir, 'tokenizer.json')} is not a tokenizer this workbench can read: ${(err as Error).message.split('\n')[0]}`)
    }
  }

  get hasChatTemplate(): boolean {
    return this.template !== null
  }

  /** Token ids of plain text; no special tokens are added (the chat template places its own). */
  encode(text: string): number[] {
    return this.tok.encode(text, { add_special_tokens: false }).ids
  }

  decode(ids: number[], skipSpecial = true): string {
    return this.tok.decode(ids, { skip_special_tokens: skipSpecial })
  }

  tokenId(token: string): number | undefined {
    return this.tok.token_to_id(token)
  }

  /** The chat template's text for these messages, ending with the assistant's turn opened when asked. */
  renderChat(messages: ChatMessage[], addGenerationPrompt: boolean): string {
    if (!this.template) throw new HfTokenizerError('This model has no chat template (tokenizer_config.json names none).')
    return this.template.render({ messages, add_generation_prompt: addGenerationPrompt, bos_token: this.bosToken ?? '', eos_token: this.eosToken ?? '' })
  }
}
