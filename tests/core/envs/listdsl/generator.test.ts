import { describe, expect, it } from 'vitest'
import { parse, run, sameValue, trace } from '../../../../src-main/core/envs/listdsl/dsl.ts'
import { generateTask, splitOf } from '../../../../src-main/core/envs/listdsl/generator.ts'
import { synthesize } from '../../../../src-main/core/envs/listdsl/synth.ts'
import { randInt, rng } from '../../../../src-main/core/random.ts'

describe('list-DSL task generator', () => {
  it('is deterministic per seed and makes consistent, non-trivial tasks', () => {
    expect(generateTask(7, 'train')).toEqual(generateTask(7, 'train'))
    expect(generateTask(7, 'train')).not.toEqual(generateTask(8, 'train'))
    for (let seed = 0; seed < 200; seed++) {
      const t = generateTask(seed, seed % 5 ? 'train' : 'test', { length: [1, 4] })
      const program = parse(t.program)
      expect(program).toHaveLength(t.length)
      const examples = [...t.visible, ...t.hidden]
      expect(t.visible).toHaveLength(3)
      expect(t.hidden).toHaveLength(3)
      for (const e of examples) {
        expect(run(program, e.input)).toEqual(e.output)
        for (const v of [e.output].flat()) expect(Math.abs(v)).toBeLessThanOrEqual(256)
      }
      // No statement repeats a value the program already had on every example.
      const traces = examples.map((e) => trace(program, e.input))
      for (let k = 1; k <= program.length; k++) {
        for (let j = 0; j < k; j++) expect(traces.every((tr) => sameValue(tr[k]!, tr[j]!))).toBe(false)
      }
      expect(examples.every((e) => sameValue(e.output, examples[0]!.output))).toBe(false)
    }
  })

  it('keeps train and test functions apart: a held-out function never appears in training', () => {
    // Two programs that agree on 40 random lists (and the edge cases) compute the same function.
    const rand = rng(99)
    const probes = [[], [0], ...Array.from({ length: 40 }, () => Array.from({ length: 1 + randInt(rand, 8) }, () => randInt(rand, 19) - 9))]
    const behaviour = (program: string) => probes.map((x) => {
      try {
        return JSON.stringify(run(parse(program), x))
      } catch {
        return 'E'
      }
    }).join('|')
    const train = new Set<string>()
    for (let s = 0; s < 400; s++) {
      const t = generateTask(s, 'train')
      expect(splitOf(parse(t.program))).toBe('train')
      train.add(behaviour(t.program))
    }
    let test = 0
    for (let s = 0; s < 100; s++) {
      const t = generateTask(10_000 + s, 'test')
      expect(splitOf(parse(t.program))).toBe('test')
      expect(train.has(behaviour(t.program))).toBe(false)
      test++
    }
    expect(test).toBe(100)
  })
})

describe('enumerative synthesiser (the expert)', () => {
  it('finds a program no longer than the target that fits every example', () => {
    for (let seed = 0; seed < 40; seed++) {
      const t = generateTask(seed, 'train', { length: [1, 3] })
      const examples = [...t.visible, ...t.hidden]
      const r = synthesize(examples, { maxLength: t.length })
      expect(r.program, t.program).not.toBeNull()
      expect(r.program!.length).toBeLessThanOrEqual(t.length)
      for (const e of examples) expect(run(r.program!, e.input)).toEqual(e.output)
    }
  })

  it('gives up within its budget and says so', () => {
    const impossible = [
      { input: [1, 2], output: 7 },
      { input: [1, 2], output: 8 },
    ]
    expect(synthesize(impossible, { maxLength: 3, budget: 5_000 })).toMatchObject({ program: null })
    expect(synthesize(impossible, { maxLength: 3, budget: 5_000 }).evaluated).toBeLessThanOrEqual(5_000)
  })
})
