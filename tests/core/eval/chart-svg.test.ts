import { describe, expect, it } from 'vitest'
import { passAtKSvg } from '../../../src-main/core/eval/chart-svg.ts'
import { passCurve } from '../../../src-main/core/eval/passk.ts'

describe('Pass@k SVG', () => {
  it('draws one labelled curve with a band per policy, on a log-2 k axis up to n', () => {
    const counts = (c: number) => Array.from({ length: 8 }, (_, i) => ({ taskKey: `t${i}`, n: 32, c: (c * i) % 33 }))
    const svg = passAtKSvg([{ label: 'base <1>', curve: passCurve(counts(1)) }, { label: 'leafe', curve: passCurve(counts(3)) }], 'Pass@k on test')
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg).toContain('base &lt;1&gt;')
    expect(svg).toContain('>32</text>')
    expect((svg.match(/fill-opacity="0.12"/g) ?? []).length).toBe(2)
    expect((svg.match(/stroke-dasharray="6 4"/g) ?? []).length).toBe(2) // the second curve and its legend line
  })
})
