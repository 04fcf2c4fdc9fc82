// The list-DSL critic. It knows the examples (hidden ones too) and the generating program, so it
// can say where a failed episode stopped making progress and what was wrong with the program
// there — in terms of examples the agent saw, short enough for a compact prompt.
import type { Reflection, Step, Task } from '../types.ts'
import { showValue, type Program, type Value } from './dsl.ts'
import { extractProgram, readProgram } from './renderer.ts'
import { dslMeta, outcomes, tryParse, type DslTaskMeta } from './tasks.ts'

export function dslCritic(task: Task, actions: string[], steps: Step[]): Reflection | null {
  if (!actions.length || steps.at(-1)?.success) return null
  const meta = dslMeta(task)
  const all = [...meta.visible, ...meta.hidden]
  const programs = actions.map((a) => extractProgram(a))
  const parsed = actions.map((a) => readProgram(a))
  const scores = parsed.map((p) => ('program' in p ? outcomes(p.program, all).filter((o) => o.ok).length : -1))
  const best = scores.indexOf(Math.max(...scores))
  const flat = scores.every((s) => s === scores[0])
  // The turn to redo (0-based): the first when nothing ever got better, else the one after the best attempt.
  const redo = flat ? 0 : best < scores.length - 1 ? best + 1 : scores.length - 1
  const p = parsed[redo]!
  return {
    rollbackStep: redo + 1,
    experience: 'error' in p ? `Fix the syntax: ${p.error}` : diagnose(meta, p.program),
    avoid: [programs[redo]!],
    source: 'critic',
  }
}

/** The first visible example the program gets wrong, what it gave, and one hint toward the target. */
function diagnose(meta: DslTaskMeta, program: Program): string {
  const visible = outcomes(program, meta.visible)
  const i = visible.findIndex((o) => !o.ok)
  if (i < 0) return 'It fits the examples but not hidden ones: find a more general program.'
  const e = meta.visible[i]!
  const o = visible[i]!
  const got = o.error ? `fails (${o.error.replace(/^statement \d+ \(([^)]*)\): /, '$1: ')})` : `gives ${showValue(o.value!)}`
  return `On ${showValue(e.input)} it ${got}, not ${showValue(e.output)}. ${hint(meta, program, e.output, o.value)}`.trim()
}

function hint(meta: DslTaskMeta, program: Program, want: Value, got: Value | undefined): string {
  if (got !== undefined) {
    if (typeof want === 'number' && Array.isArray(got)) return 'The answer is a number: end with sum, max, min, head, last, count or access.'
    if (Array.isArray(want) && typeof got === 'number') return 'The answer is a list: do not end with a number.'
    if (Array.isArray(want) && Array.isArray(got)) {
      const sorted = (xs: number[]) => [...xs].sort((x, y) => x - y).join()
      if (want.length === got.length && sorted(want) === sorted(got)) return 'Right numbers, wrong order: sort or reverse.'
      if (want.length < got.length) return 'Too many numbers: filter, take or drop.'
    }
  }
  const target = tryParse(meta.program)
  if (!('program' in target)) return ''
  const used = new Set(program.map((s) => s.fn))
  const missing = target.program.find((s) => !used.has(s.fn))
  return missing ? `Try ${missing.fn}.` : 'Check each function argument.'
}
