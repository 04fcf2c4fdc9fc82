// A Sokoban level as flat typed arrays (one byte of flags per cell, row-major) and its text form:
// `#` wall, `@` player, `+` player on goal, `$` box, `*` box on goal, `.` goal, space floor.

export const WALL = 1
export const GOAL = 2
export const BOX = 4
/** Beyond the walls (imported levels with irregular shapes): a wall to the game, blank in text. */
export const OUTSIDE = 8

export const DIRECTIONS = ['up', 'down', 'left', 'right'] as const
export type Direction = (typeof DIRECTIONS)[number]
/** 0 up, 1 down, 2 left, 3 right: the index into DIRECTIONS and into a level's deltas. */
export type Dir = 0 | 1 | 2 | 3

export type Level = {
  width: number
  height: number
  /** WALL | GOAL | BOX | OUTSIDE flags per cell; the initial boxes are part of it. */
  cells: Uint8Array
  player: number
}

/** Cell-index offsets of the four directions in a grid `width` wide. */
export const deltasFor = (width: number): Int32Array => Int32Array.of(-width, width, -1, 1)

/** "(r, c)": positions in feedback count rows and columns from 0 at the top-left of the drawn grid. */
export const at = (cell: number, width: number): string => `(${Math.floor(cell / width)}, ${cell % width})`

/** The byte each cell state is drawn as, indexed by flags (BOX|GOAL|WALL) plus 8 for the player. */
const GLYPHS = new Uint8Array(16)
{
  const set = (i: number, ch: string) => (GLYPHS[i] = ch.charCodeAt(0))
  set(0, ' ')
  set(WALL, '#')
  set(GOAL, '.')
  set(BOX, '$')
  set(BOX | GOAL, '*')
  set(8, '@')
  set(8 | GOAL, '+')
}

/** Draws a state into `out` (rows separated by \n, trailing blanks of each row dropped); returns the byte length. */
export function drawInto(out: Uint8Array, cells: Uint8Array, player: number, width: number, rowEnds: Int32Array): number {
  let n = 0
  for (let r = 0; r < rowEnds.length; r++) {
    if (r > 0) out[n++] = 10
    const start = r * width
    const end = start + rowEnds[r]!
    for (let i = start; i < end; i++) {
      const c = cells[i]!
      out[n++] = c & OUTSIDE ? 32 : GLYPHS[(c & 7) | (i === player ? 8 : 0)]!
    }
  }
  return n
}

/** Per row, how many cells to draw: up to the last cell that is not OUTSIDE. */
export function rowEndsOf(level: Pick<Level, 'width' | 'height' | 'cells'>): Int32Array {
  const ends = new Int32Array(level.height)
  for (let r = 0; r < level.height; r++) {
    let e = level.width
    while (e > 0 && level.cells[r * level.width + e - 1]! & OUTSIDE) e--
    ends[r] = e
  }
  return ends
}

export function levelText(level: Level): string {
  const out = new Uint8Array(level.width * level.height + level.height)
  const n = drawInto(out, level.cells, level.player, level.width, rowEndsOf(level))
  return Buffer.from(out.buffer, 0, n).toString('latin1')
}

/**
 * The part of a level no move can change: walls and goals drawn without the boxes and the player.
 * Every state reachable in a level shares it, so a split decided by it keeps all of a level's
 * states (any player square, any box placement) in one split.
 */
export function fixedText(level: Pick<Level, 'width' | 'height' | 'cells'>): string {
  const fixed = level.cells.map((c) => c & (WALL | GOAL | OUTSIDE))
  const out = new Uint8Array(level.width * level.height + level.height)
  const n = drawInto(out, fixed, -1, level.width, rowEndsOf(level))
  return Buffer.from(out.buffer, 0, n).toString('latin1')
}

/** Why a level's text is not a playable level, and where (1-based line and column in its file). */
export class LevelError extends Error {
  constructor(
    readonly line: number,
    readonly column: number | null,
    readonly reason: string,
  ) {
    super(`line ${line}${column !== null ? `, column ${column}` : ''}: ${reason}`)
    this.name = 'LevelError'
  }
}

const FLOOR_CHARS = ' -_'

