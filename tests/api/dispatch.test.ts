import { describe, expect, it } from 'vitest'
import type { Service } from '../../src-main/api/contract.ts'
import { dispatch } from '../../src-main/api/dispatch.ts'
import { EngineError } from '../../src-main/core/errors.ts'

// A service whose methods misbehave on demand; only what a test calls is filled in.
const service = {
  'jobs.get': async ({ id }: { id: number }) => {
    if (id === 1) throw new EngineError('not_found', 'Job 1 was not found.')
    if (id === 2) throw new TypeError('boom')
    return { id } // not a Job: the output check must catch it
  },
} as unknown as Service

const quiet = () => undefined

describe('dispatch', () => {
  it.each([
    ['a number', 42],
    ['a string', 'jobs.get'],
    ['an array', ['x']],
    ['a wrong field type', { id: 'seven' }],
    ['an extra field', { id: 3, extra: true }],
    ['a negative id', { id: -3 }],
    ['a huge nested object', { id: { a: { b: { c: [1, 2, 3] } } } }],
  ])('answers %s with a typed bad_request naming the place', async (_what, input) => {
    const reply = await dispatch(service, 'jobs.get', input, quiet)
    expect(reply.ok).toBe(false)
    if (!reply.ok) {
      expect(reply.error.code).toBe('bad_request')
      expect(reply.error.message).toMatch(/^Invalid input for jobs.get: /)
      expect(reply.error.issues?.length).toBeGreaterThan(0)
    }
  })

  it('answers an unknown method, a prototype key or a non-string name with unknown_method', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 7, null]) {
      const reply = await dispatch(service, name, {}, quiet)
      expect(reply).toMatchObject({ ok: false, error: { code: 'unknown_method' } })
    }
  })

  it('passes engine errors through with their code and turns crashes into internal errors', async () => {
    expect(await dispatch(service, 'jobs.get', { id: 1 }, quiet)).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'Job 1 was not found.' },
    })
    expect(await dispatch(service, 'jobs.get', { id: 2 }, quiet)).toMatchObject({ ok: false, error: { code: 'internal', message: 'jobs.get failed: boom' } })
  })

  it('refuses to hand out a result that breaks the contract', async () => {
    const logged: string[] = []
    const reply = await dispatch(service, 'jobs.get', { id: 3 }, (m) => logged.push(m))
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(logged[0]).toMatch(/malformed jobs.get result/)
  })
})
