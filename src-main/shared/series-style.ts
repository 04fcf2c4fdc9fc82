// One look per policy in every chart, table swatch and exported figure: the Quickstart panel, the
// Evaluate view and the SVG file the quickstart writes all ask this module, so a checkpoint or a
// baseline keeps its colour, dash and marker wherever it is drawn. The style follows from the
// policy key alone ('random', 'checkpoint:12', 'endpoint:…'), never from a place in a list, so
// adding or hiding a curve changes no other curve's look.
import { symbol, symbolCircle, symbolCross, symbolDiamond, symbolSquare, symbolStar, symbolTriangle, symbolWye } from 'd3'

export type SeriesStyle = { color: string; dash: string; symbol: keyof typeof SYMBOLS }

const SYMBOLS = { circle: symbolCircle, square: symbolSquare, triangle: symbolTriangle, diamond: symbolDiamond, cross: symbolCross, star: symbolStar, wye: symbolWye }

/** Colour AND dash AND marker, so curves never differ by colour alone and read in greyscale. */
const ROTATION: readonly SeriesStyle[] = [
  { color: '#2f6fdb', dash: '', symbol: 'circle' },
  { color: '#c0392b', dash: '6 3', symbol: 'square' },
  { color: '#1f8a4c', dash: '2 3', symbol: 'triangle' },
  { color: '#8e44ad', dash: '10 3 2 3', symbol: 'diamond' },
  { color: '#b7791f', dash: '4 4', symbol: 'cross' },
  { color: '#16a0a0', dash: '1 2', symbol: 'star' },
  { color: '#c2185b', dash: '8 2', symbol: 'wye' },
]
/** Random play is the floor every figure is read against: grey, thin dots, always the same. */
const RANDOM: SeriesStyle = { color: '#6b7280', dash: '1 3', symbol: 'circle' }

/** A stable small hash of a text (FNV-1a), for keys that carry no number. */
function hash(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0
  return h
}

/**
 * The style of a policy key. Checkpoints go round the rotation by id, so checkpoints made one
 * after another (a quickstart's base, GRPO, Early Experience and LEAFE) always differ; other keys
 * (endpoints, scripted policies) by a hash of the key.
 */
export function seriesStyle(policy: string): SeriesStyle {
  if (policy === 'random') return RANDOM
  const m = /^checkpoint:(\d+)$/.exec(policy)
  const i = m ? Number(m[1]) - 1 : hash(policy)
  return ROTATION[((i % ROTATION.length) + ROTATION.length) % ROTATION.length]!
}

/** SVG path data of a style's marker, centred on 0,0 (area in px²). */
export function markerPath(name: SeriesStyle['symbol'], area = 46): string {
  return symbol(SYMBOLS[name], area)() ?? ''
}
