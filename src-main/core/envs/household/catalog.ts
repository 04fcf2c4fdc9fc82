// What houses are made of, in the manner of ALFWorld: rooms, the receptacles each room has, and
// the objects, with what can be done to them and where they may lie. Data only.

export type RoomKind = 'kitchen' | 'livingroom' | 'bedroom' | 'bathroom'

export type ReceptacleKind = {
  openable: boolean
  /** How things are put there: "in the fridge", "on the countertop". */
  preposition: 'in' | 'on'
}

export const RECEPTACLES = {
  countertop: { openable: false, preposition: 'on' },
  cabinet: { openable: true, preposition: 'in' },
  drawer: { openable: true, preposition: 'in' },
  fridge: { openable: true, preposition: 'in' },
  microwave: { openable: true, preposition: 'in' },
  stoveburner: { openable: false, preposition: 'on' },
  sinkbasin: { openable: false, preposition: 'in' },
  coffeemachine: { openable: false, preposition: 'on' },
  toaster: { openable: false, preposition: 'on' },
  diningtable: { openable: false, preposition: 'on' },
  garbagecan: { openable: false, preposition: 'in' },
  shelf: { openable: false, preposition: 'on' },
  sofa: { openable: false, preposition: 'on' },
  armchair: { openable: false, preposition: 'on' },
  coffeetable: { openable: false, preposition: 'on' },
  sidetable: { openable: false, preposition: 'on' },
  tvstand: { openable: false, preposition: 'on' },
  bed: { openable: false, preposition: 'on' },
  desk: { openable: false, preposition: 'on' },
  dresser: { openable: false, preposition: 'on' },
  safe: { openable: true, preposition: 'in' },
  bathtubbasin: { openable: false, preposition: 'in' },
  toilet: { openable: false, preposition: 'on' },
  towelholder: { openable: false, preposition: 'on' },
} as const satisfies Record<string, ReceptacleKind>

export type ReceptacleName = keyof typeof RECEPTACLES

/** Per room kind: receptacle kinds with how many of each a room has (min, max). */
export const ROOMS: Record<RoomKind, [ReceptacleName, number, number][]> = {
  kitchen: [
    ['countertop', 1, 3],
    ['cabinet', 2, 5],
    ['drawer', 1, 3],
    ['fridge', 1, 1],
    ['microwave', 1, 1],
    ['stoveburner', 2, 4],
    ['sinkbasin', 1, 1],
    ['coffeemachine', 1, 1],
    ['toaster', 0, 1],
    ['diningtable', 0, 1],
    ['garbagecan', 1, 1],
    ['shelf', 0, 2],
  ],
  livingroom: [
    ['sofa', 1, 1],
    ['armchair', 0, 1],
    ['coffeetable', 1, 1],
    ['sidetable', 1, 2],
    ['tvstand', 1, 1],
    ['shelf', 1, 3],
    ['drawer', 0, 2],
    ['diningtable', 0, 1],
    ['garbagecan', 1, 1],
  ],
  bedroom: [
    ['bed', 1, 1],
    ['desk', 1, 1],
    ['dresser', 1, 1],
    ['sidetable', 1, 2],
    ['drawer', 2, 4],
    ['shelf', 1, 2],
    ['garbagecan', 1, 1],
    ['safe', 0, 1],
  ],
  bathroom: [
    ['sinkbasin', 1, 1],
    ['bathtubbasin', 0, 1],
    ['toilet', 1, 1],
    ['countertop', 1, 1],
    ['cabinet', 1, 3],
    ['towelholder', 1, 1],
    ['drawer', 0, 2],
    ['garbagecan', 1, 1],
  ],
}

/** Where a lamp may stand, and what heats, cools and cleans. */
export const LAMP_STANDS: ReceptacleName[] = ['desk', 'sidetable', 'dresser']
export const HEATERS: ReceptacleName[] = ['microwave', 'stoveburner']
export const COOLERS: ReceptacleName[] = ['fridge']
export const WASHERS: ReceptacleName[] = ['sinkbasin', 'bathtubbasin']

