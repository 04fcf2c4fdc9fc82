// A* over box pushes with deadlock pruning, for expert demonstrations (fewest moves), for
// checking generated and imported levels, and for the critic's "is this still solvable?".
//
// A search node is a box configuration plus where the player stands. Expanding it finds every
// cell the player can walk to (one breadth-first search) and every push possible from there.
// Pushes onto dead squares, pushes that freeze boxes off goals, and configurations where boxes
// cannot all be matched to distinct goals are pruned — each only removes states from which no
// solution exists, so "unsolvable" is a proof. The lower bound is the minimum-cost matching of
// boxes to goals by push distance: admissible, and consistent for both costs used here.
import { MinHeap } from '../min-heap.ts'
import { pushDistances, UNREACHABLE, type Layout } from './analysis.ts'
import { FreezeCheck } from './deadlock.ts'
import { BOX, GOAL, WALL, type Dir } from './grid.ts'

export type SolveMode =
  /** Fewest moves (walking included): for expert demonstrations. Exact player positions. */
  | 'moves'
  /** Any solution, fast (greedy); player positions merged per reachable region: for solvability. */
  | 'any'

export type SolveOptions = { mode?: SolveMode; maxNodes?: number }

export type SolveResult =
  | { status: 'solved'; actions: Dir[]; pushes: number; nodes: number }
  | { status: 'unsolvable'; nodes: number }
  | { status: 'gave_up'; nodes: number }

export const DEFAULT_MAX_NODES = 300_000

type Key = number | string

export class Solver {
  private readonly size: number
  private readonly statics: Uint8Array
  private readonly deltas: Int32Array
  private readonly dead: Uint8Array
  private readonly distances: Int32Array[]
  private readonly work: Uint8Array
  private readonly freeze: FreezeCheck
  // Breadth-first scratch: stamp[i] === gen marks cell i reached in the current search.
  private readonly stamp: Int32Array
  private readonly dist: Int32Array
  private readonly queue: Int32Array
  private readonly stamp2: Int32Array
  private readonly queue2: Int32Array
  private gen = 0
  private gen2 = 0
  private readonly heap = new MinHeap()
  private readonly seen = new Map<Key, number>()
  // Node storage, grown by doubling.
  private cap = 0
  private n = 0
  private count = 0
  private boxes = new Int32Array(0)
  private player = new Int32Array(0)
  private parent = new Int32Array(0)
  private g = new Int32Array(0)
  private from = new Int32Array(0)
  private dir = new Uint8Array(0)
  private closed = new Uint8Array(0)
  private keyBase = 0
  private readonly keyChars: Uint16Array
  private readonly child: Int32Array
  private readonly matching: Matching

  constructor(readonly layout: Layout) {
    this.size = layout.statics.length
    this.statics = layout.statics
    this.deltas = layout.deltas
    this.dead = layout.dead
    this.distances = pushDistances(layout)
    this.work = layout.statics.slice()
    this.freeze = new FreezeCheck(this.deltas, this.dead, this.size)
    this.stamp = new Int32Array(this.size)
    this.dist = new Int32Array(this.size)
    this.queue = new Int32Array(this.size)
    this.stamp2 = new Int32Array(this.size)
    this.queue2 = new Int32Array(this.size)
    const goals = layout.goals.length
    this.keyChars = new Uint16Array(goals + 1)
    this.child = new Int32Array(goals)
    this.matching = new Matching(goals)
  }

