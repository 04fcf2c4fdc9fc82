// A Pass@k chart as a standalone SVG file (the quickstart and `leafe eval` write one): curves on
// a log-2 k axis with their bootstrap bands, a legend, and each curve drawn with its own dash
// pattern and marker shape as well as its colour, so it reads in greyscale too.
import { area, line, scaleLinear, scaleLog } from 'd3'
import type { PassCurve } from './passk.ts'

export type NamedCurve = { label: string; curve: PassCurve }

const COLOURS = ['#2f6fdb', '#c23b3b', '#1f8a4c', '#8a3fbf', '#b7791f', '#4a5568']
const DASHES = ['', '6 4', '2 3', '8 3 2 3', '1 4', '10 4']
const W = 720
const H = 420
const M = { top: 40, right: 170, bottom: 48, left: 56 }

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

function marker(shape: number, x: number, y: number, colour: string): string {
  const r = 4
  switch (shape % 4) {
    case 0:
      return `<circle cx="${x}" cy="${y}" r="${r}" fill="${colour}"/>`
    case 1:
      return `<rect x="${x - r}" y="${y - r}" width="${2 * r}" height="${2 * r}" fill="${colour}"/>`
    case 2:
      return `<path d="M${x},${y - r - 1}L${x + r + 1},${y + r}L${x - r - 1},${y + r}Z" fill="${colour}"/>`
    default:
      return `<path d="M${x},${y - r - 1}L${x + r + 1},${y}L${x},${y + r + 1}L${x - r - 1},${y}Z" fill="${colour}"/>`
  }
}

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
    parts.push(`<text x="${M.left - 8}" y="${y(v) + 4}" text-anchor="end" fill="#5d6678">${v.toFixed(1)}</text>`)
  }
  for (let k = 1; k <= maxK; k *= 2) {
    parts.push(`<line x1="${x(k)}" x2="${x(k)}" y1="${H - M.bottom}" y2="${H - M.bottom + 5}" stroke="#5d6678"/>`)
    parts.push(`<text x="${x(k)}" y="${H - M.bottom + 18}" text-anchor="middle" fill="#5d6678">${k}</text>`)
  }
  parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#5d6678"/>`)
  parts.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 10}" text-anchor="middle">k (samples per task, log₂ scale)</text>`)
  parts.push(`<text transform="translate(16 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">Pass@k</text>`)
  curves.forEach(({ label, curve }, i) => {
    const colour = COLOURS[i % COLOURS.length]!
    const pts = curve.ks.map((k, j) => ({ k, m: curve.mean[j]!, lo: curve.lo[j]!, hi: curve.hi[j]! }))
    const band = area<(typeof pts)[number]>().x((p) => x(p.k)).y0((p) => y(p.lo)).y1((p) => y(p.hi))(pts)
    const path = line<(typeof pts)[number]>().x((p) => x(p.k)).y((p) => y(p.m))(pts)
    if (band) parts.push(`<path d="${band}" fill="${colour}" fill-opacity="0.12"/>`)
    if (path) parts.push(`<path d="${path}" fill="none" stroke="${colour}" stroke-width="2" stroke-dasharray="${DASHES[i % DASHES.length]}"/>`)
    for (const p of pts) parts.push(marker(i, x(p.k), y(p.m), colour))
    const ly = M.top + 10 + i * 22
    const lx = W - M.right + 16
    parts.push(`<line x1="${lx}" x2="${lx + 26}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2" stroke-dasharray="${DASHES[i % DASHES.length]}"/>`)
    parts.push(marker(i, lx + 13, ly, colour))
    parts.push(`<text x="${lx + 34}" y="${ly + 4}">${esc(label)}</text>`)
  })
  parts.push('</svg>')
  return parts.join('\n')
}
