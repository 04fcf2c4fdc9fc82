// Seeded level generation in the manner of gym-sokoban / Boxoban: carve a room by a random walk
// of small masks, put goals and the player on random floor cells with the boxes on the goals,
// then play backwards (the player pulls boxes) and keep the most scrambled state seen. Every
// state reached by pulling is solvable by pushing back, and the solver verifies it anyway.
import { Random, deriveSeed } from '../../random.ts'
import { contentSplit, type GeneratedSplit } from '../splits.ts'
import { layoutOf } from './analysis.ts'
import { BOX, deltasFor, fixedText, GOAL, levelText, WALL, type Level } from './grid.ts'
import { Solver, type SolveResult } from './solver.ts'

export type RoomSpec = { width: number; height: number; boxes: number }

export type GeneratedLevel = {
  level: Level
  text: string
  /** The solver's fewest-moves solution, as directions 0–3. */
  solution: SolveResult & { status: 'solved' }
  /** How many rooms were drawn before this one was kept (rejections are part of the seed's stream). */
  attempts: number
}

// gym-sokoban's carving masks (3x3, 1 = floor).
const MASKS = [
  [0, 0, 0, 1, 1, 1, 0, 0, 0],
  [0, 1, 0, 0, 1, 0, 0, 1, 0],
  [0, 0, 0, 1, 1, 0, 0, 1, 0],
  [0, 0, 0, 1, 1, 0, 1, 1, 0],
  [0, 0, 0, 0, 1, 1, 0, 1, 0],
]
const CHANGE_DIRECTION = 0.35
const REVERSE_WALKS = 4
const REVERSE_MOVES = 300
const MAX_ATTEMPTS = 20_000
/** Rooms the solver cannot finish within this many states are dropped (rare; keeps generation fast). */
const GENERATOR_MAX_NODES = 50_000

/**
 * The level of a seed. With `split`, rooms whose walls and goals belong to another split are
 * skipped (see splits.ts): the player's square and the boxes are left out of the key because
 * moves change them, so no state of a level (its start included) can appear in two splits; levels needing more than `maxMoves`
 * moves are skipped, so every task can be solved within its step limit. Throws if no acceptable
 * room turns up (a room too small for its boxes).
 */
export function generateLevel(spec: RoomSpec, seed: number, split?: GeneratedSplit, maxMoves = Infinity): GeneratedLevel {
  const { width, height, boxes } = spec
  if ((width - 2) * (height - 2) < boxes + 2) throw new Error(`A ${width}x${height} room cannot hold ${boxes} boxes.`)
  const rng = new Random(deriveSeed('sokoban', width, height, boxes, seed))
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const level = drawLevel(rng, spec)
    if (!level) continue
    if (split && contentSplit(fixedText(level)) !== split) continue
    const text = levelText(level)
    const solver = new Solver(layoutOf(level))
    const boxCells: number[] = []
    level.cells.forEach((c, i) => c & BOX && boxCells.push(i))
    const solution = solver.solve(boxCells, level.player, { mode: 'moves', maxNodes: GENERATOR_MAX_NODES })
    if (solution.status !== 'solved' || solution.actions.length > maxMoves) continue
    return { level, text, solution, attempts: attempt }
  }
  throw new Error(`No ${width}x${height} level with ${boxes} boxes found for seed ${seed} in ${MAX_ATTEMPTS} rooms.`)
}

/** One candidate: null when the room is too small or the backward play left it trivial. */
function drawLevel(rng: Random, { width, height, boxes }: RoomSpec): Level | null {
  const size = width * height
  const floor = carveRoom(rng, width, height)
  const free: number[] = []
  for (let i = 0; i < size; i++) if (floor[i]) free.push(i)
  if (free.length < boxes + 2) return null
  rng.shuffle(free)
  const cells = new Uint8Array(size)
  for (let i = 0; i < size; i++) cells[i] = floor[i] ? 0 : WALL
  for (let k = 0; k < boxes; k++) cells[free[k]!] = GOAL | BOX
  const player = free[boxes]!
  return scramble(rng, { width, height, cells, player }, boxes)
}