  /** Solves from boxes (cells, any order) and the player's cell. */
  solve(boxesIn: ArrayLike<number>, playerIn: number, opts: SolveOptions = {}): SolveResult {
    const mode = opts.mode ?? 'moves'
    const maxNodes = opts.maxNodes ?? DEFAULT_MAX_NODES
    const n = boxesIn.length
    if (n !== this.layout.goals.length) throw new Error(`${n} boxes but ${this.layout.goals.length} goals`)
    this.reset(n)
    const start = Int32Array.from(boxesIn).sort()
    for (const b of start) if (this.dead[b]) return { status: 'unsolvable', nodes: 0 }
    const h0 = this.lowerBound(start)
    if (h0 >= UNREACHABLE) return { status: 'unsolvable', nodes: 0 }
    for (const b of start) this.work[b]! |= BOX
    const rootPlayer = mode === 'any' ? this.normalise(playerIn) : playerIn
    for (const b of start) this.work[b]! &= ~BOX
    const root = this.addNode(start, rootPlayer, -1, 0, -1, 0)
    if (h0 === 0) return { status: 'solved', actions: [], pushes: 0, nodes: 1 }
    this.heap.push(root, h0 * 1e6)

    const deltas = this.deltas
    const work = this.work
    while (this.heap.size > 0) {
      const id = this.heap.pop()
      if (this.closed[id]) continue
      this.closed[id] = 1
      const base = id * n
      if (mode === 'moves' && this.isGoal(base)) return this.solution(id, start, playerIn)
      if (this.count >= maxNodes) return { status: 'gave_up', nodes: this.count }
      for (let i = 0; i < n; i++) work[this.boxes[base + i]!]! |= BOX
      this.reach(this.player[id]!)
      const gen = this.gen
      const gParent = this.g[id]!
      for (let i = 0; i < n; i++) {
        const b = this.boxes[base + i]!
        for (let d = 0 as Dir; d < 4; d = (d + 1) as Dir) {
          const stand = b - deltas[d]!
          const to = b + deltas[d]!
          if (this.stamp[stand] !== gen || work[to]! & (WALL | BOX) || this.dead[to]) continue
          work[b]! &= ~BOX
          work[to]! |= BOX
          if (!this.freeze.deadlock(work, to)) {
            const child = this.childBoxes(base, i, to)
            const h = this.lowerBound(child)
            if (h < UNREACHABLE) {
              const childPlayer = mode === 'any' ? this.normalise(b) : b
              const g = gParent + (mode === 'moves' ? this.dist[stand]! + 1 : 1)
              const key = this.keyOf(child, childPlayer)
              const known = this.seen.get(key)
              if (known === undefined) {
                const cid = this.addNode(child, childPlayer, id, g, b, d)
                this.seen.set(key, cid)
                if (mode === 'any') {
                  if (h === 0) {
                    work[to]! &= ~BOX
                    for (let k = 0; k < n; k++) work[this.boxes[base + k]!]! &= ~BOX
                    return this.solution(cid, start, playerIn)
                  }
                  this.heap.push(cid, h * 1e6 - g)
                } else this.heap.push(cid, (g + h) * 1e6 - g)
              } else if (mode === 'moves' && !this.closed[known] && g < this.g[known]!) {
                this.g[known] = g
                this.parent[known] = id
                this.from[known] = b
                this.dir[known] = d
                this.heap.push(known, (g + h) * 1e6 - g)
              }
            }
          }
          work[to]! &= ~BOX
          work[b]! |= BOX
        }
      }
      for (let i = 0; i < n; i++) work[this.boxes[base + i]!]! &= ~BOX
    }
    return { status: 'unsolvable', nodes: this.count }
  }

  private reset(n: number): void {
    this.n = n
    this.count = 0
    this.seen.clear()
    this.heap.clear()
    const bits = Math.ceil(Math.log2(this.size + 1))
    this.keyBase = bits * (n + 1) <= 52 ? 2 ** bits : 0
    if (this.cap === 0) this.grow(1024)
    else if (this.boxes.length < this.cap * n) this.boxes = new Int32Array(this.cap * n)
  }

  private grow(cap: number): void {
    const copy = <T extends Int32Array | Uint8Array>(old: T, len: number): T => {
      const next = new (old.constructor as new (n: number) => T)(len)
      next.set(old.subarray(0, Math.min(old.length, len)) as never)
      return next
    }
    this.boxes = copy(this.boxes, cap * Math.max(1, this.n))
    this.player = copy(this.player, cap)
    this.parent = copy(this.parent, cap)
    this.g = copy(this.g, cap)
    this.from = copy(this.from, cap)
    this.dir = copy(this.dir, cap)
    this.closed = copy(this.closed, cap)
    this.cap = cap
  }

  private addNode(boxes: Int32Array, player: number, parent: number, g: number, from: number, dir: number): number {
    if (this.count === this.cap) this.grow(this.cap * 2)
    const id = this.count++
    this.boxes.set(boxes.subarray(0, this.n), id * this.n)
    this.player[id] = player
    this.parent[id] = parent
    this.g[id] = g
    this.from[id] = from
    this.dir[id] = dir
    this.closed[id] = 0
    if (parent < 0) this.seen.set(this.keyOf(boxes, player), id)
    return id
  }

  private keyOf(boxes: Int32Array, player: number): Key {
    const n = this.n
    if (this.keyBase) {
      let k = player
      for (let i = 0; i < n; i++) k = k * this.keyBase + boxes[i]!
      return k
    }
    this.keyChars[0] = player
    for (let i = 0; i < n; i++) this.keyChars[i + 1] = boxes[i]!
    return String.fromCharCode.apply(null, this.keyChars.subarray(0, n + 1) as unknown as number[])
  }

  /** The parent's boxes with box i moved to `to`, kept sorted. */
  private childBoxes(base: number, i: number, to: number): Int32Array {
    const c = this.child
    const n = this.n
    for (let k = 0; k < n; k++) c[k] = this.boxes[base + k]!
    let k = i
    c[k] = to
    while (k > 0 && c[k - 1]! > to) {
      c[k] = c[k - 1]!
      c[--k] = to
    }
    while (k < n - 1 && c[k + 1]! < to) {
      c[k] = c[k + 1]!
      c[++k] = to
    }
    return c
  }

  private isGoal(base: number): boolean {
    for (let i = 0; i < this.n; i++) if (!(this.statics[this.boxes[base + i]!]! & GOAL)) return false
    return true
  }

  private lowerBound(boxes: Int32Array): number {
    return this.matching.cost(this.distances, boxes, this.n)
  }

