// Rollback to h_tau: from a snapshot for no steps, or by replay with every observation checked.
import { describe, expect, it } from 'vitest'
import type { EnvSession, Step } from '../../../src-main/core/envs/types.ts'
import { replayLength, rollback, usesSnapshots } from '../../../src-main/core/explore/rollback.ts'
import type { PathPoint } from '../../../src-main/core/explore/types.ts'

const step = (observation: string): Step => ({ observation, feedback: '', reward: 0, done: false, success: false, valid: true })

/** A counter session: each action adds its number; `drift` makes the n-th step after a reset land elsewhere. */
function counter(opts: { drift?: { after: number }; firstObservation?: string } = {}): EnvSession & { calls: string[] } {
  let value = 0
  let steps = 0
  const calls: string[] = []
  return {
    calls,
    reset: async () => (calls.push('reset'), (value = 0), (steps = 0), step(opts.firstObservation ?? '0')),
    step: async (a) => {
      calls.push(`step ${a}`)
      steps++
      value += Number(a) + (opts.drift && steps === opts.drift.after ? 100 : 0)
      return step(String(value))
    },
    snapshot: () => value,
    restore: async (s) => void (calls.push(`restore ${String(s)}`), (value = s as number)),
    close: async () => {},
  }
}

/** The path 0 →(+1) 1 →(+2) 3 →(+3) 6, with the snapshot each state had. */
const path: PathPoint[] = [
  { nodeId: 1, step: step('0'), action: null, snapshot: 0 },
  { nodeId: 2, step: step('1'), action: '1', snapshot: 1 },
  { nodeId: 3, step: step('3'), action: '2', snapshot: 3 },
  { nodeId: 4, step: step('6'), action: '3', snapshot: 6 },
]
const withoutSnapshots = path.map(({ snapshot: _, ...p }) => p)

describe('rollback', () => {
  it('restores the snapshot of the state at tau, taking no step', async () => {
    const s = counter()
    let replayed = 0
    expect(await rollback(s, path, true, () => replayed++)).toEqual({ ok: true })
    expect(s.calls).toEqual(['restore 6'])
    expect(replayed).toBe(0)
    expect(replayLength(path, true)).toBe(0)
  })

  it('replays a_1..a_{tau-1} from a reset when snapshots are not used, counting each step', async () => {
    for (const [p, snapshots] of [[path, false], [withoutSnapshots, true]] as const) {
      const s = counter()
      let replayed = 0
      expect(await rollback(s, p, snapshots, () => replayed++)).toEqual({ ok: true })
      expect(s.calls).toEqual(['reset', 'step 1', 'step 2', 'step 3'])
      expect(replayed).toBe(3)
      expect(replayLength(p, snapshots)).toBe(3)
    }
  })

  it('stops at the first replayed observation that differs from the stored one, and counts that step', async () => {
    const s = counter({ drift: { after: 2 } })
    let replayed = 0
    const r = await rollback(s, withoutSnapshots, false, () => replayed++)
    expect(r).toEqual({ ok: false, message: expect.stringMatching(/replaying a_1..a_2 gave a different observation at step 2/) })
    expect(s.calls).toEqual(['reset', 'step 1', 'step 2'])
    expect(replayed).toBe(2)
  })

  it('refuses a reset that does not give the stored root', async () => {
    const r = await rollback(counter({ firstObservation: 'elsewhere' }), withoutSnapshots, false, () => {})
    expect(r).toEqual({ ok: false, message: expect.stringMatching(/reset gave a different initial observation/) })
  })

  it('uses snapshots only where the session has them and the run does not ask for replay', () => {
    const { snapshot: _s, restore: _r, ...plain } = counter()
    expect(usesSnapshots(counter(), 'auto')).toBe(true)
    expect(usesSnapshots(counter(), 'snapshot')).toBe(true)
    expect(usesSnapshots(counter(), 'replay')).toBe(false)
    expect(usesSnapshots(plain, 'auto')).toBe(false)
  })
})
