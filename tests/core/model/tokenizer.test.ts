import { describe, expect, it } from 'vitest'
import { BOS, decode, encode, encodeExample, encodePrompt, EOS, SEP, VOCAB_SIZE } from '../../../src-main/core/model/tokenizer.ts'

describe('byte tokenizer', () => {
  it('round-trips any text exactly, multi-byte characters included', () => {
    for (const s of ['', 'u', '#@$. _\n\t', 'Grüße, 世界 🌍', '\u0000\u00ff\uffff', 'a'.repeat(1000)]) {
      const ids = encode(s)
      expect(ids.every((t) => t >= 0 && t < 256)).toBe(true)
      expect(decode(ids)).toBe(s)
    }
    expect(encode('🌍')).toHaveLength(4)
  })

  it('lays out prompt + SEP + target + EOS with the loss on the target and EOS only', () => {
    expect(encodePrompt('ab')).toEqual([BOS, 97, 98, SEP])
    const e = encodeExample('ab', 'u')
    expect(e.ids).toEqual([BOS, 97, 98, SEP, 117, EOS])
    expect(e.target).toEqual([false, false, false, false, true, true])
    expect(decode(e.ids)).toBe('abu')
    expect(Math.max(BOS, EOS, SEP)).toBeLessThan(VOCAB_SIZE)
  })
})
