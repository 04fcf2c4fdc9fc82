// The household world: a house of rooms with numbered receptacles and objects, one agent with
// one free hand, ALFWorld's commands. State is a few typed arrays, so snapshots are cheap copies
// and a step costs a parse and a little string building. Every failed command changes nothing
// and says "Nothing happens." with the precise reason.
import { article, COOLERS, HEATERS, OBJECTS, RECEPTACLES, WASHERS, type Family, type ObjectName, type ReceptacleName, type RoomKind } from './catalog.ts'

/** A house as stored in a task: everything needed to rebuild the world exactly. */
export type HouseSpec = {
  rooms: RoomKind[]
  /** Named "<kind> <n>"; `room` indexes rooms. */
  receptacles: { kind: ReceptacleName; n: number; room: number }[]
  /** Named "<kind> <n>"; `at` indexes receptacles. Lamps are objects that cannot be taken. */
  objects: { kind: ObjectName | 'desklamp'; n: number; at: number }[]
  /** The room the agent starts in (in its middle, at no receptacle). */
  start: number
}

export type Goal = { family: Family; object: ObjectName; target: ReceptacleName | null }

// Object flags.
export const CLEAN = 1
export const HOT = 2
export const COOL = 4
export const ON = 8

export type WorldSnapshot = { room: number; at: number; held: number; open: Uint8Array; loc: Int16Array; flags: Uint8Array }

/** One command, resolved to indices. */
export type Command =
  | { verb: 'goto'; rec: number }
  | { verb: 'gotoroom'; room: number }
  | { verb: 'open' | 'close'; rec: number }
  | { verb: 'take' | 'put'; obj: number; rec: number }
  | { verb: 'clean' | 'heat' | 'cool'; obj: number; rec: number }
  | { verb: 'use'; obj: number }
  | { verb: 'examine'; obj: number; rec: number }
  | { verb: 'inventory' | 'look' }

export type Outcome = { ok: boolean; feedback: string }

const nothing = (reason: string): Outcome => ({ ok: false, feedback: `Nothing happens. ${reason}` })

const PARSE_CACHE = 4096

const COMMANDS_TEXT = 'go to, open, close, take … from, put … in/on, clean/heat/cool … with, use, examine, inventory, look'

export class World {
  readonly recName: string[]
  readonly recKind: ReceptacleName[]
  readonly recRoom: Int8Array
  readonly objName: string[]
  readonly objKind: (ObjectName | 'desklamp')[]
  readonly roomName: string[]
  private readonly byName = new Map<string, { rec?: number; obj?: number; room?: number }>()
  // Dynamic state.
  room: number
  at = -1
  held = -1
  readonly open: Uint8Array
  readonly loc: Int16Array
  readonly flags: Uint8Array
  private readonly roomIntro: string[]
  private readonly parsed = new Map<string, Command | string>()
  private readonly counts: Uint8Array
  private readonly roomLine: string[]
  private readonly roomHere: string[]

  constructor(
    readonly house: HouseSpec,
    readonly goal: Goal,
  ) {
    this.roomName = house.rooms.map((r) => r)
    this.recName = house.receptacles.map((r) => `${r.kind} ${r.n}`)
    this.recKind = house.receptacles.map((r) => r.kind)
    this.recRoom = Int8Array.from(house.receptacles.map((r) => r.room))
    this.objName = house.objects.map((o) => `${o.kind} ${o.n}`)
    this.objKind = house.objects.map((o) => o.kind)
    this.open = new Uint8Array(house.receptacles.length)
    this.loc = Int16Array.from(house.objects.map((o) => o.at))
    this.flags = new Uint8Array(house.objects.length)
    this.room = house.start
    this.roomName.forEach((name, room) => this.byName.set(name, { room }))
    this.recName.forEach((name, rec) => this.byName.set(name, { rec }))
    this.objName.forEach((name, obj) => this.byName.set(name, { obj }))
    // Unnumbered names stand for the only one of their kind ("fridge" → "fridge 1").
    const kinds = new Map<string, { rec?: number; obj?: number }[]>()
    this.recKind.forEach((k, rec) => kinds.set(k, [...(kinds.get(k) ?? []), { rec }]))
    this.objKind.forEach((k, obj) => kinds.set(k, [...(kinds.get(k) ?? []), { obj }]))
    for (const [k, list] of kinds) if (list.length === 1 && !this.byName.has(k)) this.byName.set(k, list[0]!)
    this.counts = new Uint8Array(house.receptacles.length)
    this.roomLine = this.roomName.map((name, room) => {
      const others = this.roomName.filter((_, r) => r !== room)
      return `Room: ${name}${others.length ? ` (other rooms: ${others.join(', ')})` : ''}\n`
    })
    this.roomHere = this.roomName.map((_, room) => this.recName.filter((_, r) => this.recRoom[r] === room).join(', '))
    this.roomIntro = this.roomName.map((name, room) => {
      const here = this.recName.filter((_, r) => this.recRoom[r] === room)
      const others = this.roomName.filter((_, r) => r !== room)
      return `You are in the middle of the ${name}. Looking around, you see ${list(here)}.${others.length ? ` Other rooms: ${others.join(', ')}.` : ''}`
    })
  }

