// Reads a Sokoban board out of an observation's text (# wall, @ player, + player on goal, $ box,
// * box on goal, . goal, space floor), so the UI can draw it as a picture. Pure.

export type Cell = 'wall' | 'floor' | 'goal' | 'box' | 'boxOnGoal' | 'player' | 'playerOnGoal'

export type Board = { width: number; height: number; cells: Cell[][]; boxes: number; boxesOnGoal: number }

const CELL: Record<string, Cell> = { '#': 'wall', ' ': 'floor', '.': 'goal', $: 'box', '*': 'boxOnGoal', '@': 'player', '+': 'playerOnGoal' }
const GRID_LINE = /^[#@+$*. ]+$/

/**
 * The first block of two or more consecutive grid lines that contain a wall, with a player in
 * it; null when the text holds none (household text, code, …). Lines around the grid are ignored.
 */
export function parseBoard(text: string): Board | null {
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    let j = i
    while (j < lines.length && GRID_LINE.test(lines[j]!) && lines[j]!.includes('#')) j++
    if (j - i >= 2) {
      const block = lines.slice(i, j).map((l) => l.replace(/\s+$/, ''))
      if (!block.some((l) => /[@+]/.test(l))) {
        i = j
        continue
      }
      const width = Math.max(...block.map((l) => l.length))
      const cells = block.map((l) => Array.from(l.padEnd(width, ' '), (ch) => CELL[ch]!))
      const flat = cells.flat()
      return {
        width,
        height: block.length,
        cells,
        boxes: flat.filter((c) => c === 'box' || c === 'boxOnGoal').length,
        boxesOnGoal: flat.filter((c) => c === 'boxOnGoal').length,
      }
    }
  }
  return null
}

/** What a screen reader says instead of the picture. */
export function describeBoard(b: Board): string {
  let player = ''
  b.cells.forEach((row, y) => row.forEach((c, x) => {
    if (c === 'player' || c === 'playerOnGoal') player = `player at row ${y + 1}, column ${x + 1}`
  }))
  return `Sokoban board ${b.width}×${b.height}: ${player}; ${b.boxesOnGoal} of ${b.boxes} boxes on goals.`
}
