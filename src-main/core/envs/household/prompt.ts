// Household prompts. Readable (served LLMs, people): ALFWorld's transcript — the task, the
// opening text, recent commands with what happened, the experience, the current observation and
// the admissible commands. Compact (the local byte-level model): goal, place, what is in sight,
// what is held, and where goal objects were seen so far — a few hundred bytes at most.
import type { Context, PromptForm, PromptRenderer, Task } from '../types.ts'
import type { Goal } from './world.ts'
import { normalise } from './world.ts'

const HISTORY = 10
export const COMPACT_END = '>'
const COMPACT_LIMIT = 400

export const householdRenderer: PromptRenderer = {
  system(task: Task): string {
    return `You are an agent in a house, doing household tasks in the manner of ALFWorld. Your task is to: ${task.instruction} Answer with exactly one command, for example "go to fridge 1", "open fridge 1", "take apple 1 from fridge 1", "put apple 1 in microwave 1", "heat apple 1 with microwave 1", "use desklamp 1", "look".`
  },

  render(ctx: Context, form: PromptForm): string {
    const current = ctx.history.length ? ctx.history[ctx.history.length - 1]!.step : ctx.initial
    if (form === 'compact') return compact(ctx, current.observation)
    // The opening text (ALFWorld's first observation) ends with the task.
    const lines = [ctx.initial.feedback, '']
    const shown = ctx.history.slice(-HISTORY)
    const first = ctx.history.length - shown.length
    if (first > 0) lines.push(`(${first} earlier command${first === 1 ? '' : 's'} not shown)`)
    shown.forEach((h, i) => lines.push(`${first + i + 1}. > ${h.action}`, h.step.feedback))
    if (shown.length) lines.push('')
    if (ctx.experience) lines.push(`Experience from an earlier attempt: ${ctx.experience}`, '')
    if (ctx.avoid?.length) lines.push(`Do not choose: ${ctx.avoid.join('; ')}.`, '')
    lines.push('Now:', current.observation, '')
    if (ctx.validActions?.length) lines.push(`Admissible commands: ${ctx.validActions.join(', ')}`, '')
    lines.push('Your next command:')
    return lines.join('\n')
  },

  formatAction(action: string): string {
    return normalise(action)
  },

  parseAction(text: string, form: PromptForm): string {
    const t = text.trim()
    if (form === 'compact') return normalise(t.split('\n')[0] ?? '')
    // Served models may explain themselves: prefer a line that starts with "> " or "Action:", else the last line.
    const lines = t.split('\n').map((l) => l.trim()).filter(Boolean)
    const marked = [...lines].reverse().find((l) => /^(>|action:|command:)/i.test(l))
    const line = marked ?? lines[lines.length - 1] ?? t
    return normalise(line.replace(/^(>|action:|command:)\s*/i, '').replace(/^["'`]|["'`]$/g, ''))
  },
}

/**
 * e.g. "G:put a hot bread on a shelf|R:kitchen|A:stoveburner 2|S:pan 2,pot 1|H:bread 1|K:bread 1@garbagecan 2>";
 * with an experience code "…|X:go to fridge 1|F:go to countertop 1>" (the place is the R: and A: already shown).
 */
function compact(ctx: Context, observation: string): string {
  const goal = (ctx.task.meta?.goal ?? null) as Goal | null
  const fields = Object.fromEntries(observation.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]))
  const at = fields.At === 'the middle of the room' ? '-' : (fields.At ?? '-')
  const sight = fields.Here ?? fields['In it'] ?? fields['On it'] ?? ''
  let text = `G:${ctx.task.instruction.replace(/\.$/, '')}|R:${(fields.Room ?? '').replace(/ \(other rooms: (.*)\)$/, '+$1').replace(/, /g, ',')}|A:${at}|S:${groupNumbers(sight)}|H:${fields.Holding === 'nothing' ? '-' : fields.Holding}`
  if (goal) {
    const seen = sightings(ctx, goal.object)
    if (seen.length) text += `|K:${seen.join(',')}`
  }
  if (text.length > COMPACT_LIMIT) text = text.slice(0, COMPACT_LIMIT)
  // The experience code goes after the state, where truncation cannot cut it off.
  if (ctx.code) text += `|X:${ctx.code.blamed}${ctx.code.fix ? `|F:${ctx.code.fix}` : ''}`
  return text + COMPACT_END
}

/** "cabinet 1, cabinet 2, drawer 1" → "cabinet 1 2,drawer 1". */
function groupNumbers(list: string): string {
  if (!list || list === 'nothing') return '-'
  const groups = new Map<string, string[]>()
  for (const item of list.split(', ')) {
    const m = /^(.*) (\d+)$/.exec(item)
    const [kind, n] = m ? [m[1]!, m[2]!] : [item, '']
    groups.set(kind, [...(groups.get(kind) ?? []), n])
  }
  return [...groups].map(([k, ns]) => `${k} ${ns.join(' ')}`.trim()).join(',')
}

/** Where objects of the goal's kind were last seen in this episode (from observations only: no peeking). */
function sightings(ctx: Context, kind: string): string[] {
  const where = new Map<string, string>()
  const re = new RegExp(`\\b(${kind} \\d+)\\b`, 'g')
  for (const step of [ctx.initial, ...ctx.history.map((h) => h.step)]) {
    const at = /^At: ([^(\n]+?)(?: \((?:open|closed)\))?$/m.exec(step.observation)?.[1]
    const contents = /^(?:In|On) it: (.*)$/m.exec(step.observation)?.[1]
    if (!at || !contents) continue
    for (const [name, place] of [...where]) if (place === at) where.delete(name)
    for (const m of contents.matchAll(re)) where.set(m[1]!, at)
  }
  return [...where].slice(-3).map(([name, place]) => `${name}@${place}`)
}
