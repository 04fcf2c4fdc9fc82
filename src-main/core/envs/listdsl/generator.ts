// Seeded list-DSL tasks: a random program from the search space and random input lists, kept
// only when every statement does something on the examples (no statement repeats a value the
// program already had), the output is not constant, and all values stay in DeepCoder's range.
// Train, valid and test tasks come from disjoint sets of functions: a program's split is fixed by
// its outputs on probe inputs, so a held-out task's function never appears in training.
import { deriveSeed, Random } from '../../random.ts'
import { contentSplit, type GeneratedSplit } from '../splits.ts'
import { evaluate, format, sameValue, showValue, type Program, type Type, type Value } from './dsl.ts'
import { nextStatements, resultOf } from './space.ts'

export type Example = { input: number[]; output: Value }

export type GenerateOptions = {
  /** Statements in the target program: a number or [min, max]. Default [1, 3]. */
  length?: number | [number, number]
  visible?: number
  hidden?: number
}

export type GeneratedTask = { program: string; length: number; visible: Example[]; hidden: Example[] }

const VALUE_RANGE = [-256, 255] as const
const PROBES: number[][] = [[], [0], [3, -1, 4, 1, -5, 9], [2, 7, 1, 8, 2, 8], [-3, -2, -1, 0, 1, 2, 3], [5, 5, 5, 1, 1], [9, -9, 8]]

/**
 * The split a program's function belongs to: its behaviour on fixed probe inputs decides it
 * (splits.ts's content split), so programs written differently but computing the same function
 * share a split.
 */
export function splitOf(program: Program): GeneratedSplit {
  const behaviour = PROBES.map((p) => {
    const r = evaluate(program, p)
    return 'error' in r ? 'E' : showValue(r.vars.at(-1)!)
  }).join('|')
  return contentSplit(`listdsl:${behaviour}`)
}

const inRange = (v: Value) => (typeof v === 'number' ? [v] : v).every((x) => x >= VALUE_RANGE[0] && x <= VALUE_RANGE[1])

export function generateTask(seed: number, split: GeneratedSplit, opts: GenerateOptions = {}): GeneratedTask {
  const [minLen, maxLen] = typeof opts.length === 'number' ? [opts.length, opts.length] : (opts.length ?? [1, 3])
  const nVisible = opts.visible ?? 3
  const nHidden = opts.hidden ?? 3
  const random = new Random(deriveSeed('listdsl-task', seed))
  for (let attempt = 0; attempt < 20_000; attempt++) {
    const length = random.range(minLen, maxLen)
    const program: Program = []
    const types: Type[] = ['list']
    for (let k = 0; k < length; k++) {
      const s = random.pick(nextStatements(types))
      program.push(s)
      types.push(resultOf(s))
    }
    const inputs: number[][] = []
    const seen = new Set<string>()
    while (inputs.length < nVisible + nHidden) {
      const xs = Array.from({ length: random.range(3, 7) }, () => random.range(-9, 9))
      if (seen.has(xs.join())) continue
      seen.add(xs.join())
      inputs.push(xs)
    }
    const traces = tryTraces(program, inputs)
    if (!traces || !useful(traces, program.length)) continue
    const outputs = traces.map((t) => t.at(-1)!)
    if (outputs.every((o) => sameValue(o, outputs[0]!))) continue
    // At most one empty list among the outputs: an answer of [] says little about the function.
    if (outputs.filter((o) => Array.isArray(o) && o.length === 0).length > 1) continue
    if (splitOf(program) !== split) continue
    const examples = inputs.map((input, i) => ({ input, output: outputs[i]! }))
    return { program: format(program), length, visible: examples.slice(0, nVisible), hidden: examples.slice(nVisible) }
  }
  throw new Error(`No list-DSL task found for seed ${seed} (length ${minLen}–${maxLen}).`)
}

function tryTraces(program: Program, inputs: number[][]): Value[][] | null {
  const traces: Value[][] = []
  for (const input of inputs) {
    const r = evaluate(program, input)
    if ('error' in r || !r.vars.every(inRange)) return null
    traces.push(r.vars)
  }
  return traces
}

/** Every statement's value differs, on some example, from every value before it. */
function useful(traces: Value[][], length: number): boolean {
  for (let k = 1; k <= length; k++) {
    for (let j = 0; j < k; j++) if (traces.every((t) => sameValue(t[k]!, t[j]!))) return false
  }
  return true
}