  snapshot(): WorldSnapshot {
    return { room: this.room, at: this.at, held: this.held, open: this.open.slice(), loc: this.loc.slice(), flags: this.flags.slice() }
  }

  restore(s: WorldSnapshot): void {
    if (!(s.loc instanceof Int16Array) || s.loc.length !== this.loc.length || s.open.length !== this.open.length) throw new Error('This snapshot is of another house.')
    this.room = s.room
    this.at = s.at
    this.held = s.held
    this.open.set(s.open)
    this.loc.set(s.loc)
    this.flags.set(s.flags)
  }

  /** Whether the task's goal holds now. */
  isGoal(): boolean {
    const { family, object, target } = this.goal
    if (family === 'look_at_obj_in_light') {
      if (this.held < 0 || this.objKind[this.held] !== object || this.at < 0) return false
      for (let o = 0; o < this.loc.length; o++) if (this.objKind[o] === 'desklamp' && this.loc[o] === this.at && this.flags[o]! & ON) return true
      return false
    }
    const need = family === 'pick_clean_then_place' ? CLEAN : family === 'pick_heat_then_place' ? HOT : family === 'pick_cool_then_place' ? COOL : 0
    const counts = family === 'pick_two_obj_and_place' ? this.counts.fill(0) : null
    for (let o = 0; o < this.loc.length; o++) {
      const r = this.loc[o]!
      if (r < 0 || this.objKind[o] !== object || this.recKind[r] !== target || (this.flags[o]! & need) !== need) continue
      if (!counts) return true
      if (++counts[r]! >= 2) return true
    }
    return false
  }

  /** Resolves a command's text; a string is the reason it cannot be understood. */
  parse(text: string): Command | string {
    // Agents repeat a small vocabulary of commands; resolving each text once makes steps cheap.
    let c = this.parsed.get(text)
    if (c === undefined) {
      c = this.resolve(text)
      if (this.parsed.size >= PARSE_CACHE) this.parsed.clear()
      this.parsed.set(text, c)
    }
    return c
  }

  private resolve(text: string): Command | string {
    const t = normalise(text)
    if (t === 'look') return { verb: 'look' }
    if (t === 'inventory' || t === 'inv' || t === 'i') return { verb: 'inventory' }
    let m: RegExpExecArray | null
    if ((m = /^go to (.+)$/.exec(t))) {
      const n = this.byName.get(m[1]!)
      if (n?.room !== undefined) return { verb: 'gotoroom', room: n.room }
      if (n?.rec !== undefined) return { verb: 'goto', rec: n.rec }
      return this.unknown(m[1]!, 'a room or a receptacle')
    }
    if ((m = /^(open|close) (.+)$/.exec(t))) {
      const rec = this.rec(m[2]!)
      return typeof rec === 'string' ? rec : { verb: m[1] as 'open' | 'close', rec }
    }
    if ((m = /^take (.+?) from (.+)$/.exec(t)) || (m = /^(?:put|move) (.+?) (?:in|on|into|onto|to) (.+)$/.exec(t)) || (m = /^(clean|heat|cool) (.+?) with (.+)$/.exec(t))) {
      const verb = (t.startsWith('take') ? 'take' : t.startsWith('put') || t.startsWith('move') ? 'put' : m[1]) as 'take' | 'put' | 'clean' | 'heat' | 'cool'
      const [objText, recText] = m.length === 4 ? [m[2]!, m[3]!] : [m[1]!, m[2]!]
      const obj = this.obj(objText)
      if (typeof obj === 'string') return obj
      const rec = this.rec(recText)
      return typeof rec === 'string' ? rec : { verb, obj, rec }
    }
    if ((m = /^use (.+)$/.exec(t))) {
      const obj = this.obj(m[1]!)
      if (typeof obj === 'string') {
        const rec = this.byName.get(m[1]!)?.rec
        return rec !== undefined ? `You cannot use the ${this.recName[rec]}; only a lamp can be used.` : obj
      }
      return { verb: 'use', obj }
    }
    if ((m = /^(?:examine|x|look at) (.+)$/.exec(t))) {
      const n = this.byName.get(m[1]!)
      if (n?.obj !== undefined) return { verb: 'examine', obj: n.obj, rec: -1 }
      if (n?.rec !== undefined) return { verb: 'examine', obj: -1, rec: n.rec }
      return this.unknown(m[1]!, 'a thing or a receptacle')
    }
    const shown = text.trim().length > 40 ? `${text.trim().slice(0, 40)}…` : text.trim()
    return `"${shown}" is not a command. Commands: ${COMMANDS_TEXT}.`
  }

