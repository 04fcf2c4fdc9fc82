import { describe, expect, it } from 'vitest'
import { toCsv } from '../../../src-renderer/src/lib/export.ts'

describe('CSV export', () => {
  it('quotes only what needs quoting and doubles quotes', () => {
    expect(toCsv([['k', 'name'], [1, 'base'], [2, 'a, "b"\nc']])).toBe('k,name\r\n1,base\r\n2,"a, ""b""\nc"\r\n')
  })
})
