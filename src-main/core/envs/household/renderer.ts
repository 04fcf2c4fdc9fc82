// Household prompts. Readable (served LLMs, people): ALFWorld's transcript — the task, the
// opening text, recent commands with what happened, the experience, the current observation and
// the admissible commands. Compact (the local byte-level model), in the codes of compact.ts:
// goal, place, what is in sight, what is held, and where goal objects were seen so far — 120
// bytes at most before the experience code, so that Early Experience's examples (a state, a
// command and the next state) fit the `micro-256` model's context.
import type { Context, PromptForm, PromptRenderer, Task } from '../types.ts'
import type { Goal } from './world.ts'
import { normalise } from './world.ts'
import { abbreviate, codeOf, compactCommand, expandCommand, goalCode } from './compact.ts'

const HISTORY = 10
export const COMPACT_END = '>'
const COMPACT_LIMIT = 120

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

  formatAction(action: string, form: PromptForm): string {
    return form === 'compact' ? compactCommand(normalise(action)) : normalise(action)
  },

  parseAction(text: string, form: PromptForm): string {
    const t = text.trim()
    if (form === 'compact') {
      const line = t.split('\n')[0]?.trim() ?? ''
      // The model writes codes; a readable command (a person's edit) is read as it is.
      return expandCommand(normalise(line))
    }
    // Served models may explain themselves: prefer a line that starts with "> " or "Action:", else the last line.
    const lines = t.split('\n').map((l) => l.trim()).filter(Boolean)
    const marked = [...lines].reverse().find((l) => /^(>|action:|command:)/i.test(l))
    const line = marked ?? lines[lines.length - 1] ?? t
    return normalise(line.replace(/^(>|action:|command:)\s*/i, '').replace(/^["'`]|["'`]$/g, ''))
  },
}

/**
 * The state in codes (compact.ts), e.g. "G:hbr>sh|R:ki+be,ba|A:-|H:br1 hot|K:br1@gc2>" in the
 * middle of a room, "G:hbr>sh|R:ki+be,ba|A:fr1 open|S:br1,cu2|H:->" at a receptacle; with an
 * experience code "…|X:gfr1|F:gct1>" (the place is the R: and A: already shown).
 */
function compact(ctx: Context, observation: string): string {
  const goal = (ctx.task.meta?.goal ?? null) as Goal | null
  const fields = Object.fromEntries(observation.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]))
  // "fridge 1 (closed)" → "fr1 closed", "bread 1 (hot)" → "br1 hot".
  const short = (text: string) => abbreviate(text).replace(/ \((.*)\)$/, ' $1').replace(/, /g, ',')
  const at = fields.At === 'the middle of the room' ? '-' : short(fields.At ?? '-')
  // In the middle of a room what is in sight is the room's receptacles, that the valid-action
  // restriction already carries (only receptacles that exist can be gone to): the compact form
  // leaves them out and shows the contents of a receptacle only.
  const sight = fields['In it'] ?? fields['On it']
  const room = short((fields.Room ?? '').replace(/ \(other rooms: (.*)\)$/, '+$1'))
  let text = `G:${goal ? goalCode(goal) : abbreviate(ctx.task.instruction.replace(/\.$/, ''))}|R:${room}|A:${at}${sight === undefined ? '' : `|S:${sight === 'nothing' ? '-' : short(sight)}`}|H:${fields.Holding === 'nothing' ? '-' : short(fields.Holding ?? '-')}`
  if (goal) {
    const seen = sightings(ctx, goal.object)
    if (seen.length) text += `|K:${seen.join(',')}`
  }
  if (text.length > COMPACT_LIMIT) text = text.slice(0, COMPACT_LIMIT)
  // The experience code goes after the state, where truncation cannot cut it off.
  if (ctx.code) text += `|X:${compactCommand(normalise(ctx.code.blamed))}${ctx.code.fix ? `|F:${compactCommand(normalise(ctx.code.fix))}` : ''}`
  return text + COMPACT_END
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
  return [...where].slice(-3).map(([name, place]) => `${codeOf(name)}@${codeOf(place)}`)
}
