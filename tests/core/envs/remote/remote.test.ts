import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RemoteEnvInput, type RemoteEnvRecord } from '../../../../src-main/shared/remote-env-config.ts'
import { remoteEnvironment, remoteRenderer } from '../../../../src-main/core/envs/remote/environment.ts'
import { RemoteEnvError } from '../../../../src-main/core/envs/remote/http.ts'
import { builtinProfiles, RemoteProfile } from '../../../../src-main/shared/remote-profile.ts'
import { startAgentGymStub, type AgentGymStub, type Dialect } from '../../../fixtures/stubs/agentgym-stub.ts'
import { newVault } from '../../../fixtures/stubs/vault-game.ts'

const dialects: Dialect[] = ['alfworld', 'webshop', 'sciworld']
const stubs = new Map<Dialect, AgentGymStub>()
beforeAll(async () => {
  for (const d of dialects) stubs.set(d, await startAgentGymStub(d))
})
afterAll(async () => {
  for (const s of stubs.values()) await s.close()
})

const server = (d: Dialect, over: Partial<RemoteEnvRecord> = {}): RemoteEnvRecord => ({
  id: 1, name: `${d}-stub`, baseUrl: stubs.get(d)!.url, profile: builtinProfiles[d]!, splits: { train: [0, 40], test: [40, 50] }, maxSteps: 10, timeoutS: 1, ...over,
})

/** The winning pulls for a task, from the game itself. */
const solution = (task: number) => newVault(task).secret.map((c) => `pull lever ${c}`)

describe.each(dialects)('a remote environment speaking the %s profile', (d) => {
  it('creates one environment per episode, resets to the task, steps to success, and closes where the server can', async () => {
    const stub = stubs.get(d)!
    const env = remoteEnvironment(server(d))
    const [task] = env.tasks('train', 1, 3)
    const before = stub.calls.length
    const missingBefore = stub.missing.length
    const live = stub.live()
    const s = await env.open(task!)
    const first = await s.reset()
    expect(first).toMatchObject({ done: false, success: false, valid: true, reward: 0 })
    expect(first.observation).toContain(`open vault ${task!.meta!.index}`)
    if (d === 'alfworld') expect(s.validActions?.()).toEqual(['pull lever red', 'pull lever green', 'pull lever blue', 'look'])
    else expect(s.validActions?.()).toBeUndefined()
    const moves = solution(task!.meta!.index as number)
    for (const [i, a] of moves.entries()) {
      const step = await s.step(a)
      expect(step.done).toBe(i === moves.length - 1)
      expect(step.success).toBe(i === moves.length - 1)
    }
    await s.close()
    const calls = stub.calls.slice(before).map((c) => c.call)
    expect(calls.filter((c) => c === 'create')).toHaveLength(1)
    // Only the ScienceWorld server defines /close (AgentGym's server.py files); elsewhere a call is a 404.
    expect(calls.includes('close')).toBe(d === 'sciworld')
    expect(stub.missing.slice(missingBefore)).toEqual([])
    expect(stub.live()).toBe(d === 'sciworld' ? live : live + 1)
    if (d === 'webshop') expect(calls).toContain('observation') // the reset reply is a bare pair
  })

  it('replays deterministically after a reset on the same environment id', async () => {
    const env = remoteEnvironment(server(d))
    const [task] = env.tasks('test', 1, 0)
    const s = await env.open(task!)
    const a = [await s.reset(), await s.step('pull lever red'), await s.step('look')].map((x) => x.observation)
    const b = [await s.reset(), await s.step('pull lever red'), await s.step('look')].map((x) => x.observation)
    expect(b).toEqual(a)
    await s.close()
  })

  it('marks a failure, an invalid action and the step limit', async () => {
    const env = remoteEnvironment(server(d, { maxSteps: 3 }))
    const [task] = env.tasks('train', 1, 9)
    const s = await env.open(task!)
    await s.reset()
    const gibberish = await s.step('dance')
    expect(gibberish.done).toBe(false)
    // Only ALFWorld's profile knows its "Nothing happens." answer.
    expect(gibberish.valid).toBe(d !== 'alfworld')
    const wrong = newVault(task!.meta!.index as number).secret[0] === 'red' ? 'pull lever green' : 'pull lever red'
    const jam = await s.step(wrong)
    expect(jam).toMatchObject({ done: true, success: false })
    expect(jam.observation).toMatch(/must not be/)
    await s.reset()
    await s.step('look')
    await s.step('look')
    const third = await s.step('look')
    expect(third).toMatchObject({ done: true, success: false })
    expect(third.feedback).toContain('Step limit of 3 reached')
    await s.close()
  })

  it.each([
    ['status500', /HTTP 500/],
    ['errorField', /the server reported an error: the simulator crashed/],
    ['hang', /no answer within 1 s/],
    ['garbage', /the reply is not JSON/],
  ] as const)('turns a %s on step into an error naming the server and the call', async (kind, message) => {
    const stub = stubs.get(d)!
    const env = remoteEnvironment(server(d))
    const [task] = env.tasks('test', 1, 5)
    stub.faults.push({ call: 'step', task: task!.meta!.index as number, kind })
    const s = await env.open(task!)
    await s.reset()
    const err = await s.step('look').catch((e) => e)
    expect(err).toBeInstanceOf(RemoteEnvError)
    expect(err.message).toContain(`${d}-stub server, POST /step`)
    // A server that reports errors only by status: an error field is just another reply to it.
    if (kind === 'errorField' && d === 'webshop') expect(err.message).toMatch(/expected text/)
    else expect(err.message).toMatch(message)
    await s.close()
  })

  it('reports a server that cannot create an environment', async () => {
    const stub = stubs.get(d)!
    stub.faults.push({ call: 'create', kind: 'status500' })
    const env = remoteEnvironment(server(d))
    const err = await env.open(env.tasks('train', 1, 1)[0]!).catch((e) => e)
    expect(err.message).toMatch(new RegExp(`${d}-stub server, POST /create: HTTP 500`))
  })
})

