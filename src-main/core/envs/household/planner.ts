// The household planner: A* over world states with the world's own transition function, so its
// plans are exact by construction. It sees everything (like ALFWorld's expert). Actions that can
// never shorten a plan are left out — closing, looking, examining, taking things the goal does
// not need, going where nothing useful is — which keeps the search small; the tests check the
// pruned optimum against an unpruned breadth-first search.
import { MinHeap } from '../min-heap.ts'
import { COOLERS, HEATERS, RECEPTACLES, WASHERS } from './catalog.ts'
import { CLEAN, COOL, HOT, ON, type Command, type World, type WorldSnapshot } from './world.ts'

export const PLANNER_MAX_NODES = 100_000

/** Fewest commands from the world's current state to its goal, or null (none within the budget). The world is left as it was. */
export function plan(world: World, maxNodes = PLANNER_MAX_NODES): string[] | null {
  const start = world.snapshot()
  try {
    return search(world, start, maxNodes)
  } finally {
    world.restore(start)
  }
}

type Node = { snap: WorldSnapshot; parent: number; action: string; g: number }

function search(world: World, start: WorldSnapshot, maxNodes: number): string[] | null {
  if (world.isGoal()) return []
  const ctx = new Relevance(world)
  const nodes: Node[] = [{ snap: start, parent: -1, action: '', g: 0 }]
  const best = new Map<string, number>([[ctx.key(), 0]])
  const heap = new MinHeap()
  heap.push(0, ctx.h())
  while (heap.size > 0) {
    const id = heap.pop()
    const node = nodes[id]!
    world.restore(node.snap)
    if (best.get(ctx.key()) !== node.g) continue // a shorter way here was found after this entry was queued
    if (world.isGoal()) {
      const actions: string[] = []
      for (let k = id; k > 0; k = nodes[k]!.parent) actions.push(nodes[k]!.action)
      return actions.reverse()
    }
    if (nodes.length >= maxNodes) return null
    for (const cmd of ctx.moves()) {
      world.restore(node.snap)
      if (!world.apply(cmd).ok) continue
      const key = ctx.key()
      const g = node.g + 1
      const known = best.get(key)
      if (known !== undefined && known <= g) continue
      best.set(key, g)
      nodes.push({ snap: world.snapshot(), parent: id, action: commandText(world, cmd, node.snap), g })
      heap.push(nodes.length - 1, (g + ctx.h()) * 1024 - g)
    }
  }
  return null
}

/** The canonical text of a command, as the world's admissible list writes it. */
export function commandText(world: World, c: Command, before?: WorldSnapshot): string {
  switch (c.verb) {
    case 'goto':
      return `go to ${world.recName[c.rec]}`
    case 'gotoroom':
      return `go to ${world.roomName[c.room]}`
    case 'open':
    case 'close':
      return `${c.verb} ${world.recName[c.rec]}`
    case 'take':
      return `take ${world.objName[c.obj]} from ${world.recName[c.rec]}`
    case 'put':
      return `put ${world.objName[c.obj]} ${RECEPTACLES[world.recKind[c.rec]!].preposition} ${world.recName[c.rec]}`
    case 'clean':
    case 'heat':
    case 'cool':
      return `${c.verb} ${world.objName[c.obj]} with ${world.recName[c.rec]}`
    case 'use':
      return `use ${world.objName[c.obj]}`
    case 'examine':
      return `examine ${c.obj >= 0 ? world.objName[c.obj] : world.recName[c.rec]}`
    case 'inventory':
    case 'look':
      void before
      return c.verb
  }
}

/** What matters for the goal: the goal's objects, target receptacles, devices and lamps. */
class Relevance {
  private readonly goalObjs: number[]
  private readonly targets: Set<number>
  private readonly devices: Set<number>
  private readonly lamps: number[]
  private readonly flag: number
  private readonly verb: 'clean' | 'heat' | 'cool' | null
  private readonly two: boolean
  private readonly light: boolean