  private rec(name: string): number | string {
    const n = this.byName.get(name)
    if (n?.rec !== undefined) return n.rec
    if (n?.obj !== undefined) return `The ${this.objName[n.obj]} is not a receptacle.`
    return this.unknown(name, 'a receptacle')
  }

  private obj(name: string): number | string {
    const n = this.byName.get(name)
    if (n?.obj !== undefined) return n.obj
    if (n?.rec !== undefined) return `The ${this.recName[n.rec]} cannot be moved; it is a receptacle.`
    return this.unknown(name, 'a thing')
  }

  private unknown(name: string, what: string): string {
    return `There is no "${name}" in this house (expected ${what}, named like "${what === 'a thing' ? 'apple 1' : 'fridge 1'}").`
  }

  /** Applies a command's text. Failed commands change nothing. */
  step(text: string): Outcome {
    const c = this.parse(text)
    return typeof c === 'string' ? nothing(c) : this.apply(c)
  }

  apply(c: Command): Outcome {
    switch (c.verb) {
      case 'look':
        return { ok: true, feedback: this.at < 0 ? this.roomIntro[this.room]! : `You are at the ${this.recName[this.at]} in the ${this.roomName[this.room]}. ${this.contents(this.at)}` }
      case 'inventory':
        return { ok: true, feedback: this.held < 0 ? 'You are not carrying anything.' : `You are carrying: ${this.a(this.held)}.` }
      case 'gotoroom': {
        if (c.room === this.room) return nothing(`You are already in the ${this.roomName[c.room]}.`)
        this.room = c.room
        this.at = -1
        return { ok: true, feedback: this.roomIntro[c.room]! }
      }
      case 'goto': {
        const r = c.rec
        if (this.recRoom[r] !== this.room) return nothing(`The ${this.recName[r]} is in the ${this.roomName[this.recRoom[r]!]}; you are in the ${this.roomName[this.room]}. Go to the ${this.roomName[this.recRoom[r]!]} first.`)
        if (this.at === r) return nothing(`You are already at the ${this.recName[r]}.`)
        this.at = r
        return { ok: true, feedback: `You arrive at the ${this.recName[r]}. ${this.contents(r)}` }
      }
      case 'open':
      case 'close': {
        const r = c.rec
        const why = this.notHere(r) ?? (!RECEPTACLES[this.recKind[r]!].openable ? `The ${this.recName[r]} cannot be opened or closed.` : null)
        if (why) return nothing(why)
        const opening = c.verb === 'open'
        if (Boolean(this.open[r]) === opening) return nothing(`The ${this.recName[r]} is already ${opening ? 'open' : 'closed'}.`)
        this.open[r] = opening ? 1 : 0
        return { ok: true, feedback: opening ? `You open the ${this.recName[r]}. ${this.contents(r)}` : `You close the ${this.recName[r]}.` }
      }
      case 'take': {
        const { obj: o, rec: r } = c
        const why =
          this.notHere(r) ??
          this.closed(r) ??
          (this.loc[o] !== r ? `There is no ${this.objName[o]} ${this.prep(r)} the ${this.recName[r]}.` : null) ??
          (this.objKind[o] === 'desklamp' ? `The ${this.objName[o]} cannot be picked up; use it where it stands.` : null) ??
          (this.held >= 0 ? `You are already holding the ${this.objName[this.held]}; you can carry one thing at a time. Put it down first.` : null)
        if (why) return nothing(why)
        this.loc[o] = -1
        this.held = o
        return { ok: true, feedback: `You pick up the ${this.objName[o]} from the ${this.recName[r]}.` }
      }
      case 'put': {
        const { obj: o, rec: r } = c
        const why = this.notHolding(o) ?? this.notHere(r) ?? this.closed(r)
        if (why) return nothing(why)
        this.loc[o] = r
        this.held = -1
        return { ok: true, feedback: `You put the ${this.objName[o]} ${this.prep(r)} the ${this.recName[r]}.` }
      }
      case 'clean':
      case 'heat':
      case 'cool': {
        const { obj: o, rec: r } = c
        const [devices, flag, can, done] =
          c.verb === 'clean' ? [WASHERS, CLEAN, 'clean', 'clean'] : c.verb === 'heat' ? [HEATERS, HOT, 'heat', 'hot'] : [COOLERS, COOL, 'cool', 'cool']
        const kind = this.objKind[o]!
        const why =
          (!devices.includes(this.recKind[r]!) ? `You can only ${can} things with ${devices.map((d) => `${article(d)} ${d}`).join(' or ')}, not with the ${this.recName[r]}.` : null) ??
          this.notHolding(o) ??
          this.notHere(r) ??
          (kind === 'desklamp' || !(OBJECTS[kind] as { [k: string]: unknown })[c.verb] ? `The ${this.objName[o]} cannot be ${c.verb === 'clean' ? 'cleaned' : c.verb === 'heat' ? 'heated' : 'cooled'}.` : null) ??
          (this.flags[o]! & flag ? `The ${this.objName[o]} is already ${done}.` : null)
        if (why) return nothing(why)
        // Heating undoes cooling and the other way round; cleaning keeps both.
        if (flag === HOT) this.flags[o] = (this.flags[o]! & ~COOL) | HOT
        else if (flag === COOL) this.flags[o] = (this.flags[o]! & ~HOT) | COOL
        else this.flags[o]! |= CLEAN
        return { ok: true, feedback: `You ${c.verb} the ${this.objName[o]} using the ${this.recName[r]}. It is ${done} now.` }
      }
      case 'use': {
        const o = c.obj
        if (this.objKind[o] !== 'desklamp') return nothing(`You cannot use the ${this.objName[o]}; only a lamp can be used.`)
        const r = this.loc[o]!
        if (this.recRoom[r] !== this.room) return nothing(`The ${this.objName[o]} stands on the ${this.recName[r]} in the ${this.roomName[this.recRoom[r]!]}; you are in the ${this.roomName[this.room]}.`)
        if (this.at !== r) return nothing(`The ${this.objName[o]} stands on the ${this.recName[r]}; go to the ${this.recName[r]} first.`)
        this.flags[o]! ^= ON
        return { ok: true, feedback: `You turn ${this.flags[o]! & ON ? 'on' : 'off'} the ${this.objName[o]}.` }
      }
      case 'examine': {
        if (c.rec >= 0) {
          const why = this.notHere(c.rec)
          return why ? nothing(why) : { ok: true, feedback: this.contents(c.rec) }
        }
        const o = c.obj
        if (o !== this.held && (this.loc[o] !== this.at || this.at < 0 || this.hidden(this.at))) return nothing(`You do not see the ${this.objName[o]} here.`)
        return { ok: true, feedback: this.lookAt(o) }
      }
    }
  }

