import { describe, expect, it } from 'vitest'
import { format, parse, run, trace } from '../../../../src-main/core/envs/listdsl/dsl.ts'

describe('list DSL', () => {
  it('parses, runs and formats programs; statements may name their variable', () => {
    const p = parse('filter even a; map *2 b\nsum c')
    expect(format(p)).toBe('filter even a;map *2 b;sum c')
    expect(format(p, 'readable')).toBe('b = filter even a\nc = map *2 b\nd = sum c')
    expect(format(parse(format(p, 'readable')))).toBe(format(p))
    expect(parse('b <- sort a;c = reverse b')).toHaveLength(2)
    expect(run(p, [1, 2, 3, 4])).toBe(12)
    expect(trace(parse('sort a;head b'), [3, 1, 2])).toEqual([[3, 1, 2], [1, 2, 3], 1])
  })

  it.each([
    ['head a', [4, 5], 4],
    ['last a', [4, 5], 5],
    ['min a', [4, -1, 5], -1],
    ['max a', [4, -1, 5], 5],
    ['sum a', [], 0],
    ['reverse a', [1, 2, 3], [3, 2, 1]],
    ['sort a', [3, -1, 2], [-1, 2, 3]],
    ['take 2 a', [7, 8, 9], [7, 8]],
    ['drop 2 a', [7, 8, 9], [9]],
    ['access 1 a', [7, 8, 9], 8],
    ['map /2 a', [-3, 3], [-2, 1]],
    ['map ^2 a', [-3, 3], [9, 9]],
    ['map *-1 a', [1, -2], [-1, 2]],
    ['filter odd a', [-3, -2, 1], [-3, 1]],
    ['count <0 a', [-3, -2, 1], 2],
    ['scanl + a', [1, 2, 3], [1, 3, 6]],
    ['scanl max a', [2, 1, 3], [2, 2, 3]],
    ['sort a;zipwith - a b', [3, 1, 2], [2, -1, -1]],
    ['head a;take b a', [2, 9, 8, 7], [2, 9]],
    ['filter >0 a;zipwith * b a', [1, -1, 2], [1, -2]],
  ])('%s on %j gives %j', (program, input, output) => {
    expect(run(parse(program), input as number[])).toEqual(output)
  })

  it('names the statement and the reason for every mistake', () => {
    expect(() => parse('')).toThrow('The program is empty.')
    expect(() => parse('sort a;mapp *2 b')).toThrow(/^statement 2 \("mapp \*2 b"\): unknown function "mapp" \(known: head, last/)
    expect(() => parse('map *2')).toThrow('statement 1 ("map *2"): map takes 2 arguments, not 1.')
    expect(() => parse('map *5 a')).toThrow('statement 1 ("map *5 a"): argument 1 of map must be one of +1 -1 *2 /2 *3 /3 *4 /4 *-1 ^2, not "*5".')
    expect(() => parse('sort c')).toThrow('statement 1 ("sort c"): c is not defined yet (this statement defines b).')
    expect(() => parse('sum a;sort b')).toThrow('statement 2 ("sort b"): b is a number, but sort needs a list there.')
    expect(() => parse('c = sort a')).toThrow('statement 1 ("c = sort a"): it defines b, not c.')
    expect(() => parse(Array(9).fill('sort a').join(';'))).toThrow(/at most 8 are allowed/)
    expect(() => run(parse('filter >0 a;head b'), [-1, -2])).toThrow('statement 2 (head b): head of an empty list')
    expect(() => run(parse('access 5 a'), [1])).toThrow('statement 1 (access 5 a): access 5 is out of range for a list of 1')
  })
})
