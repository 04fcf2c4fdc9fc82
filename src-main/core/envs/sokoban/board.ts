// The Sokoban core: one board on a typed array, stepped without allocating, so exploration and
// random baselines can afford millions of steps. Feedback words are made elsewhere (feedback.ts)
// from the result bits and the positions the board keeps.
import { layoutOf, type Layout } from './analysis.ts'
import { FreezeCheck, isCorner } from './deadlock.ts'
import { BOX, drawInto, GOAL, WALL, type Dir, type Level } from './grid.ts'

// Result bits of Board.step.
export const MOVED = 1
export const BUMPED_WALL = 2
export const BOX_AGAINST_WALL = 4
export const BOX_AGAINST_BOX = 8
export const PUSHED = 16
export const ONTO_GOAL = 32
export const OFF_GOAL = 64
export const SOLVED = 128
/** This push made the level unsolvable in a way the board recognises (see deadlockKind). */
export const DEADLOCK = 256

export type DeadlockKind = 'corner' | 'wall' | 'frozen'

export type BoardSnapshot = {
  cells: Uint8Array
  player: number
  boxesOnGoal: number
  deadlock: { kind: DeadlockKind; boxes: number[] } | null
}

export class Board {
  readonly layout: Layout
  readonly width: number
  readonly cells: Uint8Array
  player: number
  readonly boxCount: number
  boxesOnGoal = 0
  /** The box the last push moved (its new cell), or the box that could not move. */
  lastBox = -1
  /** Set by the push that lost the level: what kind of deadlock, and the boxes involved (first the one to blame). */
  deadlock: { kind: DeadlockKind; boxes: number[] } | null = null
  private readonly deltas: Int32Array
  private readonly dead: Uint8Array
  private readonly freeze: FreezeCheck
  private text: Uint8Array | undefined

  constructor(level: Level) {
    this.layout = layoutOf(level)
    this.width = level.width
    this.cells = level.cells.slice()
    this.player = level.player
    this.deltas = this.layout.deltas
    this.dead = this.layout.dead
    this.freeze = new FreezeCheck(this.deltas, this.dead, this.cells.length)
    let boxes = 0
    for (const c of this.cells) {
      if (c & BOX) boxes++
      if ((c & (BOX | GOAL)) === (BOX | GOAL)) this.boxesOnGoal++
    }
    this.boxCount = boxes
  }

  get solved(): boolean {
    return this.boxesOnGoal === this.boxCount
  }

  get lost(): boolean {
    return this.deadlock !== null
  }

  /** One move; returns result bits. Walls and immovable boxes leave the board as it was. */
  step(dir: Dir): number {
    const cells = this.cells
    const d = this.deltas[dir]!
    const next = this.player + d
    const c = cells[next]!
    if (c & WALL) return BUMPED_WALL
    if (!(c & BOX)) {
      this.player = next
      return MOVED
    }
    const beyond = next + d
    const cb = cells[beyond]!
    this.lastBox = next
    if (cb & WALL) return BOX_AGAINST_WALL
    if (cb & BOX) return BOX_AGAINST_BOX
    cells[next] = c & ~BOX
    cells[beyond] = cb | BOX
    this.player = next
    this.lastBox = beyond
    let result = MOVED | PUSHED
    if (c & GOAL) {
      this.boxesOnGoal--
      result |= OFF_GOAL
    }
    if (cb & GOAL) {
      this.boxesOnGoal++
      result |= ONTO_GOAL
      if (this.boxesOnGoal === this.boxCount) return result | SOLVED
    }
    if (this.deadlock === null) {
      if (this.dead[beyond]) {
        this.deadlock = { kind: isCorner(cells, this.deltas, beyond) ? 'corner' : 'wall', boxes: [beyond] }
        result |= DEADLOCK
      } else if (this.freeze.deadlock(cells, beyond)) {
        this.deadlock = { kind: 'frozen', boxes: [...this.freeze.group] }
        result |= DEADLOCK
      }
    }
    return result
  }

  /** Box cells in increasing order. */
  boxes(): number[] {
    const out: number[] = []
    for (let i = 0; i < this.cells.length; i++) if (this.cells[i]! & BOX) out.push(i)
    return out
  }

  /** The board as level text (XSB symbols, one row per line). */
  draw(): string {
    this.text ??= new Uint8Array(this.cells.length + this.layout.height)
    const n = drawInto(this.text, this.cells, this.player, this.width, this.layout.rowEnds)
    return Buffer.from(this.text.buffer, 0, n).toString('latin1')
  }

  /** The current state as a level (e.g. to solve from here). */
  toLevel(): Level {
    return { width: this.width, height: this.layout.height, cells: this.cells.slice(), player: this.player }
  }

  snapshot(): BoardSnapshot {
    return { cells: this.cells.slice(), player: this.player, boxesOnGoal: this.boxesOnGoal, deadlock: this.deadlock }
  }

  restore(s: BoardSnapshot): void {
    if (!(s.cells instanceof Uint8Array) || s.cells.length !== this.cells.length) throw new Error('This snapshot is of another level.')
    this.cells.set(s.cells)
    this.player = s.player
    this.boxesOnGoal = s.boxesOnGoal
    this.deadlock = s.deadlock
    this.lastBox = -1
  }
}
