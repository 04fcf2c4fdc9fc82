// A DeepCoder-style language of list functions (Balog et al., 2017), small enough for a
// byte-level model to write. A program is a sequence of statements; the input list is `a`,
// statement k defines the next letter (b, c, …), and the last statement's value is the output:
//
//   filter even a;map *2 b;sum c        (sum of the doubled even numbers)
//
// Values are integers and lists of integers. Lambdas come from fixed sets, as in DeepCoder.

export type Value = number | number[]
export type Type = 'int' | 'list'

export const MAPS = ['+1', '-1', '*2', '/2', '*3', '/3', '*4', '/4', '*-1', '^2'] as const
export const PREDICATES = ['>0', '<0', 'even', 'odd'] as const
export const ZIPPERS = ['+', '-', '*', 'min', 'max'] as const

type ArgKind = 'list' | 'int' | 'map' | 'pred' | 'zip'

const LAMBDAS: Partial<Record<ArgKind, readonly string[]>> = { map: MAPS, pred: PREDICATES, zip: ZIPPERS }

/** Every function: its argument kinds and result type. */
export const FUNCTIONS: Record<string, { args: ArgKind[]; result: Type }> = {
  head: { args: ['list'], result: 'int' },
  last: { args: ['list'], result: 'int' },
  min: { args: ['list'], result: 'int' },
  max: { args: ['list'], result: 'int' },
  sum: { args: ['list'], result: 'int' },
  reverse: { args: ['list'], result: 'list' },
  sort: { args: ['list'], result: 'list' },
  take: { args: ['int', 'list'], result: 'list' },
  drop: { args: ['int', 'list'], result: 'list' },
  access: { args: ['int', 'list'], result: 'int' },
  map: { args: ['map', 'list'], result: 'list' },
  filter: { args: ['pred', 'list'], result: 'list' },
  count: { args: ['pred', 'list'], result: 'int' },
  scanl: { args: ['zip', 'list'], result: 'list' },
  zipwith: { args: ['zip', 'list', 'list'], result: 'list' },
}

/** An argument: a variable (0 = a, the input), an integer literal, or a lambda's token. */
export type Arg = { var: number } | { int: number } | { fn: string }
export type Stmt = { fn: string; args: Arg[] }
export type Program = Stmt[]

export const MAX_STATEMENTS = 8
export const varName = (i: number): string => String.fromCharCode(97 + i)

/** A mistake in a program, for the agent to read. It carries no stack trace: agents send many. */
export class DslError extends Error {
  constructor(message: string) {
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    super(message)
    Error.stackTraceLimit = limit
    this.name = 'DslError'
  }
}

/**
 * Parses and type-checks a program. Statements are separated by ";" or new lines; a statement
 * may carry its variable ("c = map *2 b" or "c <- map *2 b"). Errors name the statement.
 */
export function parse(text: string): Program {
  const parts = text
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
  if (!parts.length) throw new DslError('The program is empty.')
  if (parts.length > MAX_STATEMENTS) throw new DslError(`The program has ${parts.length} statements; at most ${MAX_STATEMENTS} are allowed.`)
  const types: Type[] = ['list']
  const program: Program = []
  parts.forEach((part, k) => {
    const where = `statement ${k + 1} ("${part}")`
    let body = part
    const assign = /^([a-z])\s*(=|<-)\s*(.*)$/.exec(part)
    if (assign) {
      if (assign[1] !== varName(k + 1)) throw new DslError(`${where}: it defines ${varName(k + 1)}, not ${assign[1]}.`)
      body = assign[3]!
    }
    const [fn, ...tokens] = body.split(/\s+/)
    const sig = FUNCTIONS[fn!]
    if (!sig) throw new DslError(`${where}: unknown function "${fn}" (known: ${Object.keys(FUNCTIONS).join(', ')}).`)
    if (tokens.length !== sig.args.length) throw new DslError(`${where}: ${fn} takes ${sig.args.length} argument${sig.args.length > 1 ? 's' : ''}, not ${tokens.length}.`)
    const args = sig.args.map((kind, i): Arg => {
      const tok = tokens[i]!
      const bad = (what: string) => new DslError(`${where}: argument ${i + 1} of ${fn} must be ${what}, not "${tok}".`)
      const lambdas = LAMBDAS[kind]
      if (lambdas) {
        if (!lambdas.includes(tok)) throw bad(`one of ${lambdas.join(' ')}`)
        return { fn: tok }
      }
      if (kind === 'int' && /^-?\d{1,3}$/.test(tok)) return { int: Number(tok) }
      if (!/^[a-z]$/.test(tok)) throw bad(kind === 'int' ? 'a number or a variable' : 'a variable')
      const v = tok.charCodeAt(0) - 97
      if (v > k) throw new DslError(`${where}: ${tok} is not defined yet (this statement defines ${varName(k + 1)}).`)
      if (types[v] !== kind) throw new DslError(`${where}: ${tok} is ${types[v] === 'int' ? 'a number' : 'a list'}, but ${fn} needs ${kind === 'int' ? 'a number' : 'a list'} there.`)
      return { var: v }
    })
    types.push(sig.result)
    program.push({ fn: fn!, args })
  })
  return program
}

const argText = (a: Arg): string => ('var' in a ? varName(a.var) : 'int' in a ? String(a.int) : a.fn)

export function format(program: Program, form: 'compact' | 'readable' = 'compact'): string {
  const stmts = program.map((s) => `${s.fn} ${s.args.map(argText).join(' ')}`)
  return form === 'compact' ? stmts.join(';') : stmts.map((s, k) => `${varName(k + 1)} = ${s}`).join('\n')
}

