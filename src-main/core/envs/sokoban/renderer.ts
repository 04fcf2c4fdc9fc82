// Sokoban prompts. Compact (the local byte-level model): the room's interior, one byte per cell,
// no border, no newlines, then '>' — the form that let a tiny model learn (a 26-byte prompt broke the
// plateau that the full 50-byte grid with newlines stayed on, at equal training time); the game
// is Markov, so only the current state is shown. Readable (served LLMs, people): instruction,
// legend, recent moves with their feedback, the experience when there is one, the grid.
import type { Context, ExperienceCode, PromptForm, PromptRenderer, Task } from '../types.ts'
import { parseDirection, directionName } from './actions.ts'

/** Moves of history the readable prompt shows (older ones are summarised by their count). */
const HISTORY = 8
export const COMPACT_END = '>'

const LEGEND =
  'Legend: # wall, space floor, @ you, + you on a goal, $ box, * box on a goal, . goal. Positions are (row, column), counted from (0, 0) at the top-left corner of the grid.'

/** The interior of a drawn grid (outer ring dropped, blanks outside the walls as #), row after row. */
export function compactGrid(observation: string): string {
  const rows = observation.split('\n')
  const width = Math.max(...rows.map((r) => r.length))
  let out = ''
  for (let r = 1; r < rows.length - 1; r++) {
    const row = rows[r]!.padEnd(width, ' ')
    for (let c = 1; c < width - 1; c++) {
      const ch = row[c]!
      // Blanks outside the walls read as walls: only the interior shape matters to the model.
      out += ch === ' ' && outside(rows, r, c) ? '#' : ch
    }
  }
  return out
}

/** One byte per coordinate: 0–9, then a–z (rooms up to 36 cells a side). */
const coordinate = (n: number): string => n.toString(36)

/**
 * An experience code in the compact form: `|X` + the blamed move's letter + the cell it was made
 * from (row, column of the drawn grid, a byte each) + `:` and the fix's letter when there is one —
 * e.g. `|Xu23:r` ("up from (2, 3) lost the level; go right"), or `|Xu23` as a diagnosis only.
 */
export function compactCode(code: ExperienceCode): string {
  const blamed = parseDirection(code.blamed)
  const [row, col] = code.place.split(',').map(Number)
  if (blamed === -1 || !Number.isInteger(row) || !Number.isInteger(col)) return ''
  const fix = code.fix === undefined ? -1 : parseDirection(code.fix)
  return `|X${directionName(blamed)[0]}${coordinate(row!)}${coordinate(col!)}${fix === -1 ? '' : `:${directionName(fix)[0]}`}`
}

/** A blank with no wall between it and the grid's edge on its row is outside the level. */
function outside(rows: string[], r: number, c: number): boolean {
  const row = rows[r]!
  return !row.slice(0, c).includes('#') || !row.slice(c + 1).includes('#')
}

export const sokobanRenderer: PromptRenderer = {
  system(task: Task): string {
    return `You are playing Sokoban. ${task.instruction} ${LEGEND} Answer with exactly one action: up, down, left or right.`
  },

  render(ctx: Context, form: PromptForm): string {
    const current = ctx.history.length ? ctx.history[ctx.history.length - 1]!.step : ctx.initial
    // The compact form carries the experience as a code after the state (a few bytes a small
    // model can learn to read), never as prose.
    if (form === 'compact') return compactGrid(current.observation) + (ctx.code ? compactCode(ctx.code) : '') + COMPACT_END
    const lines = [`Task: ${ctx.task.instruction}`, LEGEND, '']
    const shown = ctx.history.slice(-HISTORY)
    if (shown.length) {
      const first = ctx.history.length - shown.length
      lines.push(first > 0 ? `Your last ${shown.length} of ${ctx.history.length} moves:` : 'Your moves so far:')
      shown.forEach((h, i) => lines.push(`${first + i + 1}. ${h.action} — ${h.step.feedback}`))
      lines.push('')
    }
    if (ctx.experience) lines.push(`Experience from an earlier attempt: ${ctx.experience}`, '')
    if (ctx.avoid?.length) lines.push(`Do not choose: ${ctx.avoid.join(', ')}.`, '')
    lines.push(ctx.history.length ? `Current state after ${ctx.history.length} moves:` : 'Current state:', current.observation, '')
    lines.push('Your next action (up, down, left or right):')
    return lines.join('\n')
  },

  formatAction(action: string, form: PromptForm): string {
    const d = parseDirection(action)
    if (d === -1) return action
    const name = directionName(d)
    return form === 'compact' ? name[0]! : name
  },

  parseAction(text: string, form: PromptForm): string {
    const exact = parseDirection(text)
    if (exact !== -1) return directionName(exact)
    if (form === 'compact') {
      const d = parseDirection(text.trimStart()[0] ?? '')
      return d === -1 ? text : directionName(d)
    }
    // Served models explain themselves: take the last direction word they wrote.
    const words = text.toLowerCase().match(/\b(up|down|left|right)\b/g)
    return words ? words[words.length - 1]! : text
  },
}
