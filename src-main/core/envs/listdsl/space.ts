// The space of programs the task generator samples from and the synthesiser searches: every
// statement uses the variable defined just before it (so no statement is dead code), and may
// also use earlier variables. Integer literals are 1–5, as task lengths are small.
import { FUNCTIONS, MAPS, PREDICATES, ZIPPERS, type Stmt, type Type } from './dsl.ts'

export const INT_LITERALS = [1, 2, 3, 4, 5]

const ON_LIST = ['head', 'last', 'min', 'max', 'sum', 'reverse', 'sort'] as const
const INDEXED = ['take', 'drop', 'access'] as const
// zipwith with these is symmetric: one argument order is enough.
const SYMMETRIC = new Set(['+', '*', 'min', 'max'])

const memo = new Map<string, Stmt[]>()

/** Every statement that uses the latest variable, given the types of the variables so far (a first). */
export function nextStatements(types: Type[]): Stmt[] {
  const key = types.join()
  let out = memo.get(key)
  if (!out) memo.set(key, (out = enumerate(types)))
  return out
}

function enumerate(types: Type[]): Stmt[] {
  const last = types.length - 1
  const lists = types.flatMap((t, i) => (t === 'list' ? [i] : []))
  const ints = types.flatMap((t, i) => (t === 'int' ? [i] : []))
  const out: Stmt[] = []
  const v = (i: number) => ({ var: i })
  if (types[last] === 'int') {
    for (const fn of INDEXED) for (const j of lists) out.push({ fn, args: [v(last), v(j)] })
    return out
  }
  for (const fn of ON_LIST) out.push({ fn, args: [v(last)] })
  for (const f of MAPS) out.push({ fn: 'map', args: [{ fn: f }, v(last)] })
  for (const p of PREDICATES) out.push({ fn: 'filter', args: [{ fn: p }, v(last)] }, { fn: 'count', args: [{ fn: p }, v(last)] })
  for (const g of ZIPPERS) out.push({ fn: 'scanl', args: [{ fn: g }, v(last)] })
  for (const fn of INDEXED) {
    for (const n of INT_LITERALS) out.push({ fn, args: [{ int: n }, v(last)] })
    for (const i of ints) out.push({ fn, args: [v(i), v(last)] })
  }
  // A list zipped with itself is a map or nothing (zipwith - b b is all zeros): left out.
  for (const g of ZIPPERS) {
    for (const j of lists) {
      if (j === last) continue
      out.push({ fn: 'zipwith', args: [{ fn: g }, v(last), v(j)] })
      if (!SYMMETRIC.has(g)) out.push({ fn: 'zipwith', args: [{ fn: g }, v(j), v(last)] })
    }
  }
  return out
}

export const resultOf = (s: Stmt): Type => FUNCTIONS[s.fn]!.result
