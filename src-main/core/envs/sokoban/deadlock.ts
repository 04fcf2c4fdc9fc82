// Deadlocks a box push can cause, cheap enough to test on every push (Sokoban wiki terms):
// simple deadlocks (a box on a square from which no goal can ever be reached: corners, walls
// without goals) and freeze deadlocks (boxes that can never move again, not all on goals).
import { BOX, GOAL, WALL } from './grid.ts'

/**
 * Squares from which a lone box can never be pushed onto a goal (walls and other boxes aside).
 * Found backwards: a box can reach a goal from q if it can be pushed from q to a live square,
 * i.e. the next square on and the square behind it (where the player stands) are not walls.
 */
export function deadSquares(cells: Uint8Array, deltas: Int32Array): Uint8Array {
  const live = new Uint8Array(cells.length)
  const queue = new Int32Array(cells.length)
  let tail = 0
  for (let i = 0; i < cells.length; i++) {
    if (cells[i]! & GOAL) {
      live[i] = 1
      queue[tail++] = i
    }
  }
  for (let head = 0; head < tail; head++) {
    const p = queue[head]!
    for (let d = 0; d < 4; d++) {
      const q = p - deltas[d]! // the box came from q, pushed in direction d
      const stand = q - deltas[d]!
      if (live[q] || cells[q]! & WALL || cells[stand]! & WALL) continue
      live[q] = 1
      queue[tail++] = q
    }
  }
  const dead = new Uint8Array(cells.length)
  for (let i = 0; i < cells.length; i++) dead[i] = !(cells[i]! & WALL) && !live[i] ? 1 : 0
  return dead
}

/** Whether a dead square is a corner (walls on both axes) rather than a stretch of wall without goals. */
export function isCorner(cells: Uint8Array, deltas: Int32Array, cell: number): boolean {
  const vertical = cells[cell + deltas[0]!]! & WALL || cells[cell + deltas[1]!]! & WALL
  const horizontal = cells[cell + deltas[2]!]! & WALL || cells[cell + deltas[3]!]! & WALL
  return Boolean(vertical && horizontal)
}

/**
 * Freeze-deadlock test for the box at `cell`, the one just pushed. A box is frozen when it is
 * blocked on both axes; on an axis it is blocked by a wall on either side, by simple-deadlock
 * squares on both sides, or by a frozen box on either side (while testing a box it counts as a
 * wall, which breaks cycles). It is a deadlock when the frozen group has a box off its goal.
 * Holds scratch space, so one instance serves a whole search without allocating.
 */
export class FreezeCheck {
  private readonly frozen: Int32Array
  private count = 0
  /** After a deadlock: the frozen boxes, the first of them off a goal. */
  readonly group: number[] = []

  constructor(
    private readonly deltas: Int32Array,
    private readonly dead: Uint8Array,
    size: number,
  ) {
    this.frozen = new Int32Array(size)
  }

  deadlock(cells: Uint8Array, cell: number): boolean {
    this.count = 0
    if (!this.isFrozen(cells, cell)) return false
    let offGoal = -1
    for (let i = 0; i < this.count; i++) {
      if (!(cells[this.frozen[i]!]! & GOAL)) {
        offGoal = this.frozen[i]!
        break
      }
    }
    if (offGoal < 0) return false
    this.group.length = 0
    this.group.push(offGoal)
    // A box reached along two paths is listed twice in the scratch list.
    for (let i = 0; i < this.count; i++) if (!this.group.includes(this.frozen[i]!)) this.group.push(this.frozen[i]!)
    return true
  }

  private isFrozen(cells: Uint8Array, cell: number): boolean {
    const saved = cells[cell]!
    const mark = this.count
    cells[cell] = saved | WALL
    const frozen = this.blocked(cells, cell, 2) && this.blocked(cells, cell, 0)
    cells[cell] = saved
    // A neighbour found frozen while this box stood in as a wall is only frozen if this box is.
    if (!frozen) this.count = mark
    else if (this.count < this.frozen.length) this.frozen[this.count++] = cell
    return frozen
  }

  /** Blocked along the axis of directions (first, first + 1): up/down (0) or left/right (2). */
  private blocked(cells: Uint8Array, cell: number, first: number): boolean {
    const a = cell + this.deltas[first]!
    const b = cell + this.deltas[first + 1]!
    const ca = cells[a]!
    const cb = cells[b]!
    if (ca & WALL || cb & WALL) return true
    if (this.dead[a] && this.dead[b]) return true
    if (ca & BOX && this.isFrozen(cells, a)) return true
    if (cb & BOX && this.isFrozen(cells, b)) return true
    return false
  }
}
