// Seeded houses and tasks: a kitchen and up to three more rooms (a one-room house for looking
// under a lamp is a bedroom or living room instead), receptacles by room kind,
// objects where such objects lie, a desk lamp in each bedroom and living room; then a task of
// one of ALFWorld's six families that is not already done at the start.
import { Random, deriveSeed } from '../../random.ts'
import { article, FAMILIES, LAMP_STANDS, OBJECTS, RECEPTACLES, ROOMS, COOLERS, HEATERS, WASHERS, type Family, type ObjectName, type ReceptacleName, type RoomKind } from './catalog.ts'
import type { Goal, HouseSpec } from './world.ts'

export type HouseParams = { family?: Family; rooms?: number }

const OTHER_ROOMS: RoomKind[] = ['livingroom', 'bedroom', 'bathroom']

/** A house and a goal for a seed (deterministic). */
export function generateHouse(seed: number, params: HouseParams = {}, attempt = 0): { house: HouseSpec; goal: Goal } {
  const rng = new Random(deriveSeed('household', seed, params.family ?? 'any', params.rooms ?? 0, attempt))
  const family = params.family ?? rng.pick(FAMILIES)
  const roomCount = params.rooms ?? rng.range(2, 4)
  const rooms: RoomKind[] = ['kitchen', ...rng.shuffle([...OTHER_ROOMS]).slice(0, roomCount - 1)]
  // Looking at something under a lamp needs a room with a lamp.
  if (family === 'look_at_obj_in_light' && !rooms.some((r) => r === 'bedroom' || r === 'livingroom')) rooms[rooms.length - 1] = rng.pick(['bedroom', 'livingroom'] as const)

  const receptacles: HouseSpec['receptacles'] = []
  const number = new Map<string, number>()
  const next = (kind: string) => {
    const n = (number.get(kind) ?? 0) + 1
    number.set(kind, n)
    return n
  }
  rooms.forEach((room, ri) => {
    for (const [kind, lo, hi] of ROOMS[room]) {
      const count = rng.range(lo, hi)
      for (let i = 0; i < count; i++) receptacles.push({ kind, n: next(kind), room: ri })
    }
  })

  const objects: HouseSpec['objects'] = []
  rooms.forEach((room, ri) => {
    if (room !== 'bedroom' && room !== 'livingroom') return
    const stands = receptacles.map((r, i) => ({ r, i })).filter(({ r }) => r.room === ri && LAMP_STANDS.includes(r.kind))
    if (stands.length) objects.push({ kind: 'desklamp', n: next('desklamp'), at: rng.pick(stands).i })
  })
  const kindsFor = (rec: ReceptacleName) => (Object.keys(OBJECTS) as ObjectName[]).filter((o) => (OBJECTS[o].places as readonly string[]).includes(rec))
  const clutter = Math.round(receptacles.length * (0.8 + rng.next() * 0.6))
  for (let i = 0; i < clutter; i++) {
    const at = rng.int(receptacles.length)
    const kinds = kindsFor(receptacles[at]!.kind)
    if (kinds.length) {
      const kind = rng.pick(kinds)
      objects.push({ kind, n: next(kind), at })
    }
  }

  // The goal: an object kind that suits the family, and a target kind present in the house.
  const present = new Set(receptacles.map((r) => r.kind))
  const device: readonly ReceptacleName[] = family === 'pick_heat_then_place' ? HEATERS : family === 'pick_cool_then_place' ? COOLERS : family === 'pick_clean_then_place' ? WASHERS : []
  const ability = family === 'pick_heat_then_place' ? 'heat' : family === 'pick_cool_then_place' ? 'cool' : family === 'pick_clean_then_place' ? 'clean' : family === 'look_at_obj_in_light' ? 'light' : null
  const candidates = (Object.keys(OBJECTS) as ObjectName[]).filter((o) => {
    const k = OBJECTS[o] as { heat?: true; cool?: true; clean?: true; light?: true; places: readonly ReceptacleName[] }
    if (ability && !k[ability]) return false
    return family === 'look_at_obj_in_light' ? k.places.some((p) => present.has(p)) : targetsFor(o, device, present).some((t) => startsBesides(o, t, present))
  })
  const object = rng.pick(candidates)
  const target = family === 'look_at_obj_in_light' ? null : rng.pick(targetsFor(object, device, present).filter((t) => startsBesides(object, t, present)))
  // Enough of the object (two for pick-two), none of it already where the goal wants it.
  const starts = receptacles.map((r, i) => ({ r, i })).filter(({ r }) => (OBJECTS[object].places as readonly string[]).includes(r.kind) && r.kind !== target)
  for (const o of objects) if (o.kind === object && receptacles[o.at]!.kind === target) o.at = rng.pick(starts).i
  const need = family === 'pick_two_obj_and_place' ? 2 : 1
  while (objects.filter((o) => o.kind === object).length < need) objects.push({ kind: object, n: next(object), at: rng.pick(starts).i })
  return { house: { rooms, receptacles, objects, start: rng.int(rooms.length) }, goal: { family, object, target } }
}

/** Whether the object can start somewhere in the house that is not the target kind. */
function startsBesides(object: ObjectName, target: ReceptacleName, present: Set<ReceptacleName>): boolean {
  return (OBJECTS[object].places as readonly ReceptacleName[]).some((p) => p !== target && present.has(p))
}

function targetsFor(object: ObjectName, device: readonly ReceptacleName[], present: Set<ReceptacleName>): ReceptacleName[] {
  const places = OBJECTS[object].places as readonly ReceptacleName[]
  // Not the device itself (a hot apple "in the microwave"), not a basin or a bin.
  return places.filter((p) => present.has(p) && !device.includes(p) && p !== 'garbagecan' && p !== 'sinkbasin')
}

const PLURAL: Record<string, string> = { knife: 'knives', tomato: 'tomatoes', potato: 'potatoes', watch: 'watches', lettuce: 'lettuces', bread: 'breads' }
const plural = (w: string) => PLURAL[w] ?? `${w}s`

/** The task in ALFWorld's words. */
export function instruction(goal: Goal): string {
  const { family, object, target } = goal
  const prep = target ? RECEPTACLES[target].preposition : 'in'
  switch (family) {
    case 'pick_and_place':
      return `put ${article(object)} ${object} ${prep} ${article(target!)} ${target}.`
    case 'look_at_obj_in_light':
      return `look at ${article(object)} ${object} under the desklamp.`
    case 'pick_clean_then_place':
      return `put a clean ${object} ${prep} ${article(target!)} ${target}.`
    case 'pick_heat_then_place':
      return `put a hot ${object} ${prep} ${article(target!)} ${target}.`
    case 'pick_cool_then_place':
      return `put a cool ${object} ${prep} ${article(target!)} ${target}.`
    case 'pick_two_obj_and_place':
      return `put two ${plural(object)} ${prep} one ${target}.`
  }
}