function carveRoom(rng: Random, width: number, height: number): Uint8Array {
  const floor = new Uint8Array(width * height)
  const steps = Math.floor(1.7 * (width + height))
  const dirs = [
    [1, 0],
    [0, 1],
    [-1, 0],
    [0, -1],
  ] as const
  let [dr, dc] = rng.pick(dirs)
  let r = rng.range(1, height - 2)
  let c = rng.range(1, width - 2)
  for (let s = 0; s < steps; s++) {
    if (rng.chance(CHANGE_DIRECTION)) [dr, dc] = rng.pick(dirs)
    r = Math.max(1, Math.min(height - 2, r + dr))
    c = Math.max(1, Math.min(width - 2, c + dc))
    const mask = rng.pick(MASKS)
    for (let k = 0; k < 9; k++) {
      if (!mask[k]) continue
      const rr = r - 1 + Math.floor(k / 3)
      const cc = c - 1 + (k % 3)
      if (rr > 0 && cc > 0 && rr < height - 1 && cc < width - 1) floor[rr * width + cc] = 1
    }
  }
  return floor
}

/**
 * Backward play from the solved room: each move steps the player to a free neighbour and, half
 * the time when a box is right behind, pulls it along. Scores states as gym-sokoban does (box
 * swaps × total box displacement) and returns the best one with no box left on a goal.
 */
function scramble(rng: Random, start: Level, boxCount: number): Level | null {
  const { width, cells: startCells } = start
  const deltas = deltasFor(width)
  let best: Level | null = null
  let bestScore = 0
  const origin = new Int32Array(startCells.length).fill(-1) // per box cell: where that box started
  for (let w = 0; w < REVERSE_WALKS; w++) {
    const cells = startCells.slice()
    let player = start.player
    origin.fill(-1)
    for (let i = 0; i < cells.length; i++) if (cells[i]! & BOX) origin[i] = i
    let swaps = 0
    let lastPulled = -1
    for (let m = 0; m < REVERSE_MOVES; m++) {
      const d = rng.int(4)
      const next = player + deltas[d]!
      if (cells[next]! & (WALL | BOX)) continue
      const behind = player - deltas[d]!
      const pull = cells[behind]! & BOX && rng.chance(0.5)
      if (pull) {
        cells[behind]! &= ~BOX
        cells[player]! |= BOX
        origin[player] = origin[behind]!
        origin[behind] = -1
        if (origin[player] !== lastPulled) swaps++
        lastPulled = origin[player]!
      }
      player = next
      if (!pull) continue
      let displacement = 0
      let onGoal = 0
      for (let i = 0; i < cells.length; i++) {
        if (!(cells[i]! & BOX)) continue
        const o = origin[i]!
        displacement += Math.abs(Math.floor(i / width) - Math.floor(o / width)) + Math.abs((i % width) - (o % width))
        if (cells[i]! & GOAL) onGoal++
      }
      const score = swaps * displacement
      if (onGoal === 0 && score > bestScore) {
        bestScore = score
        best = { width, height: start.height, cells: cells.slice(), player }
      }
    }
  }
  void boxCount
  if (best) best.player = rng.pick(walkable(best, deltas))
  return best
}

/** The cells the player can walk to without pushing (the player may start anywhere in them). */
function walkable(level: Level, deltas: Int32Array): number[] {
  const seen = new Uint8Array(level.cells.length)
  const out = [level.player]
  seen[level.player] = 1
  for (let head = 0; head < out.length; head++) {
    for (let d = 0; d < 4; d++) {
      const q = out[head]! + deltas[d]!
      if (seen[q] || level.cells[q]! & (WALL | BOX)) continue
      seen[q] = 1
      out.push(q)
    }
  }
  return out.sort((a, b) => a - b)
}
