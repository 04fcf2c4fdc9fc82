import { beforeAll, describe, expect, it } from 'vitest'
import { generate, replayConstraint } from '../../../src-main/core/model/sampling.ts'
import { encode, encodePrompt, EOS } from '../../../src-main/core/model/tokenizer.ts'
import { createModel, presets, type Model } from '../../../src-main/core/model/transformer.ts'
import { useWasm } from './tf.ts'

let model: Model
beforeAll(async () => {
  await useWasm()
  // Random weights with a larger scale than the init, so that the distribution is far from uniform.
  model = createModel({ ...presets.nano, dModel: 32, nLayers: 2, nHeads: 2, contextLength: 64 }, 11)
})

const prompts = ['#@ $.', 'a much longer prompt here', 'x'].map(encodePrompt)
const free = prompts.map(() => undefined)

describe('sampling', () => {
  it('with a KV cache gives the same tokens as recomputing the whole context', () => {
    for (const temperature of [0, 1]) {
      const opts = { temperature, maxTokens: 12, seed: 5, stopAtNewline: false }
      const cached = generate(model, prompts, free, opts)
      const full = generate(model, prompts, free, { ...opts, useCache: false })
      expect(cached.map((g) => g.tokens)).toEqual(full.map((g) => g.tokens))
      expect(cached.some((g) => g.tokens.length > 3)).toBe(true)
    }
  })

  it('same seed, same samples; another seed, other samples; independent of how rows are batched', () => {
    const opts = { temperature: 1.5, maxTokens: 8, seed: 42 }
    const a = generate(model, prompts, free, opts)
    expect(generate(model, prompts, free, opts)).toEqual(a)
    expect(generate(model, prompts, free, { ...opts, seed: 43 })).not.toEqual(a)
    // With per-row seeds, rows sample the same alone as in a batch.
    const seeds = [7, 8, 9]
    const batched = generate(model, prompts, free, { ...opts, seeds })
    expect(generate(model, prompts.slice(1), free.slice(1), { ...opts, seeds: seeds.slice(1) })).toEqual(batched.slice(1))
  })

  it('restricts outputs to allowed strings, and never repeats an avoided one', () => {
    const allow = ['u', 'd', 'l', 'r', 'wait']
    for (let seed = 0; seed < 5; seed++) {
      const out = generate(model, prompts, prompts.map(() => ({ allow })), { temperature: 2, maxTokens: 8, seed })
      for (const g of out) expect(allow).toContain(g.text)
      const avoided = generate(model, prompts, prompts.map(() => ({ allow, avoid: ['u', 'd', 'l'] })), { temperature: 2, maxTokens: 8, seed })
      for (const g of avoided) expect(['r', 'wait']).toContain(g.text)
    }
    // Without an allowed set, an avoid list stops the output from being exactly that string.
    const greedy = generate(model, prompts, free, { temperature: 0, maxTokens: 3, seed: 1 })
    const again = generate(model, prompts, greedy.map((g) => ({ avoid: [g.text] })), { temperature: 0, maxTokens: 3, seed: 1 })
    again.forEach((g, i) => expect(g.text).not.toBe(greedy[i]!.text))
  })

  it('top-p 0 keeps only the most likely token, as greedy does', () => {
    const greedy = generate(model, prompts, free, { temperature: 0, maxTokens: 6, seed: 1 })
    const nucleus = generate(model, prompts, free, { temperature: 1, topP: 1e-9, maxTokens: 6, seed: 99 })
    expect(nucleus).toEqual(greedy)
  })

  it('replays what the sampler drew an output from: the allowed tokens at each step, and which tokens it drew at all', () => {
    const V = model.config.vocabSize
    const ids = (a: Uint8Array) => [...a.keys()].filter((t) => a[t])
    const code = (ch: string) => ch.charCodeAt(0)
    // A Sokoban move with the branch's avoided one: three moves to choose from, and no EOS drawn —
    // the restriction ends the output as soon as a move is written.
    const move = replayConstraint({ allow: ['u', 'd', 'l', 'r'], avoid: ['u'] }, [...encode('d'), EOS], V, 32)!
    expect(move.allowed.map(ids)[0]).toEqual(['d', 'l', 'r'].map(code).sort((a, b) => a - b))
    expect(move.drawn).toEqual([true, false])
    // Longer commands: forced letters until the two differ, then a choice of two, then the end.
    const cmd = replayConstraint({ allow: ['go to a', 'go to b'] }, [...encode('go to b'), EOS], V, 32)!
    expect(cmd.allowed.slice(0, 7).map((a) => ids(a).length)).toEqual([1, 1, 1, 1, 1, 1, 2])
    expect(cmd.drawn).toEqual([true, true, true, true, true, true, true, false])
    // Once one allowed output is left, the rest of it is written without a draw (each of its
    // tokens the only one allowed), and a target that leaves it breaks the restriction.
    const allow = ['go to fridge 1', 'go to garbagecan 1', 'look']
    const rest = replayConstraint({ allow }, [...encode('go to fridge 1'), EOS], V, 32)!
    expect(rest.drawn).toEqual([...Array(7).fill(true), ...Array(8).fill(false)])
    expect(rest.allowed.slice(7).every((a) => ids(a).length === 1)).toBe(true)
    expect(replayConstraint({ allow }, [...encode('go to fridge 2'), EOS], V, 32)).toBeNull()
    for (let seed = 0; seed < 8; seed++) {
      const [g] = generate(model, [prompts[1]!], [{ allow }], { temperature: 1, maxTokens: 32, seed })
      expect(allow).toContain(g!.text)
    }
    // Free text: every token but the structure ones, and the EOS that ends it is drawn.
    const free = replayConstraint(undefined, [...encode('hi'), EOS], V, 32)!
    expect(free.drawn).toEqual([true, true, true])
    expect(ids(free.allowed[2]!).length).toBe(V - 3)
    expect(replayConstraint({ allow: ['u', 'd'] }, [...encode('l'), EOS], V, 32)).toBeNull()
    // What the sampler actually writes under a restriction is always what the replay allows.
    const out = generate(model, [prompts[0]!], [{ allow: ['go to a', 'go to b', 'open c'] }], { temperature: 1, maxTokens: 16, seed: 4 })
    expect(replayConstraint({ allow: ['go to a', 'go to b', 'open c'] }, [...out[0]!.tokens, EOS], V, 16)).not.toBeNull()
  })
})