  private notHere(r: number): string | null {
    if (this.at === r) return null
    if (this.recRoom[r] !== this.room) return `The ${this.recName[r]} is in the ${this.roomName[this.recRoom[r]!]}; you are in the ${this.roomName[this.room]}.`
    return `You are not at the ${this.recName[r]}; go to it first.`
  }

  private closed(r: number): string | null {
    return this.hidden(r) ? `The ${this.recName[r]} is closed; open it first.` : null
  }

  private notHolding(o: number): string | null {
    return this.held === o ? null : `You are not holding the ${this.objName[o]}${this.held >= 0 ? ` (you hold the ${this.objName[this.held]})` : ''}.`
  }

  private hidden(r: number): boolean {
    return RECEPTACLES[this.recKind[r]!].openable && !this.open[r]
  }

  private prep(r: number): string {
    return RECEPTACLES[this.recKind[r]!].preposition
  }

  private a(o: number): string {
    return `${article(this.objKind[o]!)} ${this.objName[o]}`
  }

  /** What the agent sees at a receptacle. */
  contents(r: number): string {
    const name = this.recName[r]!
    if (this.hidden(r)) return `The ${name} is closed.`
    const things: string[] = []
    for (let o = 0; o < this.loc.length; o++) if (this.loc[o] === r) things.push(this.a(o))
    const where = `${this.prep(r) === 'in' ? 'In' : 'On'} the ${name}`
    const state = RECEPTACLES[this.recKind[r]!].openable ? `The ${name} is open. ` : ''
    return `${state}${where}, you see ${things.length ? list(things) : 'nothing'}.`
  }

