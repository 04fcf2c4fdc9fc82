// A list-DSL task: input/output examples, visible and hidden, and the program that made them.
import type { GeneratedSplit } from '../splits.ts'
import type { Task } from '../types.ts'
import { evaluate, parse, sameValue, showValue, type Program, type Value } from './dsl.ts'
import { generateTask, type Example, type GenerateOptions } from './generator.ts'

export const LISTDSL_ENV = 'listdsl'

export type DslTaskMeta = {
  /** The generating program (compact form); any program matching every example is accepted. */
  program: string
  length: number
  visible: Example[]
  hidden: Example[]
  maxTurns?: number
}

export function dslMeta(task: Task): DslTaskMeta {
  const m = task.meta as DslTaskMeta | undefined
  if (!m || typeof m.program !== 'string' || !Array.isArray(m.visible) || !Array.isArray(m.hidden)) {
    throw new Error(`Task "${task.id}" is not a list-DSL task: its meta lacks program or examples.`)
  }
  return m
}

export function dslTask(seed: number, split: GeneratedSplit, opts: GenerateOptions & { maxTurns?: number } = {}): Task {
  const g = generateTask(seed, split, opts)
  const examples = g.visible.map((e) => `  ${showValue(e.input)} → ${showValue(e.output)}`)
  return {
    env: LISTDSL_ENV,
    id: `${split}/${seed}`,
    split,
    seed,
    instruction: ['Write a list program that turns each input list into its output.', 'Examples:', ...examples].join('\n'),
    meta: { ...g, ...(opts.maxTurns ? { maxTurns: opts.maxTurns } : {}) } satisfies DslTaskMeta,
  }
}

/** A program's result on one example, or the error it stopped with. */
export type Outcome = { ok: boolean; value?: Value; error?: string }

export function outcomes(program: Program, examples: Example[]): Outcome[] {
  return examples.map((e) => {
    const r = evaluate(program, e.input)
    if ('error' in r) return { ok: false, error: r.error }
    const value = r.vars.at(-1)!
    return { ok: sameValue(value, e.output), value }
  })
}

/** The program parsed, or the parse error's message. */
export function tryParse(text: string): { program: Program } | { error: string } {
  try {
    return { program: parse(text) }
  } catch (err) {
    return { error: (err as Error).message }
  }
}