/**
 * Parses one level from its rows. `firstLine` is the file line of rows[0], so errors name the
 * file's line. Checks: known characters only, exactly one player, as many goals as boxes, at
 * least one box, and a room closed by walls (the player cannot walk off the map). Floor the
 * player cannot reach becomes OUTSIDE; a box or goal there that is not already solved is an error.
 */
export function parseLevel(rows: readonly string[], firstLine = 1): Level {
  const trimmed = rows.map((r) => r.replace(/\s+$/, ''))
  const height = trimmed.length
  const width = Math.max(0, ...trimmed.map((r) => r.length))
  if (height === 0 || width === 0) throw new LevelError(firstLine, null, 'the level is empty')
  const cells = new Uint8Array(width * height)
  // Cells past the end of a short row are void: walking onto one means the room is open.
  const voidCell = new Uint8Array(width * height)
  const players: number[] = []
  let boxes = 0
  let goals = 0
  const where = (i: number): [number, number] => [firstLine + Math.floor(i / width), (i % width) + 1]
  for (let r = 0; r < height; r++) {
    const row = trimmed[r]!
    for (let c = 0; c < width; c++) {
      const i = r * width + c
      if (c >= row.length) {
        voidCell[i] = 1
        continue
      }
      const ch = row[c]!
      if (ch === '#') cells[i] = WALL
      else if (FLOOR_CHARS.includes(ch)) cells[i] = 0
      else if (ch === '.') cells[i] = GOAL
      else if (ch === '$') cells[i] = BOX
      else if (ch === '*') cells[i] = BOX | GOAL
      else if (ch === '@') players.push(i)
      else if (ch === '+') {
        cells[i] = GOAL
        players.push(i)
      } else {
        const shown = ch === '\t' ? 'a tab' : `"${ch}"`
        throw new LevelError(firstLine + r, c + 1, `unknown character ${shown} (levels use # @ + $ * . and space)`)
      }
      if (cells[i]! & BOX) boxes++
      if (cells[i]! & GOAL) goals++
    }
  }
  if (players.length === 0) throw new LevelError(firstLine, null, 'the level has no player (@ or +)')
  if (players.length > 1) {
    const [l1, c1] = where(players[0]!)
    const [l2, c2] = where(players[1]!)
    throw new LevelError(l2, c2, `the level has ${players.length} players (one at line ${l1}, column ${c1}, another here); it must have exactly one`)
  }
  if (boxes === 0) throw new LevelError(firstLine, null, 'the level has no boxes')
  if (boxes !== goals) throw new LevelError(firstLine, null, `the level has ${boxes} box${boxes === 1 ? '' : 'es'} but ${goals} goal${goals === 1 ? '' : 's'}; they must be equal`)

  const player = players[0]!
  const reached = new Uint8Array(width * height)
  const queue = new Int32Array(width * height)
  let head = 0
  let tail = 0
  queue[tail++] = player
  reached[player] = 1
  while (head < tail) {
    const i = queue[head++]!
    const r = Math.floor(i / width)
    const c = i % width
    if (r === 0 || c === 0 || r === height - 1 || c === width - 1) {
      const [l, col] = where(i)
      throw new LevelError(l, col, 'the room is open to the outside: the player can walk off the map here (no wall closes it)')
    }
    for (const j of [i - width, i + width, i - 1, i + 1]) {
      if (reached[j] || cells[j]! & WALL) continue
      if (voidCell[j]) {
        const [l, col] = where(j)
        throw new LevelError(l, col, 'the room is open to the outside: the player can walk off the map here (no wall closes it)')
      }
      reached[j] = 1
      queue[tail++] = j
    }
  }
  for (let i = 0; i < cells.length; i++) {
    if (reached[i] || cells[i]! & WALL) continue
    const solvedBox = (cells[i]! & (BOX | GOAL)) === (BOX | GOAL)
    if (!solvedBox && cells[i]! & (BOX | GOAL)) {
      const [l, col] = where(i)
      throw new LevelError(l, col, `this ${cells[i]! & BOX ? 'box' : 'goal'} is walled off from the player, so the level cannot be solved`)
    }
    if (!solvedBox) cells[i] = WALL | OUTSIDE
  }
  return { width, height, cells, player }
}

/** The level's text (one row per line) for storage; parseLevel(text.split('\n')) gives it back. */
export const parseLevelText = (text: string): Level => parseLevel(text.split('\n'))
