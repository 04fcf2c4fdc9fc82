// A Pass@k chart as a standalone SVG file (the quickstart and `leafe eval` write one): curves on
// a log-2 k axis with their bootstrap bands, a legend, and each curve drawn with its own dash
// pattern and marker shape as well as its colour, so it reads in greyscale too.
import { area, line, scaleLinear, scaleLog } from 'd3'
import { percent } from '../../shared/format.ts'
import { markerPath, seriesStyle, type SeriesStyle } from '../../shared/series-style.ts'
import type { PassCurve } from './passk.ts'

/** A curve, its legend label and its policy key (which fixes its look: shared/series-style.ts). */
export type NamedCurve = { label: string; policy: string; curve: PassCurve }

const W = 720
const H = 420
const M = { top: 40, right: 170, bottom: 48, left: 56 }

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

const marker = (style: SeriesStyle, x: number, y: number) => `<path d="${markerPath(style.symbol)}" transform="translate(${x} ${y})" fill="${style.color}" stroke="#ffffff" stroke-width="0.8"/>`

export function passAtKSvg(curves: NamedCurve[], title: string): string {
  const maxK = Math.max(2, ...curves.map((c) => c.curve.ks[c.curve.ks.length - 1] ?? 1))
  const x = scaleLog().base(2).domain([1, maxK]).range([M.left, W - M.right])
  const y = scaleLinear().domain([0, 1]).range([H - M.bottom, M.top])
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${M.left}" y="22" font-size="14" font-weight="600">${esc(title)}</text>`,
  ]
  for (let v = 0; v <= 1.0001; v += 0.2) {
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y(v)}" y2="${y(v)}" stroke="#e3e7ee"/>`)
    parts.push(`<text x="${M.left - 8}" y="${y(v) + 4}" text-anchor="end" fill="#5d6678">${percent(v, 0)}</text>`)
  }
  for (let k = 1; k <= maxK; k *= 2) {
    parts.push(`<line x1="${x(k)}" x2="${x(k)}" y1="${H - M.bottom}" y2="${H - M.bottom + 5}" stroke="#5d6678"/>`)
    parts.push(`<text x="${x(k)}" y="${H - M.bottom + 18}" text-anchor="middle" fill="#5d6678">${k}</text>`)
  }
  parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#5d6678"/>`)
  parts.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 10}" text-anchor="middle">k (samples per task, log₂ scale)</text>`)
  parts.push(`<text transform="translate(16 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">Pass@k (%)</text>`)
  curves.forEach(({ label, policy, curve }, i) => {
    const style = seriesStyle(policy)
    const colour = style.color
    const pts = curve.ks.map((k, j) => ({ k, m: curve.mean[j]!, lo: curve.lo[j]!, hi: curve.hi[j]! }))
    const band = area<(typeof pts)[number]>().x((p) => x(p.k)).y0((p) => y(p.lo)).y1((p) => y(p.hi))(pts)
    const path = line<(typeof pts)[number]>().x((p) => x(p.k)).y((p) => y(p.m))(pts)
    if (band) parts.push(`<path d="${band}" fill="${colour}" fill-opacity="0.12"/>`)
    if (path) parts.push(`<path d="${path}" fill="none" stroke="${colour}" stroke-width="2" stroke-dasharray="${style.dash}"/>`)
    for (const p of pts) parts.push(marker(style, x(p.k), y(p.m)))
    const ly = M.top + 10 + i * 22
    const lx = W - M.right + 16
    parts.push(`<line x1="${lx}" x2="${lx + 26}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2" stroke-dasharray="${style.dash}"/>`)
    parts.push(marker(style, lx + 13, ly))
    parts.push(`<text x="${lx + 34}" y="${ly + 4}">${esc(label)}</text>`)
  })
  parts.push('</svg>')
  return parts.join('\n')
}
