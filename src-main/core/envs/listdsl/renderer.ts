// How a list-DSL context reads. The compact form is for small byte-level models: the examples,
// the last program with its per-example results, the experience — a few hundred bytes, no more:
//
//   [3,1,2]>[2,4,6]
//   [5,0]>[0,10]
//   P sort a;map *2 b        the last program
//   F = [6,4,2] E            per example: right, what it gave, or an error
//   X <experience>
//   >
//
// The readable form explains the language and keeps the whole history, for served LLMs.
import type { Context, PromptForm, PromptRenderer, Task } from '../types.ts'
import { FUNCTIONS, format, MAPS, PREDICATES, showValue, ZIPPERS, type Program } from './dsl.ts'
import { DEFAULT_MAX_TURNS } from '../submissions.ts'
import { dslMeta, outcomes, tryParse, type DslTaskMeta } from './tasks.ts'

/** Experience is cut here in the compact form, so a prompt stays a few hundred bytes. */
export const COMPACT_EXPERIENCE_BYTES = 100

/**
 * The program in an answer: the whole text when it parses, else the last fenced block or line
 * that does; otherwise the whole text's parse error.
 */
export function readProgram(text: string): { program: Program } | { error: string } {
  const whole = tryParse(text.replace(/`/g, ''))
  if ('program' in whole || !/[`\n]/.test(text.trim())) return whole
  const candidates = [...[...text.matchAll(/```[\w-]*\n([\s\S]*?)```/g)].map((m) => m[1]!).reverse(), ...text.split('\n').reverse()]
  for (const c of new Set(candidates.map((c) => c.replace(/`/g, '').trim()))) {
    if (!c) continue
    const p = tryParse(c)
    if ('program' in p) return p
  }
  return whole
}

/** The program in an answer in its canonical compact form, or the text itself when none parses. */
export function extractProgram(text: string): string {
  const p = readProgram(text)
  return 'program' in p ? format(p.program) : text.trim()
}

function compactResults(meta: DslTaskMeta, action: string): string {
  const p = readProgram(action)
  if ('error' in p) return 'F parse'
  const visible = outcomes(p.program, meta.visible)
  if (visible.every((o) => o.ok)) return 'F hidden'
  return `F ${visible.map((o) => (o.ok ? '=' : o.error ? 'E' : showValue(o.value!))).join(' ')}`
}

const DSL_REFERENCE = [
  'The input list is a. Each statement applies one function and defines the next variable (b, c, d, …); the last statement is the output.',
  'Statements are separated by ";". Example: filter even a;map *2 b;sum c',
  `Functions: ${Object.entries(FUNCTIONS)
    .map(([fn, s]) => `${fn} ${s.args.map((k) => (k === 'list' ? 'L' : k === 'int' ? 'N' : k.toUpperCase())).join(' ')}`)
    .join(', ')} (L a list variable, N a number or number variable).`,
  `MAP: ${MAPS.join(' ')} (/ rounds down). PRED: ${PREDICATES.join(' ')}. ZIP: ${ZIPPERS.join(' ')}. scanl is a running fold (scanl + = running sums).`,
].join('\n')

export const dslRenderer: PromptRenderer = {
  system(task: Task): string {
    const turns = dslMeta(task).maxTurns ?? DEFAULT_MAX_TURNS
    return `You write programs in a small language of list functions.\n${DSL_REFERENCE}\nReply with the program only. You have ${turns} attempts; after each you see which examples it gets wrong.`
  },

  render(ctx: Context, form: PromptForm): string {
    const meta = dslMeta(ctx.task)
    if (form === 'compact') {
      const lines = meta.visible.map((e) => `${showValue(e.input)}>${showValue(e.output)}`)
      const last = ctx.history.at(-1)
      if (last) lines.push(`P ${extractProgram(last.action)}`, compactResults(meta, last.action))
      if (ctx.experience) lines.push(`X ${clipBytes(ctx.experience, COMPACT_EXPERIENCE_BYTES)}`)
      lines.push('>')
      return lines.join('\n')
    }
    const turns = meta.maxTurns ?? DEFAULT_MAX_TURNS
    const parts = [ctx.task.instruction]
    ctx.history.forEach(({ action, step }, i) => parts.push(`Attempt ${i + 1}: ${extractProgram(action)}\nResult: ${step.feedback}`))
    if (ctx.experience) parts.push(`Advice from reviewing an earlier attempt: ${ctx.experience}`)
    parts.push(`Write the program (attempt ${ctx.history.length + 1} of ${turns}).`)
    return parts.join('\n\n')
  },

  formatAction(action: string, _form: PromptForm): string {
    return extractProgram(action)
  },

  parseAction(text: string, _form: PromptForm): string {
    return extractProgram(text)
  },
}

function clipBytes(s: string, max: number): string {
  const b = Buffer.from(s, 'utf8')
  return b.length <= max ? s : b.subarray(0, max).toString('utf8').replace(/\uFFFD$/, '')
}