describe('remote tasks and profiles', () => {
  it('samples distinct indices of a split, seeded, and refuses what the split cannot give', () => {
    const env = remoteEnvironment(server('alfworld', { splits: { train: [100, 1100], test: [0, 100] } }))
    const a = env.tasks('train', 20, 7)
    expect(a).toEqual(env.tasks('train', 20, 7))
    expect(a.map((t) => t.id)).not.toEqual(env.tasks('train', 20, 8).map((t) => t.id))
    const idx = a.map((t) => t.meta!.index as number)
    expect(new Set(idx).size).toBe(20)
    expect(idx.every((i) => i >= 100 && i < 1100)).toBe(true)
    expect(env.tasks('test', 100, 0).map((t) => t.meta!.index)).toEqual(Array.from({ length: 100 }, (_, i) => i))
    expect(() => env.tasks('dev', 1, 0)).toThrow(/has no split "dev" \(it has: train, test\)/)
    expect(() => env.tasks('test', 101, 0)).toThrow(/holds 100 tasks/)
  })

  it('validates a server: overlapping or empty splits and bad URLs are refused with the place', () => {
    const bad = RemoteEnvInput.safeParse({ name: 'x', baseUrl: 'ftp://h', profile: 'alfworld', splits: { train: [0, 100], test: [50, 60], dev: [5, 5] } })
    expect(bad.success).toBe(false)
    const issues = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^baseUrl: must be an http/),
        expect.stringMatching(/^splits.dev: \[5, 5\) is empty/),
        expect.stringMatching(/^splits.test: overlaps split "train"/),
      ]),
    )
  })

  it('reads a profile file of the same shape, and names what is missing', () => {
    const custom = { ...builtinProfiles.sciworld!, name: 'textcraft', idField: 'env_id' }
    expect(RemoteProfile.parse(JSON.parse(JSON.stringify(custom))).idField).toBe('env_id')
    const broken = RemoteProfile.safeParse({ name: 'x', label: 'x', idField: 'id' })
    expect(broken.success).toBe(false)
    expect(broken.error!.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['create', 'reset', 'step', 'success', 'system']))
  })

  it('reads actions in the ReAct form, on the same line or the next, else the last line', () => {
    const r = remoteRenderer('sys')
    expect(r.parseAction('Thought: the fridge.\nAction: go to fridge 1', 'readable')).toBe('go to fridge 1')
    expect(r.parseAction('Thought: x\n\nAction:\nclick[Buy Now]</s>', 'readable')).toBe('click[Buy Now]')
    expect(r.parseAction('I would try the action: look. Action: "open drawer 2"', 'readable')).toBe('open drawer 2')
    expect(r.parseAction('thinking…\nsearch[red shoes]', 'readable')).toBe('search[red shoes]')
  })
})
