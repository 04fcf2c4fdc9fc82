// What never changes in a level — walls, goals, dead squares, push distances — computed once per
// layout and shared by every board, solver and critic that plays it.
import { deadSquares } from './deadlock.ts'
import { BOX, deltasFor, GOAL, rowEndsOf, WALL, type Level } from './grid.ts'

export type Layout = {
  width: number
  height: number
  /** The level's cells without boxes: WALL | GOAL | OUTSIDE. */
  statics: Uint8Array
  deltas: Int32Array
  dead: Uint8Array
  goals: Int32Array
  rowEnds: Int32Array
  /** Lazily: per goal, the fewest pushes that bring a lone box from each cell onto it (UNREACHABLE if none). */
  pushDistances?: Int32Array[]
}

export const UNREACHABLE = 1 << 20

const cache = new Map<string, Layout>()
const CACHE_LIMIT = 4096

export function layoutOf(level: Level): Layout {
  const statics = level.cells.map((c) => c & ~BOX)
  const key = `${level.width}:${Buffer.from(statics.buffer, statics.byteOffset, statics.length).toString('latin1')}`
  let layout = cache.get(key)
  if (layout) return layout
  const deltas = deltasFor(level.width)
  const goals: number[] = []
  statics.forEach((c, i) => c & GOAL && goals.push(i))
  layout = {
    width: level.width,
    height: level.height,
    statics,
    deltas,
    dead: deadSquares(statics, deltas),
    goals: Int32Array.from(goals),
    rowEnds: rowEndsOf(level),
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!)
  cache.set(key, layout)
  return layout
}

/** Push distances to every goal (reverse breadth-first search over pulls, other boxes ignored). */
export function pushDistances(layout: Layout): Int32Array[] {
  if (layout.pushDistances) return layout.pushDistances
  const { statics, deltas } = layout
  const size = statics.length
  const queue = new Int32Array(size)
  layout.pushDistances = Array.from(layout.goals, (goal) => {
    const dist = new Int32Array(size).fill(UNREACHABLE)
    dist[goal] = 0
    let tail = 0
    queue[tail++] = goal
    for (let head = 0; head < tail; head++) {
      const p = queue[head]!
      for (let d = 0; d < 4; d++) {
        const q = p - deltas[d]!
        if (dist[q] !== UNREACHABLE || statics[q]! & WALL || statics[q - deltas[d]!]! & WALL) continue
        dist[q] = dist[p]! + 1
        queue[tail++] = q
      }
    }
    return dist
  })
  return layout.pushDistances
}