  /** Breadth-first walk from `from` over free cells of `work`: fills stamp (=gen) and dist. */
  private reach(from: number): void {
    const gen = ++this.gen
    const { stamp, dist, queue, work, deltas } = this
    stamp[from] = gen
    dist[from] = 0
    let tail = 0
    queue[tail++] = from
    for (let head = 0; head < tail; head++) {
      const p = queue[head]!
      const next = dist[p]! + 1
      for (let d = 0; d < 4; d++) {
        const q = p + deltas[d]!
        if (stamp[q] === gen || work[q]! & (WALL | BOX)) continue
        stamp[q] = gen
        dist[q] = next
        queue[tail++] = q
      }
    }
  }

  /** The smallest cell the player can walk to from `from` in `work`: one name for the whole region. */
  private normalise(from: number): number {
    const gen = ++this.gen2
    const { stamp2, work, deltas } = this
    const q2 = this.queue2
    let min = from
    stamp2[from] = gen
    let tail = 0
    q2[tail++] = from
    for (let head = 0; head < tail; head++) {
      const p = q2[head]!
      if (p < min) min = p
      for (let d = 0; d < 4; d++) {
        const q = p + deltas[d]!
        if (stamp2[q] === gen || work[q]! & (WALL | BOX)) continue
        stamp2[q] = gen
        q2[tail++] = q
      }
    }
    return min
  }

  /** The moves from the start to node `id`: walks (shortest paths) and pushes. */
  private solution(id: number, start: Int32Array, playerIn: number): SolveResult {
    const chain: number[] = []
    for (let k = id; this.parent[k]! >= 0; k = this.parent[k]!) chain.push(k)
    chain.reverse()
    const cells = this.statics.slice()
    for (const b of start) cells[b]! |= BOX
    const actions: Dir[] = []
    let player = playerIn
    for (const k of chain) {
      const box = this.from[k]!
      const d = this.dir[k]! as Dir
      const stand = box - this.deltas[d]!
      actions.push(...walk(cells, this.deltas, player, stand))
      actions.push(d)
      cells[box]! &= ~BOX
      cells[box + this.deltas[d]!]! |= BOX
      player = box
    }
    return { status: 'solved', actions, pushes: chain.length, nodes: this.count }
  }
}

/** A shortest walk (no pushes) from one cell to another; throws if there is none (a solver bug). */
export function walk(cells: Uint8Array, deltas: Int32Array, from: number, to: number): Dir[] {
  if (from === to) return []
  const prev = new Int32Array(cells.length).fill(-1)
  const how = new Uint8Array(cells.length)
  const queue = [from]
  prev[from] = from
  for (let head = 0; head < queue.length; head++) {
    const p = queue[head]!
    for (let d = 0; d < 4; d++) {
      const q = p + deltas[d]!
      if (prev[q] !== -1 || cells[q]! & (WALL | BOX)) continue
      prev[q] = p
      how[q] = d
      if (q === to) {
        const path: Dir[] = []
        for (let c = to; c !== from; c = prev[c]!) path.push(how[c]! as Dir)
        return path.reverse()
      }
      queue.push(q)
    }
  }
  throw new Error(`no walk from cell ${from} to cell ${to}`)
}

/**
 * Minimum-cost assignment of boxes to goals (Hungarian algorithm, O(n³), scratch reused).
 * Returns UNREACHABLE or more when some box can reach no goal left to it.
 */
class Matching {
  private readonly u: Float64Array
  private readonly v: Float64Array
  private readonly p: Int32Array
  private readonly way: Int32Array
  private readonly minv: Float64Array
  private readonly used: Uint8Array

  constructor(n: number) {
    this.u = new Float64Array(n + 1)
    this.v = new Float64Array(n + 1)
    this.p = new Int32Array(n + 1)
    this.way = new Int32Array(n + 1)
    this.minv = new Float64Array(n + 1)
    this.used = new Uint8Array(n + 1)
  }

  cost(distances: Int32Array[], boxes: Int32Array, n: number): number {
    if (n === 1) return distances[0]![boxes[0]!]!
    const { u, v, p, way, minv, used } = this
    u.fill(0)
    v.fill(0)
    p.fill(0)
    way.fill(0)
    const INF = Infinity
    for (let i = 1; i <= n; i++) {
      p[0] = i
      let j0 = 0
      minv.fill(INF)
      used.fill(0)
      do {
        used[j0] = 1
        const i0 = p[j0]!
        const box = boxes[i0 - 1]!
        let delta = INF
        let j1 = 0
        for (let j = 1; j <= n; j++) {
          if (used[j]) continue
          const cur = distances[j - 1]![box]! - u[i0]! - v[j]!
          if (cur < minv[j]!) {
            minv[j] = cur
            way[j] = j0
          }
          if (minv[j]! < delta) {
            delta = minv[j]!
            j1 = j
          }
        }
        for (let j = 0; j <= n; j++) {
          if (used[j]) {
            u[p[j]!]! += delta
            v[j]! -= delta
          } else minv[j]! -= delta
        }
        j0 = j1
      } while (p[j0] !== 0)
      do {
        const j1 = way[j0]!
        p[j0] = p[j1]!
        j0 = j1
      } while (j0)
    }
    return -v[0]!
  }
}
