// The household in the compact form a small byte-level model reads and writes. Every room,
// receptacle and object kind has a two-letter code and every command a one-letter verb, so
// "take apple 1 from fridge 1" is written "tap1fr1" and "go to countertop 2" "gct2": a command
// costs the sampler a handful of model calls instead of one per letter of its words, and a state
// fits a short context. Codes are data, like Sokoban's "u" for "up": the model learns them from
// its demonstrations, and the renderer maps them back to the commands the world understands.
import { RECEPTACLES, type Family, type ObjectName, type ReceptacleName, type RoomKind } from './catalog.ts'
import type { Goal } from './world.ts'

export const KIND_CODES = {
  // rooms
  kitchen: 'ki', livingroom: 'lr', bedroom: 'be', bathroom: 'ba',
  // receptacles
  countertop: 'ct', cabinet: 'cb', drawer: 'dr', fridge: 'fr', microwave: 'mw', stoveburner: 'sb', sinkbasin: 'sk', coffeemachine: 'cm',
  toaster: 'ts', diningtable: 'dt', garbagecan: 'gc', shelf: 'sh', sofa: 'so', armchair: 'ac', coffeetable: 'cf', sidetable: 'st',
  tvstand: 'tv', bed: 'bd', desk: 'dk', dresser: 'ds', safe: 'sa', bathtubbasin: 'bt', toilet: 'tl', towelholder: 'th',
  // objects
  apple: 'ap', tomato: 'to', potato: 'po', egg: 'eg', lettuce: 'le', bread: 'br', mug: 'mu', cup: 'cu', bowl: 'bw', plate: 'pl',
  pan: 'pa', pot: 'pt', knife: 'kn', fork: 'fk', spoon: 'sp', spatula: 'su', ladle: 'ld', cloth: 'cl', soapbar: 'sr', towel: 'tw',
  spraybottle: 'sy', toiletpaper: 'tp', candle: 'cn', book: 'bo', pen: 'pe', pencil: 'pc', cd: 'cd', cellphone: 'ce', keychain: 'kc',
  creditcard: 'cc', alarmclock: 'al', watch: 'wa', remotecontrol: 'rc', vase: 'va', statue: 'ss', pillow: 'pw', laptop: 'lp',
  newspaper: 'np', desklamp: 'dl',
} as const satisfies Record<RoomKind | ReceptacleName | ObjectName | 'desklamp', string>

const KIND_OF_CODE = new Map<string, string>(Object.entries(KIND_CODES).map(([kind, code]) => [code, kind]))

/** One-letter verbs; the order of a command's names is the readable command's. */
const VERBS = { go: 'g', open: 'o', close: 's', take: 't', put: 'p', heat: 'h', cool: 'c', clean: 'w', use: 'u', examine: 'x', inventory: 'i', look: 'l' } as const
const VERB_OF_CODE = new Map<string, string>(Object.entries(VERBS).map(([verb, code]) => [code, verb]))

/** "countertop 2" → "ct2", "kitchen" → "ki"; a name of no known kind stays as it is. */
export function codeOf(name: string): string {
  const m = /^([a-z]+)(?: (\d+))?$/.exec(name)
  const code = m ? (KIND_CODES as Record<string, string>)[m[1]!] : undefined
  return code ? code + (m![2] ?? '') : name
}

/** "ct2" → "countertop 2"; null when it is no code. */
function nameOf(code: string): string | null {
  const m = /^([a-z]{2})(\d*)$/.exec(code)
  const kind = m ? KIND_OF_CODE.get(m[1]!) : undefined
  return kind ? (m![2] ? `${kind} ${m![2]}` : kind) : null
}

/** Every "kind n" and room name in a text, as codes ("bread 1, cup 2" → "br1, cu2"). */
export function abbreviate(text: string): string {
  return text.replace(/\b([a-z]+)(?: (\d+))?\b/g, (whole, kind: string, n: string | undefined) => {
    const code = (KIND_CODES as Record<string, string>)[kind]
    return code ? code + (n ?? '') : whole
  })
}

/** A readable command (normalised) in codes: "put apple 1 in microwave 1" → "pap1mw1". */
export function compactCommand(command: string): string {
  const words = command.split(' ')
  const verb = words[0] === 'go' && words[1] === 'to' ? 'go' : words[0]!
  const code = (VERBS as Record<string, string>)[verb]
  if (!code) return command
  // The names in the command: everything that is not a verb or a joining word.
  const rest = command
    .replace(/^go to |^[a-z]+ ?/, '')
    .split(/ (?:from|in|on|with) /)
    .filter(Boolean)
  const names = rest.map(codeOf)
  return names.every((n, i) => n !== rest[i]) ? code + names.join('') : command
}

/** Codes back to the readable command ("tap1fr1" → "take apple 1 from fridge 1"); the text unchanged when it is no compact command. */
export function expandCommand(text: string): string {
  const verb = VERB_OF_CODE.get(text[0] ?? '')
  const segments = text.slice(1).match(/[a-z]{2}\d*/g) ?? []
  if (!verb || segments.join('') !== text.slice(1)) return text
  const names = segments.map(nameOf)
  if (names.some((n) => n === null)) return text
  const [a, b] = names as string[]
  const arity = verb === 'inventory' || verb === 'look' ? 0 : ['take', 'put', 'heat', 'cool', 'clean'].includes(verb) ? 2 : 1
  if (names.length !== arity) return text
  switch (verb) {
    case 'inventory':
    case 'look':
      return verb
    case 'go':
      return `go to ${a}`
    case 'take':
      return `take ${a} from ${b}`
    case 'put': {
      const kind = b!.split(' ')[0]!
      return kind in RECEPTACLES ? `put ${a} ${RECEPTACLES[kind as ReceptacleName].preposition} ${b}` : text
    }
    case 'heat':
    case 'cool':
    case 'clean':
      return `${verb} ${a} with ${b}`
    default:
      return `${verb} ${a}`
  }
}

const FAMILY_CODES: Record<Family, string> = {
  pick_and_place: 'p', look_at_obj_in_light: 'l', pick_clean_then_place: 'w', pick_heat_then_place: 'h', pick_cool_then_place: 'c', pick_two_obj_and_place: '2',
}

/** A goal in codes: "put a hot bread on a shelf" → "hbr>sh", "look at a book under the desklamp" → "lbo". */
export function goalCode(goal: Goal): string {
  return `${FAMILY_CODES[goal.family]}${codeOf(goal.object)}${goal.target ? `>${codeOf(goal.target)}` : ''}`
}
