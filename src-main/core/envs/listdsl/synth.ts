// The expert: an enumerative synthesiser that finds a shortest program consistent with the
// examples, by iterative deepening over the generator's program space. A candidate statement that
// fails on an example, or repeats a value the program already has, is pruned (the generator never
// makes such programs, so no target is lost).
import { applyOrNull, sameValue, type Program, type Stmt, type Type, type Value } from './dsl.ts'
import type { Example } from './generator.ts'
import { nextStatements, resultOf } from './space.ts'

export type SynthResult = { program: Program | null; evaluated: number }

export function synthesize(examples: Example[], opts: { maxLength?: number; budget?: number } = {}): SynthResult {
  const maxLength = opts.maxLength ?? 4
  const budget = opts.budget ?? 2_000_000
  const target = examples.map((e) => e.output)
  const targetType: Type = typeof target[0] === 'number' ? 'int' : 'list'
  let evaluated = 0
  // vars[v][e]: variable v's value on example e.
  const vars: Value[][] = [examples.map((e) => e.input)]
  const types: Type[] = ['list']
  const program: Stmt[] = []

  const argv: (Value | string)[] = []
  const evaluate = (s: Stmt): Value[] | null => {
    evaluated++
    const out: Value[] = []
    for (let e = 0; e < examples.length; e++) {
      argv.length = s.args.length
      for (let i = 0; i < s.args.length; i++) {
        const a = s.args[i]!
        argv[i] = 'var' in a ? vars[a.var]![e]! : 'int' in a ? a.int : a.fn
      }
      const v = applyOrNull(s.fn, argv)
      if (v === null) return null
      out.push(v)
    }
    return out
  }

  const search = (left: number): boolean => {
    for (const s of nextStatements(types)) {
      if (evaluated >= budget) return false
      const type = resultOf(s)
      if (left === 1 && type !== targetType) continue
      const values = evaluate(s)
      if (!values) continue
      if (left === 1) {
        if (sameAll(values, target)) {
          program.push(s)
          return true
        }
        continue
      }
      if (repeats(vars, values)) continue
      vars.push(values)
      types.push(type)
      program.push(s)
      if (search(left - 1)) return true
      vars.pop()
      types.pop()
      program.pop()
    }
    return false
  }

  for (let length = 1; length <= maxLength; length++) {
    if (search(length)) return { program: [...program], evaluated }
    if (evaluated >= budget) break
  }
  return { program: null, evaluated }
}

function sameAll(xs: Value[], ys: Value[]): boolean {
  for (let e = 0; e < xs.length; e++) if (!sameValue(xs[e]!, ys[e]!)) return false
  return true
}

/** The values equal some variable's on every example. */
function repeats(vars: Value[][], values: Value[]): boolean {
  for (const old of vars) if (sameAll(old, values)) return true
  return false
}
