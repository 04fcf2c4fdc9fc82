// leafe endpoint / remote, and explore / eval through them, against the loopback stubs. The CLI
// runs as a child process; the stubs answer from this one (so the child is awaited, not spawnSync'd).
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { builtinProfiles } from '../../src-main/shared/remote-profile.ts'
import { startAgentGymStub, type AgentGymStub } from '../fixtures/stubs/agentgym-stub.ts'
import { startOpenAIStub, vaultBrain, type OpenAIStub } from '../fixtures/stubs/openai-stub.ts'
import { tempDir } from '../fixtures/tmp.ts'

function leafe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['bin/leafe.js', ...args], { env: { ...process.env, ...env } })
    let stdout = ''
    let stderr = ''
    p.stdout.on('data', (d) => (stdout += String(d)))
    p.stderr.on('data', (d) => (stderr += String(d)))
    p.on('close', (status) => resolve({ status, stdout, stderr }))
  })
}

let llm: OpenAIStub
let gym: AgentGymStub
const dir = tempDir()
beforeAll(async () => {
  llm = await startOpenAIStub({ brain: vaultBrain })
  gym = await startAgentGymStub('sciworld')
})
afterAll(async () => {
  await llm.close()
  await gym.close()
})

describe('leafe endpoint and leafe remote', () => {
  it('adds an endpoint and shows its probe; the key comes from the environment and is never printed', async () => {
    const r = await leafe(['endpoint', 'add', 'stub', '--url', llm.url, '--model', 'stub-model', '--timeout', '5', '--data-dir', dir], { LEAFE_ENDPOINT_KEY_STUB: 'sk-cli-secret' })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/key {8}from env:LEAFE_ENDPOINT_KEY_STUB/)
    expect(r.stdout).toMatch(/probe {6}ok/)
    expect(r.stdout).toMatch(/models {5}2 listed, this one among them/)
    expect(r.stdout).not.toContain('sk-cli-secret')
    expect(llm.requests[llm.requests.length - 1]!.auth).toBe('Bearer sk-cli-secret')
    const list = JSON.parse((await leafe(['endpoint', 'list', '--json', '--data-dir', dir])).stdout)
    expect(list).toHaveLength(1)
    expect(list[0].key).toEqual({ source: 'none', present: false, variable: 'LEAFE_ENDPOINT_KEY_STUB' }) // this process has no key
  })

  it('reports a failed probe with exit code 1, and bad input with the field', async () => {
    const dead = await leafe(['endpoint', 'add', 'dead', '--url', 'http://127.0.0.1:9/v1', '--model', 'm', '--data-dir', dir])
    expect(dead.status).toBe(1)
    expect(dead.stdout).toMatch(/probe {6}FAILED/)
    const bad = await leafe(['endpoint', 'add', 'x', '--url', 'localhost', '--model', 'm', '--data-dir', dir])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/baseUrl: must be an http:\/\/ or https:\/\/ URL/)
    expect((await leafe(['endpoint', 'remove', 'dead', '--data-dir', dir])).status).toBe(0)
  })

  it('adds remote environments from a built-in profile and from a profile file, and checks them', async () => {
    const r = await leafe(['remote', 'add', 'vault', '--url', gym.url, '--profile', 'sciworld', '--split', 'train=0:50', '--split', 'test=50:60', '--max-steps', '8', '--data-dir', dir])
    expect(r.stderr).toBe('')
    expect(r.stdout).toMatch(/check {6}ok: Created an environment and reset it to task 0 \(split "train"\)/)
    expect(r.stdout).toMatch(/first observation: Your task is to: open vault 0\./)
    const file = join(dir, 'custom.json')
    writeFileSync(file, JSON.stringify({ ...builtinProfiles.sciworld, name: 'custom', label: 'A custom server' }))
    const custom = await leafe(['remote', 'add', 'vault2', '--url', gym.url, '--profile', file, '--split', 'test=0:5', '--data-dir', dir])
    expect(custom.stdout).toMatch(/A custom server/)
    expect(custom.status).toBe(0)
    writeFileSync(file, JSON.stringify({ name: 'broken' }))
    const broken = await leafe(['remote', 'add', 'vault3', '--url', gym.url, '--profile', file, '--split', 'test=0:5', '--data-dir', dir])
    expect(broken.status).toBe(2)
    expect(broken.stderr).toMatch(/--profile .*custom.json: label: .*idField/)
    const overlap = await leafe(['remote', 'add', 'vault3', '--url', gym.url, '--profile', 'alfworld', '--split', 'train=0:10', '--split', 'test=5:20', '--data-dir', dir])
    expect(overlap.stderr).toMatch(/splits.test: overlaps split "train"/)
    expect((await leafe(['remote', 'profiles', '--data-dir', dir])).stdout).toMatch(/webshop +WebShop \(AgentGym server\): id field "env_idx", task field "session_id", errors as an HTTP status, no close/)
  })

  it('explores with an endpoint policy and the LLM reflector, and evaluates it beside a served checkpoint', async () => {
    const ex = await leafe(['explore', '--env', 'vault', '--policy', 'endpoint:stub', '--reflector', 'llm', '--tasks', '4', '--budget', '16', '--seed', '2', '--json', '--data-dir', dir])
    expect(ex.status).toBe(0)
    const s = JSON.parse(ex.stdout)
    expect(s).toMatchObject({ tasks: 4, errors: 0 })
    expect(s.branchEvents).toBeGreaterThan(0)
    const ck = await leafe(['endpoint', 'checkpoint', 'stub', '--label', 'stub LoRA', '--model', 'stub-model-lora', '--data-dir', dir])
    expect(ck.stdout).toMatch(/^checkpoint (\d+) "stub LoRA" = stub-model-lora on endpoint stub; evaluate it with --policies \1/)
    const id = /^checkpoint (\d+)/.exec(ck.stdout)![1]
    const ev = await leafe(['eval', '--env', 'vault', '--policies', `endpoint:stub,${id}`, '--split', 'test', '--tasks', '3', '--n', '2', '--data-dir', dir])
    expect(ev.status).toBe(0)
    expect(ev.stdout).toMatch(/endpoint:stub\/stub-model +Pass@1/)
    expect(ev.stdout).toMatch(new RegExp(`checkpoint:${id} +Pass@1`))
    // ScienceWorld's server lists no admissible actions: random play has nothing to choose from,
    // and the run is refused before a job exists.
    const random = await leafe(['eval', '--env', 'vault', '--policies', 'random', '--split', 'test', '--tasks', '1', '--n', '1', '--data-dir', dir])
    expect(random.status).toBe(2)
    expect(random.stderr).toMatch(/^leafe eval: --policies: random play needs actions to choose from, and the remote environment "vault" has no action space/)
    const usage = await leafe(['eval', '--env', 'vault', '--policies', 'endpoint:', '--data-dir', dir])
    expect(usage.stderr).toMatch(/--policies: "endpoint:" is not "random", a checkpoint id or "endpoint:NAME\[\/MODEL\]"/)
  })
})