// Beyond this a value is an overflow, not an answer (DeepCoder keeps values in [-256, 255]).
const LIMIT = 1_000_000

const mapFns: Record<string, (x: number) => number> = {
  '+1': (x) => x + 1,
  '-1': (x) => x - 1,
  '*2': (x) => x * 2,
  '/2': (x) => Math.floor(x / 2),
  '*3': (x) => x * 3,
  '/3': (x) => Math.floor(x / 3),
  '*4': (x) => x * 4,
  '/4': (x) => Math.floor(x / 4),
  '*-1': (x) => -x,
  '^2': (x) => x * x,
}
const predicates: Record<string, (x: number) => boolean> = {
  '>0': (x) => x > 0,
  '<0': (x) => x < 0,
  even: (x) => x % 2 === 0,
  odd: (x) => x % 2 !== 0,
}
const zippers: Record<string, (x: number, y: number) => number> = {
  '+': (x, y) => x + y,
  '-': (x, y) => x - y,
  '*': (x, y) => x * y,
  min: (x, y) => Math.min(x, y),
  max: (x, y) => Math.max(x, y),
}

const byNumber = (x: number, y: number) => x - y

/**
 * One statement on argument values, or null where it is undefined (an empty list's head, an
 * index out of range, an overflow). The synthesiser calls this millions of times: failure is a
 * value, not an exception, and no closure is made per call (tsx wraps every closure it creates
 * in a naming helper, which costs more than the work here).
 */
export function applyOrNull(fn: string, args: readonly (Value | string)[]): Value | null {
  const xs = (fn === 'take' || fn === 'drop' || fn === 'access' || fn === 'map' || fn === 'filter' || fn === 'count' || fn === 'scanl' || fn === 'zipwith' ? args[1] : args[0]) as number[]
  let out: Value
  switch (fn) {
    case 'head':
    case 'last':
    case 'min':
    case 'max': {
      if (!xs.length) return null
      let v = fn === 'last' ? xs[xs.length - 1]! : xs[0]!
      if (fn === 'min') for (const x of xs) v = x < v ? x : v
      if (fn === 'max') for (const x of xs) v = x > v ? x : v
      out = v
      break
    }
    case 'sum': {
      let v = 0
      for (const x of xs) v += x
      out = v
      break
    }
    case 'reverse':
      out = xs.slice().reverse()
      break
    case 'sort':
      out = xs.slice().sort(byNumber)
      break
    case 'take':
      out = xs.slice(0, Math.max(0, args[0] as number))
      break
    case 'drop':
      out = xs.slice(Math.max(0, args[0] as number))
      break
    case 'access': {
      const i = args[0] as number
      if (i < 0 || i >= xs.length) return null
      out = xs[i]!
      break
    }
    case 'map':
      out = xs.map(mapFns[args[0] as string]!)
      break
    case 'filter':
      out = xs.filter(predicates[args[0] as string]!)
      break
    case 'count': {
      const p = predicates[args[0] as string]!
      let n = 0
      for (const x of xs) if (p(x)) n++
      out = n
      break
    }
    case 'scanl': {
      const g = zippers[args[0] as string]!
      const acc: number[] = []
      for (let i = 0; i < xs.length; i++) acc.push(i === 0 ? xs[0]! : g(acc[i - 1]!, xs[i]!))
      out = acc
      break
    }
    case 'zipwith': {
      const g = zippers[args[0] as string]!
      const ys = args[2] as number[]
      const n = Math.min(xs.length, ys.length)
      const acc: number[] = []
      for (let i = 0; i < n; i++) acc.push(g(xs[i]!, ys[i]!))
      out = acc
      break
    }
    default:
      return null
  }
  if (typeof out === 'number') return Math.abs(out) > LIMIT ? null : out
  for (const x of out) if (Math.abs(x) > LIMIT) return null
  return out
}

/** Why applyOrNull gave null, in words. */
function failure(fn: string, args: readonly (Value | string)[]): string {
  if (!FUNCTIONS[fn]) return `unknown function ${fn}`
  if (fn === 'access') return `access ${args[0]} is out of range for a list of ${(args[1] as number[]).length}`
  if ((fn === 'head' || fn === 'last' || fn === 'min' || fn === 'max') && !(args[0] as number[]).length) return `${fn} of an empty list`
  return `${fn} overflowed (a value beyond ±${LIMIT})`
}

/** Every variable's value (a first) for one input, or the first statement's failure in words. Never throws. */
export function evaluate(program: Program, input: number[]): { vars: Value[] } | { error: string } {
  const vars: Value[] = [input]
  for (let k = 0; k < program.length; k++) {
    const s = program[k]!
    const args = s.args.map((a) => ('var' in a ? vars[a.var]! : 'int' in a ? a.int : a.fn))
    const v = applyOrNull(s.fn, args)
    if (v === null) return { error: `statement ${k + 1} (${format([s])}): ${failure(s.fn, args)}` }
    vars.push(v)
  }
  return { vars }
}

/** evaluate, throwing a DslError on failure. */
export function trace(program: Program, input: number[]): Value[] {
  const r = evaluate(program, input)
  if ('error' in r) throw new DslError(r.error)
  return r.vars
}

export const run = (program: Program, input: number[]): Value => trace(program, input).at(-1)!

export function sameValue(x: Value, y: Value): boolean {
  if (typeof x === 'number' || typeof y === 'number') return x === y
  if (x.length !== y.length) return false
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false
  return true
}

export const showValue = (v: Value): string => (typeof v === 'number' ? String(v) : `[${v.join(',')}]`)
