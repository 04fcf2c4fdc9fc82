import { describe, expect, it } from 'vitest'
import { abbreviate, codeOf, compactCommand, expandCommand, goalCode, KIND_CODES } from '../../../../src-main/core/envs/household/compact.ts'
import { household } from '../../../../src-main/core/envs/household/environment.ts'
import { Random } from '../../../../src-main/core/random.ts'

describe('household compact codes', () => {
  it('gives every kind its own two-letter code', () => {
    const codes = Object.values(KIND_CODES)
    expect(new Set(codes).size).toBe(codes.length)
    expect(codes.every((c) => /^[a-z]{2}$/.test(c))).toBe(true)
  })

  it('writes every admissible command in codes and reads it back as the same command', async () => {
    const r = household.renderer
    const rng = new Random(3)
    let seen = 0
    for (const task of household.tasks('train', 60, 0, {})) {
      const s = household.openSync(task)
      await s.reset()
      for (let i = 0; i < 15; i++) {
        for (const command of s.validActions()) {
          const code = r.formatAction(command, 'compact')
          expect(code.length, command).toBeLessThanOrEqual(8)
          expect(r.parseAction(code, 'compact'), code).toBe(command)
          seen++
        }
        await s.step(rng.pick(s.validActions()))
      }
    }
    expect(seen).toBeGreaterThan(5000)
  })

  it('spells out the examples, and leaves what is no code alone', () => {
    expect(compactCommand('take apple 1 from fridge 1')).toBe('tap1fr1')
    expect(compactCommand('put apple 1 in microwave 1')).toBe('pap1mw1')
    expect(compactCommand('go to kitchen')).toBe('gki')
    expect(compactCommand('look')).toBe('l')
    expect(expandCommand('pbr1sh2')).toBe('put bread 1 on shelf 2')
    expect(expandCommand('hbr1mw1')).toBe('heat bread 1 with microwave 1')
    // Not codes: unknown kinds, a wrong number of names, readable commands.
    for (const text of ['gzz1', 'tap1', 'look', 'inventory', 'go to fridge 1', 'dance']) expect(expandCommand(text)).toBe(text)
    // A readable command a person typed reads as itself in the compact form too.
    expect(household.renderer.parseAction('Go to fridge 1', 'compact')).toBe('go to fridge 1')
    expect(abbreviate('bread 1, cup 2 and a toaster')).toBe('br1, cu2 and a ts')
    expect(codeOf('countertop 12')).toBe('ct12')
    expect(goalCode({ family: 'pick_heat_then_place', object: 'bread', target: 'shelf' })).toBe('hbr>sh')
    expect(goalCode({ family: 'look_at_obj_in_light', object: 'book', target: null })).toBe('lbo')
  })
})
