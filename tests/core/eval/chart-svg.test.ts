import { describe, expect, it } from 'vitest'
import { passAtKSvg } from '../../../src-main/core/eval/chart-svg.ts'
import { passCurve } from '../../../src-main/core/eval/passk.ts'
import { seriesStyle } from '../../../src-main/shared/series-style.ts'

describe('Pass@k SVG', () => {
  const counts = (c: number) => Array.from({ length: 8 }, (_, i) => ({ taskKey: `t${i}`, n: 32, c: (c * i) % 33 }))

  it('draws one labelled curve with a band per policy, on a log-2 k axis up to n, in percent', () => {
    const svg = passAtKSvg([{ label: 'base <1>', policy: 'checkpoint:1', curve: passCurve(counts(1)) }, { label: 'leafe', policy: 'checkpoint:2', curve: passCurve(counts(3)) }], 'Pass@k on test')
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg).toContain('base &lt;1&gt;')
    expect(svg).toContain('>32</text>')
    expect(svg).toContain('>Pass@k (%)</text>')
    expect(svg).toContain('>100</text>')
    expect(svg).not.toContain('>1.0</text>')
    expect((svg.match(/fill-opacity="0.12"/g) ?? []).length).toBe(2)
  })

  it("draws each policy in its own shared style, whatever its place in the list", () => {
    const one = passAtKSvg([{ label: 'leafe', policy: 'checkpoint:4', curve: passCurve(counts(3)) }], 't')
    const two = passAtKSvg([{ label: 'random', policy: 'random', curve: passCurve(counts(1)) }, { label: 'leafe', policy: 'checkpoint:4', curve: passCurve(counts(3)) }], 't')
    const s = seriesStyle('checkpoint:4')
    for (const svg of [one, two]) {
      // The curve and its legend line.
      expect((svg.match(new RegExp(`stroke="${s.color}" stroke-width="2" stroke-dasharray="${s.dash}"`, 'g')) ?? []).length).toBe(2)
    }
    expect(two).toContain(`stroke="${seriesStyle('random').color}"`)
  })
})
