import { describe, expect, it } from 'vitest'
import { policySpecOf, readableStartError } from '../../../src-renderer/src/lib/job-config.ts'

describe('start-form helpers', () => {
  it('turns the policy keys the forms use into policy specs', () => {
    expect(policySpecOf('random')).toEqual({ kind: 'random' })
    expect(policySpecOf('checkpoint:12')).toEqual({ kind: 'checkpoint', id: 12 })
    expect(policySpecOf('endpoint:vllm:8000')).toEqual({ kind: 'endpoint', endpoint: 'vllm:8000' })
  })

  it("shortens the engine's validation message to the field and the problem", () => {
    expect(readableStartError('Invalid parameters for explore: config.tasks.count: Too big: expected number to be <=100000')).toBe('tasks.count: Too big: expected number to be <=100000')
    expect(readableStartError('Invalid parameters for leafe_sft: config: Invalid input')).toBe('Invalid input')
    expect(readableStartError('There is no job kind "x" (known: explore).')).toBe('There is no job kind "x" (known: explore).')
  })
})
