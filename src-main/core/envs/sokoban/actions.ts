// The four moves and the words that name them: "up"/"u" in any case, as agents and people write them.
import { DIRECTIONS, type Dir, type Direction } from './grid.ts'

const BY_TEXT = new Map<string, Dir>()
DIRECTIONS.forEach((name, d) => {
  BY_TEXT.set(name, d as Dir)
  BY_TEXT.set(name[0]!, d as Dir)
})

/** The direction an action names, or -1 when it names none. */
export function parseDirection(action: string): Dir | -1 {
  const d = BY_TEXT.get(action) ?? BY_TEXT.get(action.trim().toLowerCase())
  return d ?? -1
}

export const directionName = (d: Dir): Direction => DIRECTIONS[d]

export const VALID_ACTIONS_TEXT = 'up, down, left, right (or u, d, l, r)'