  private lookAt(o: number): string {
    if (this.objKind[o] === 'desklamp') return `This is the ${this.objName[o]}. It is ${this.flags[o]! & ON ? 'on' : 'off'}.`
    const states = this.statesOf(o)
    return `This is ${states.length ? `${article(states[0]!)} ${states.join(', ')} ` : 'the '}${this.objName[o]}.`
  }

  /**
   * The observation after every step: where the agent is, what it sees there, what it holds —
   * one fact per line, so people, served models and the compact prompt all read it easily.
   * (The feedback carries ALFWorld's prose.)
   */
  describe(): string {
    let text = this.roomLine[this.room]!
    if (this.at < 0) text += `At: the middle of the room\nHere: ${this.roomHere[this.room]}\n`
    else {
      const r = this.at
      const openable = RECEPTACLES[this.recKind[r]!].openable
      text += `At: ${this.recName[r]}${openable ? (this.open[r] ? ' (open)' : ' (closed)') : ''}\n`
      if (!this.hidden(r)) {
        const things: string[] = []
        for (let o = 0; o < this.loc.length; o++) if (this.loc[o] === r) things.push(this.objName[o]!)
        text += `${this.prep(r) === 'in' ? 'In' : 'On'} it: ${things.length ? things.join(', ') : 'nothing'}\n`
      }
    }
    return text + `Holding: ${this.held < 0 ? 'nothing' : this.objName[this.held] + this.stateOf(this.held)}`
  }

  /**
   * " (hot)", " (clean, cool)" or "": what heating, cooling or cleaning did to a held object, so a
   * state that differs in it reads differently (holding a bread before and after heating it).
   */
  private stateOf(o: number): string {
    const states = this.statesOf(o)
    return states.length ? ` (${states.join(', ')})` : ''
  }

  private statesOf(o: number): string[] {
    const f = this.flags[o]!
    return [f & CLEAN ? 'clean' : '', f & HOT ? 'hot' : '', f & COOL ? 'cool' : ''].filter(Boolean)
  }

  /** ALFWorld's opening text: the room the agent stands in and the task. */
  intro(task: string): string {
    return `${this.roomIntro[this.room]} Your task is to: ${task}`
  }

  /** Every command that would do something now (ALFWorld's admissible commands). */
  admissible(): string[] {
    const out: string[] = []
    for (let room = 0; room < this.roomName.length; room++) if (room !== this.room) out.push(`go to ${this.roomName[room]}`)
    for (let r = 0; r < this.recName.length; r++) if (this.recRoom[r] === this.room && r !== this.at) out.push(`go to ${this.recName[r]}`)
    const r = this.at
    if (r >= 0) {
      if (RECEPTACLES[this.recKind[r]!].openable) out.push(`${this.open[r] ? 'close' : 'open'} ${this.recName[r]}`)
      if (!this.hidden(r)) {
        for (let o = 0; o < this.loc.length; o++) {
          if (this.loc[o] !== r) continue
          if (this.held < 0 && this.objKind[o] !== 'desklamp') out.push(`take ${this.objName[o]} from ${this.recName[r]}`)
          if (this.objKind[o] === 'desklamp') out.push(`use ${this.objName[o]}`)
          out.push(`examine ${this.objName[o]}`)
        }
        if (this.held >= 0) out.push(`put ${this.objName[this.held]} ${this.prep(r)} ${this.recName[r]}`)
      }
      if (this.held >= 0) {
        const kind = this.objKind[this.held]!
        const can = kind === 'desklamp' ? {} : (OBJECTS[kind] as { heat?: true; cool?: true; clean?: true })
        const f = this.flags[this.held]!
        if (WASHERS.includes(this.recKind[r]!) && can.clean && !(f & CLEAN)) out.push(`clean ${this.objName[this.held]} with ${this.recName[r]}`)
        if (HEATERS.includes(this.recKind[r]!) && can.heat && !(f & HOT)) out.push(`heat ${this.objName[this.held]} with ${this.recName[r]}`)
        if (COOLERS.includes(this.recKind[r]!) && can.cool && !(f & COOL)) out.push(`cool ${this.objName[this.held]} with ${this.recName[r]}`)
      }
      out.push(`examine ${this.recName[r]}`)
    }
    if (this.held >= 0) out.push(`examine ${this.objName[this.held]}`)
    out.push('inventory', 'look')
    return out
  }
}

/** "a, b and c". */
export function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}

/** Lower case, single spaces, no trailing full stop: how commands are compared. */
export function normalise(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, ' ').replace(/[.!]+$/, '')
}
