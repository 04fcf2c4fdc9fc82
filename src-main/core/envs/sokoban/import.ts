// Import of standard Sokoban text files (XSB): many levels per file, separated by blank lines
// and/or `;` lines, optionally titled ('Title' quoted, or `Title:` lines), as the Boxoban files
// and the classic collections are written. All or nothing: one broken level and the whole file
// is refused, with the level, the line and the reason.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { EngineError } from '../../errors.ts'
import type { DB } from '../../store/db.ts'
import { createTaskSet, type TaskSetInfo } from '../../store/tasks.ts'
import type { Task } from '../types.ts'
import { levelText, LevelError, parseLevel, type Level } from './grid.ts'
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

export type ImportOptions = { name?: string; split?: string; maxSteps?: number }

/** Reads a level file and stores it as one task set, all or nothing. */
export function importLevelFile(db: DB, path: string, opts: ImportOptions = {}): TaskSetInfo {
  let content: Buffer
  try {
    content = readFileSync(path)
  } catch (err) {
    throw new EngineError('bad_request', `Cannot read ${path}: ${(err as Error).message}`)
  }
  const name = opts.name ?? basename(path).replace(/\.[^.]+$/, '')
  const split = opts.split ?? 'test'
  const levels = parseLevelFile(content.toString('utf8'), basename(path))
  const tasks = levelsToTasks(name, split, levels, opts.maxSteps)
  const sha256 = createHash('sha256').update(content).digest('hex')
  return createTaskSet(db, { name, env: 'sokoban', split, source: 'imported', params: { file: basename(path), sha256, levels: levels.length, ...(opts.maxSteps ? { maxSteps: opts.maxSteps } : {}) } }, tasks)
}
