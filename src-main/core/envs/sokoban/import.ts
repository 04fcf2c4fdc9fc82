// Import of standard Sokoban text files (XSB): many levels per file, separated by blank lines
// and/or `;` lines, optionally titled ('Title' quoted, or `Title:` lines), as the Boxoban files
// and the classic collections are written. All or nothing: one broken level and the whole file
// is refused, with the level, the line and the reason. A level that parses but cannot be solved
// within its step limit is left out, each one named with the moves it needs (limitProblems).
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { EngineError } from '../../errors.ts'
import type { DB } from '../../store/db.ts'
import { createTaskSet, type TaskSetInfo } from '../../store/tasks.ts'
import type { Task } from '../types.ts'
import { layoutOf } from './analysis.ts'
import { Board } from './board.ts'
import { levelText, LevelError, parseLevel, type Level } from './grid.ts'
import { Solver } from './solver.ts'
import { sokobanInstruction, importedStepLimit } from './tasks.ts'

export type ImportedLevel = {
  /** The level's name in its file: the `; N` comment before it, else its position (1-based). */
  title: string
  /** A quoted or `Title:` name, when the file gives one. */
  name?: string
  /** File line of the level's first row. */
  line: number
  text: string
  level: Level
}

const ROW_START = /^\s*[#@+$*.\-_]/

/** Splits a level file into levels and parses each; throws EngineError naming level, line and reason. */
export function parseLevelFile(content: string, fileLabel = 'the file'): ImportedLevel[] {
  const lines = content.split(/\r?\n/)
  const levels: ImportedLevel[] = []
  let rows: string[] = []
  let firstLine = 0
  let title: string | undefined
  let name: string | undefined
  const isRow = (i: number): boolean => {
    const l = lines[i]
    if (l === undefined || l.trim() === '' || l.trimStart().startsWith(';')) return false
    if (ROW_START.test(l)) return true
    // A garbled line next to a level's rows is a broken row, not a title: it has a wall in it,
    // or it sits between two rows.
    const rowAbove = rows.length > 0
    const rowBelow = ROW_START.test(lines[i + 1] ?? '')
    return (l.includes('#') && (rowAbove || rowBelow)) || (rowAbove && rowBelow)
  }
  const finish = () => {
    if (rows.length === 0) return
    const t = title ?? String(levels.length + 1)
    let level: Level
    try {
      level = parseLevel(rows, firstLine)
    } catch (err) {
      if (err instanceof LevelError) {
        throw new EngineError('bad_request', `${fileLabel}: level ${t} (starting at line ${firstLine}), line ${err.line}${err.column !== null ? `, column ${err.column}` : ''}: ${err.reason}. Nothing was imported.`)
      }
      throw err
    }
    levels.push({ title: t, ...(name ? { name } : {}), line: firstLine, text: levelText(level), level })
    rows = []
    title = undefined
    name = undefined
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (isRow(i)) {
      if (rows.length === 0) firstLine = i + 1
      rows.push(line)
      continue
    }
    finish()
    const t = line.trim()
    if (t.startsWith(';')) {
      const comment = t.slice(1).trim()
      if (comment) title = comment
    } else if (t) {
      // Quoted titles stand before their level (Microban); `Title:` lines follow it (sokobano.de XSB).
      const quoted = /^'(.*)'$/.exec(t)
      const titled = /^title\s*:\s*(.*)$/i.exec(t)
      const previous = levels[levels.length - 1]
      if (quoted) name = quoted[1]!.trim()
      else if (titled && previous && previous.name === undefined && title === undefined) previous.name = titled[1]!.trim()
    }
  }
  finish()
  if (levels.length === 0) throw new EngineError('bad_request', `${fileLabel} holds no Sokoban levels (rows of # @ + $ * . and spaces). Nothing was imported.`)
  return levels
}

/** Levels of a file as tasks of one imported set (ids "<set>/<title>", unique). */
export function levelsToTasks(setName: string, split: string, levels: ImportedLevel[], maxSteps?: number): Task[] {
  const seen = new Map<string, number>()
  return levels.map((l, index) => {
    const n = (seen.get(l.title) ?? 0) + 1
    seen.set(l.title, n)
    const limit = maxSteps ?? importedStepLimit(l.level)
    return {
      env: 'sokoban',
      id: `${setName}/${l.title}${n > 1 ? `#${n}` : ''}`,
      split,
      seed: index,
      instruction: sokobanInstruction(limit),
      meta: { level: l.text, maxSteps: limit, endOnDeadlock: false, title: l.title, ...(l.name ? { name: l.name } : {}), line: l.line },
    }
  })
}

/** A level that cannot be solved within its step limit: the fewest moves it needs, or null when it has no solution at all. */
export type LimitProblem = { title: string; line: number; limit: number; moves: number | null }

/** Search budgets: a quick any-solution search first (most levels end there), an exact one only when that came out too long. */
const QUICK_NODES = 40_000
const EXACT_NODES = 200_000

/**
 * Which levels cannot be solved within their step limit. A quick search's solution within the
 * limit clears a level; one too long is checked by the fewest-moves search, whose answer is
 * exact. A proof of no solution counts too. Levels neither search could settle within its budget
 * are `unchecked` (named, not left out: nothing shows them to be over).
 */
export function limitProblems(levels: ImportedLevel[], limitOf: (l: ImportedLevel) => number): { over: LimitProblem[]; unchecked: string[] } {
  const over: LimitProblem[] = []
  const unchecked: string[] = []
  for (const l of levels) {
    const limit = limitOf(l)
    const board = new Board(l.level)
    const solver = new Solver(layoutOf(l.level))
    const quick = solver.solve(board.boxes(), board.player, { mode: 'any', maxNodes: QUICK_NODES })
    if (quick.status === 'solved' && quick.actions.length <= limit) continue
    if (quick.status === 'unsolvable') {
      over.push({ title: l.title, line: l.line, limit, moves: null })
      continue
    }
    const exact = quick.status === 'solved' ? solver.solve(board.boxes(), board.player, { mode: 'moves', maxNodes: EXACT_NODES }) : quick
    if (exact.status === 'solved') {
      if (exact.actions.length > limit) over.push({ title: l.title, line: l.line, limit, moves: exact.actions.length })
    } else if (exact.status === 'unsolvable') over.push({ title: l.title, line: l.line, limit, moves: null })
    else unchecked.push(l.title)
  }
  return { over, unchecked }
}

/** One line for a level left out: which level, where, and what it needs against its limit. */
export const limitProblemText = (p: LimitProblem): string =>
  p.moves === null
    ? `level ${p.title} (line ${p.line}) cannot be solved at all`
    : `level ${p.title} (line ${p.line}) needs ${p.moves} moves, more than its step limit of ${p.limit}`

export type ImportOptions = { name?: string; split?: string; maxSteps?: number; onCheckStart?: (levels: number) => void }
export type ImportResult = { set: TaskSetInfo; leftOut: LimitProblem[]; unchecked: string[] }

/**
 * Reads a level file and stores it as one task set: all or nothing for a file that does not
 * parse; levels that cannot be solved within their step limit are left out and returned.
 */
export function importLevelFile(db: DB, path: string, opts: ImportOptions = {}): ImportResult {
  let content: Buffer
  try {
    content = readFileSync(path)
  } catch (err) {
    throw new EngineError('bad_request', `Cannot read ${path}: ${(err as Error).message}`)
  }
  const name = opts.name ?? basename(path).replace(/\.[^.]+$/, '')
  const split = opts.split ?? 'test'
  const levels = parseLevelFile(content.toString('utf8'), basename(path))
  // Only a file that parses is searched (a refusal comes first, and fast).
  opts.onCheckStart?.(levels.length)
  const { over, unchecked } = limitProblems(levels, (l) => opts.maxSteps ?? importedStepLimit(l.level))
  if (over.length === levels.length) {
    throw new EngineError('bad_request', `${basename(path)}: no level can be solved within its step limit (${limitProblemText(over[0]!)}${over.length > 1 ? `, and ${over.length - 1} more` : ''}); raise it with --max-steps. Nothing was imported.`)
  }
  const leftOut = new Set(over.map((p) => p.line))
  const tasks = levelsToTasks(name, split, levels, opts.maxSteps).filter((_, i) => !leftOut.has(levels[i]!.line))
  const sha256 = createHash('sha256').update(content).digest('hex')
  const set = createTaskSet(db, {
    name, env: 'sokoban', split, source: 'imported',
    params: { file: basename(path), sha256, levels: levels.length, ...(opts.maxSteps ? { maxSteps: opts.maxSteps } : {}), ...(over.length ? { leftOut: over.map((p) => p.title) } : {}) },
  }, tasks)
  return { set, leftOut: over, unchecked }
}