export type ObjectKind = {
  heat?: true
  cool?: true
  clean?: true
  /** Can be examined under a lamp (ALFWorld's look_at_obj_in_light objects). */
  light?: true
  /** Receptacle kinds it may start in; also the kinds it may be asked to go to. */
  places: ReceptacleName[]
}

const FOOD: ReceptacleName[] = ['countertop', 'fridge', 'diningtable', 'microwave', 'garbagecan', 'shelf']
const DISHES: ReceptacleName[] = ['countertop', 'cabinet', 'diningtable', 'shelf', 'sinkbasin', 'fridge', 'microwave']
const CUTLERY: ReceptacleName[] = ['drawer', 'countertop', 'diningtable', 'sinkbasin']
const DESKTOP: ReceptacleName[] = ['desk', 'sidetable', 'dresser', 'shelf', 'drawer', 'bed', 'sofa', 'armchair', 'coffeetable', 'tvstand', 'diningtable', 'safe']

export const OBJECTS = {
  apple: { heat: true, cool: true, clean: true, places: FOOD },
  tomato: { heat: true, cool: true, clean: true, places: FOOD },
  potato: { heat: true, cool: true, clean: true, places: FOOD },
  egg: { heat: true, cool: true, clean: true, places: FOOD },
  lettuce: { cool: true, clean: true, places: FOOD },
  bread: { heat: true, cool: true, places: FOOD },
  mug: { heat: true, cool: true, clean: true, light: true, places: [...DISHES, 'coffeemachine'] },
  cup: { heat: true, cool: true, clean: true, light: true, places: DISHES },
  bowl: { cool: true, clean: true, light: true, places: DISHES },
  plate: { cool: true, clean: true, light: true, places: DISHES },
  pan: { cool: true, clean: true, places: ['stoveburner', 'countertop', 'cabinet', 'sinkbasin'] },
  pot: { cool: true, clean: true, places: ['stoveburner', 'countertop', 'cabinet', 'sinkbasin'] },
  knife: { clean: true, places: CUTLERY },
  fork: { clean: true, places: CUTLERY },
  spoon: { clean: true, places: CUTLERY },
  spatula: { clean: true, places: CUTLERY },
  ladle: { clean: true, places: CUTLERY },
  cloth: { clean: true, places: ['countertop', 'cabinet', 'towelholder', 'bathtubbasin', 'drawer', 'garbagecan'] },
  soapbar: { clean: true, places: ['countertop', 'cabinet', 'bathtubbasin', 'sinkbasin', 'toilet', 'garbagecan'] },
  towel: { places: ['towelholder', 'countertop', 'cabinet', 'bathtubbasin'] },
  spraybottle: { places: ['countertop', 'cabinet', 'toilet', 'garbagecan'] },
  toiletpaper: { places: ['toilet', 'countertop', 'cabinet', 'drawer', 'garbagecan'] },
  candle: { places: ['countertop', 'cabinet', 'toilet', 'shelf'] },
  book: { light: true, places: DESKTOP },
  pen: { light: true, places: DESKTOP },
  pencil: { light: true, places: DESKTOP },
  cd: { light: true, places: [...DESKTOP, 'garbagecan'] },
  cellphone: { light: true, places: DESKTOP },
  keychain: { light: true, places: DESKTOP },
  creditcard: { light: true, places: DESKTOP },
  alarmclock: { light: true, places: DESKTOP },
  watch: { light: true, places: DESKTOP },
  remotecontrol: { light: true, places: DESKTOP },
  vase: { light: true, places: DESKTOP },
  statue: { light: true, places: DESKTOP },
  pillow: { light: true, places: ['bed', 'sofa', 'armchair'] },
  laptop: { light: true, places: ['desk', 'bed', 'sofa', 'coffeetable', 'dresser'] },
  newspaper: { light: true, places: DESKTOP },
} as const satisfies Record<string, ObjectKind>

export type ObjectName = keyof typeof OBJECTS

/** ALFWorld's six task families. */
export const FAMILIES = ['pick_and_place', 'look_at_obj_in_light', 'pick_clean_then_place', 'pick_heat_then_place', 'pick_cool_then_place', 'pick_two_obj_and_place'] as const
export type Family = (typeof FAMILIES)[number]

export const article = (word: string): string => (/^[aeiou]/.test(word) ? 'an' : 'a')