  constructor(private readonly w: World) {
    const { family, object, target } = w.goal
    this.goalObjs = w.objKind.flatMap((k, o) => (k === object ? [o] : []))
    this.targets = new Set(w.recKind.flatMap((k, r) => (k === target ? [r] : [])))
    const kinds = family === 'pick_clean_then_place' ? WASHERS : family === 'pick_heat_then_place' ? HEATERS : family === 'pick_cool_then_place' ? COOLERS : []
    this.devices = new Set(w.recKind.flatMap((k, r) => (kinds.includes(k) ? [r] : [])))
    this.lamps = w.objKind.flatMap((k, o) => (k === 'desklamp' ? [o] : []))
    this.flag = family === 'pick_clean_then_place' ? CLEAN : family === 'pick_heat_then_place' ? HOT : family === 'pick_cool_then_place' ? COOL : 0
    this.verb = family === 'pick_clean_then_place' ? 'clean' : family === 'pick_heat_then_place' ? 'heat' : family === 'pick_cool_then_place' ? 'cool' : null
    this.two = family === 'pick_two_obj_and_place'
    this.light = family === 'look_at_obj_in_light'
  }

  private isGoalObj(o: number): boolean {
    return o >= 0 && this.w.objKind[o] === this.w.goal.object
  }

  /** The state as far as the goal is concerned. */
  key(): string {
    const w = this.w
    let k = `${w.room},${w.at},${w.held},${w.held >= 0 ? w.flags[w.held] : 0}|`
    for (const o of this.goalObjs) k += `${w.loc[o]}:${w.flags[o]},`
    for (const o of this.lamps) k += `${w.flags[o]! & ON}`
    k += '|'
    for (let r = 0; r < w.open.length; r++) if (w.open[r]) k += `${r},`
    return k
  }

  /** Receptacles worth going to now. */
  private useful(r: number): boolean {
    const w = this.w
    if (w.held >= 0 && !this.isGoalObj(w.held)) return true // anywhere to put it down
    if (this.targets.has(r) || this.devices.has(r)) return true
    for (const o of this.goalObjs) if (w.loc[o] === r) return true
    if (this.light) for (const o of this.lamps) if (w.loc[o] === r) return true
    return false
  }

  moves(): Command[] {
    const w = this.w
    const out: Command[] = []
    const usefulRooms = new Set<number>()
    for (let r = 0; r < w.recName.length; r++) {
      if (!this.useful(r)) continue
      if (w.recRoom[r] === w.room) {
        if (r !== w.at) out.push({ verb: 'goto', rec: r })
      } else usefulRooms.add(w.recRoom[r]!)
    }
    for (const room of usefulRooms) out.push({ verb: 'gotoroom', room })
    const r = w.at
    if (r < 0) return out
    const kind = RECEPTACLES[w.recKind[r]!]
    if (kind.openable && !w.open[r]) out.push({ verb: 'open', rec: r })
    if (w.held < 0) {
      // Taking a goal object out of a target only undoes progress.
      for (const o of this.goalObjs) if (w.loc[o] === r && !(this.targets.has(r) && !this.light)) out.push({ verb: 'take', obj: o, rec: r })
    } else if (!this.isGoalObj(w.held)) {
      out.push({ verb: 'put', obj: w.held, rec: r })
    } else if (this.light) {
      for (const o of this.lamps) if (w.loc[o] === r && !(w.flags[o]! & ON)) out.push({ verb: 'use', obj: o })
    } else {
      if (this.targets.has(r) && (w.flags[w.held]! & this.flag) === this.flag) out.push({ verb: 'put', obj: w.held, rec: r })
      if (this.verb && this.devices.has(r) && !(w.flags[w.held]! & this.flag)) out.push({ verb: this.verb, obj: w.held, rec: r })
    }
    return out
  }

  /** A lower bound on the commands still needed: the takes, treatments, puts and uses left (moves not counted). */
  h(): number {
    const w = this.w
    if (w.isGoal()) return 0
    const holdingGoal = this.isGoalObj(w.held)
    const putAway = w.held >= 0 && !holdingGoal ? 1 : 0
    if (this.light) return (holdingGoal ? 0 : 1 + putAway) + 1
    if (this.two) {
      let most = 0
      for (const t of this.targets) {
        let n = 0
        for (const o of this.goalObjs) if (w.loc[o] === t) n++
        most = Math.max(most, n)
      }
      const left = Math.max(0, 2 - most)
      return left * 2 - (holdingGoal && left > 0 ? 1 : 0) + putAway
    }
    const treated = holdingGoal ? (w.flags[w.held]! & this.flag) === this.flag : this.goalObjs.some((o) => (w.flags[o]! & this.flag) === this.flag)
    return (holdingGoal ? 0 : 1) + (treated ? 0 : 1) + 1 + putAway
  }
}
