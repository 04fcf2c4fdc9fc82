/**
 * Byte-level tokenizer: token ids 0..255 are the UTF-8 bytes of the text, followed by a few
 * special tokens. Every string round-trips exactly (decode(encode(s)) === s for well-formed
 * Unicode), no vocabulary file is needed, and a model never meets an unknown token.
 *
 * The training text format lives here too, in one place for SFT, GRPO and exploration alike:
 *   BOS + prompt bytes + SEP + target bytes + EOS, with the loss on target bytes and EOS only.
 */
export const PAD = 256
export const BOS = 257
export const EOS = 258
export const SEP = 259
export const VOCAB_SIZE = 260
export const NEWLINE = 10

export const SPECIALS = { PAD, BOS, EOS, SEP } as const

/** What a checkpoint records about its tokenizer; loading checks it matches this code. */
export type TokenizerSpec = { kind: 'bytes'; vocabSize: number; specials: Record<keyof typeof SPECIALS, number> }
export const tokenizerSpec: TokenizerSpec = { kind: 'bytes', vocabSize: VOCAB_SIZE, specials: { ...SPECIALS } }

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: false })

export function encode(text: string): number[] {
  return Array.from(encoder.encode(text))
}

/** Special tokens are dropped: they carry structure, not text. */
export function decode(ids: ArrayLike<number>): string {
  const bytes: number[] = []
  for (let i = 0; i < ids.length; i++) if (ids[i]! < 256) bytes.push(ids[i]!)
  return decoder.decode(new Uint8Array(bytes))
}

/** BOS + prompt + SEP: what the model reads before it writes a target. */
export function encodePrompt(prompt: string): number[] {
  return [BOS, ...encode(prompt), SEP]
}

/** One training example: token ids and, per id, whether it is a target (loss) position. */
export type EncodedExample = { ids: number[]; target: boolean[] }

export function encodeExample(prompt: string, target: string): EncodedExample {
  const p = encodePrompt(prompt)
  const t = [...encode(target), EOS]
  return { ids: [...p, ...t], target: [...p.map(() => false), ...t.map(() => true)] }
}

export function sameTokenizer(spec: TokenizerSpec): boolean {
  return (
    spec.kind === tokenizerSpec.kind &&
    spec.vocabSize === VOCAB_SIZE &&
    (Object.keys(SPECIALS) as (keyof typeof SPECIALS)[]).every((k) => spec.specials[k] === SPECIALS[k])
  )
}
