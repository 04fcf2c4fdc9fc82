import { describe, expect, it } from 'vitest'
import { markerPath, seriesStyle } from '../../src-main/shared/series-style.ts'

describe('one style per policy', () => {
  it('follows from the key alone: the same key, the same look, in any list', () => {
    expect(seriesStyle('checkpoint:12')).toEqual(seriesStyle('checkpoint:12'))
    expect(seriesStyle('endpoint:vllm/qwen')).toEqual(seriesStyle('endpoint:vllm/qwen'))
  })

  it('gives checkpoints made one after another different colours, dashes and markers', () => {
    const looks = [1, 2, 3, 4, 5, 6, 7].map((id) => seriesStyle(`checkpoint:${id}`))
    for (const part of ['color', 'dash', 'symbol'] as const) expect(new Set(looks.map((l) => l[part])).size).toBe(7)
  })

  it('draws random play as the grey floor, apart from every checkpoint', () => {
    const random = seriesStyle('random')
    for (let id = 1; id <= 7; id++) expect(seriesStyle(`checkpoint:${id}`).color).not.toBe(random.color)
    expect(markerPath(random.symbol)).toMatch(/^M/)
  })
})
