// The "done when", against the loopback stubs: explore → export → evaluate through an
// endpoint policy and an LLM reflector on a remote AgentGym-style environment, in the real job
// threads, with faults injected on both servers. Every fault must end in a retried success or a
// recorded failure; the other tasks finish; nothing written before a fault is lost; the API key
// reaches the server and never the database.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, type Client } from '../../../src-main/api/client.ts'
import { dispatch } from '../../../src-main/api/dispatch.ts'
import { createService } from '../../../src-main/api/service.ts'
import { exportCorpus } from '../../../src-main/core/corpus/jsonl.ts'
import { Engine } from '../../../src-main/core/engine.ts'
import { remoteEnvironment } from '../../../src-main/core/envs/remote/environment.ts'
import { findRemoteEnv } from '../../../src-main/core/envs/remote/store.ts'
import type { EvalSummary } from '../../../src-main/core/eval/job.ts'
import type { ExploreSummary } from '../../../src-main/core/explore/job.ts'
import { startAgentGymStub, type AgentGymStub } from '../../fixtures/stubs/agentgym-stub.ts'
import { startOpenAIStub, vaultBrain, type OpenAIStub } from '../../fixtures/stubs/openai-stub.ts'
import { tempDir } from '../../fixtures/tmp.ts'

const SECRET = 'sk-e2e-never-stored-4f1c'

let llm: OpenAIStub
let gym: AgentGymStub
let engine: Engine
let api: Client
let dataDir: string

beforeAll(async () => {
  llm = await startOpenAIStub({ brain: vaultBrain })
  gym = await startAgentGymStub('alfworld')
  // Job threads inherit the process environment: that is how `serve` and the CLI pass keys.
  process.env.LEAFE_ENDPOINT_KEY_STUB = SECRET
  dataDir = tempDir()
  engine = new Engine({ dataDir, log: () => undefined })
  const service = createService(engine)
  api = createClient({ call: (m, input) => dispatch(service, m, input, () => undefined), subscribe: () => () => undefined })
})
afterAll(async () => {
  delete process.env.LEAFE_ENDPOINT_KEY_STUB
  await engine.close()
  await llm.close()
  await gym.close()
})

/** The task index of a stored task key ("vault/train/17" → 17). */
const indexOf = (key: string) => Number(key.split('/').pop())

describe('explore → export → evaluate through an endpoint, against the stubs', () => {
  let explored: ExploreSummary
  let faultTask: number
  let reflectionFails: number

  it('configures the endpoint and the remote environment through the API, and probes the endpoint', async () => {
    const ep = await api.call('endpoints.save', { name: 'stub', baseUrl: llm.url, model: 'stub-model', settings: { timeoutS: 1, retries: 4, backoffMs: 10, concurrency: 4 } })
    expect(ep.key).toEqual({ source: 'env:LEAFE_ENDPOINT_KEY_STUB', present: true, variable: 'LEAFE_ENDPOINT_KEY_STUB' })
    const probed = await api.call('endpoints.probe', { name: 'stub' })
    expect(probed.probe).toMatchObject({ ok: true, modelListed: true, logprobs: true })
    const remote = await api.call('remoteEnvs.save', { name: 'vault', baseUrl: gym.url, profile: 'alfworld', splits: { train: [0, 100], test: [100, 130] }, maxSteps: 8, timeoutS: 1 })
    expect(remote.profile.name).toBe('alfworld')
    expect(await api.call('remoteEnvs.check', { name: 'vault' })).toMatchObject({ ok: true })
    expect((await api.call('envs.list', {})).find((e) => e.id === 'vault')).toMatchObject({ remote: true })
  })

  it('says plainly that a remote environment has no critic, and creates no job and no run', async () => {
    const runs = (engine.db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n
    const jobs = engine.jobs.list().length
    await expect(
      api.call('jobs.start', { kind: 'explore', params: { config: { env: 'vault', tasks: { split: 'train', count: 2 }, policy: { kind: 'endpoint', endpoint: 'stub' } } } }),
    ).rejects.toThrow('Invalid parameters for explore: config.reflector: the environment "vault" has no critic; choose self, llm or human.')
    expect(engine.jobs.list().length).toBe(jobs)
    expect((engine.db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n).toBe(runs)
  })

  it('explores with the endpoint policy and the LLM reflector; every fault ends retried or recorded', async () => {
    const tasks = remoteEnvironment(findRemoteEnv(engine.db, 'vault')!).tasks('train', 8, 1)
    faultTask = tasks[3]!.meta!.index as number
    // Model server: one of each transport fault, and a malformed reflection — each retried.
    for (const kind of ['429', '500', 'hang', 'truncated', 'empty'] as const) llm.faults.push({ kind, match: 'Your next action' })
    llm.faults.push({ kind: 'prose', match: "You are reviewing an agent's attempt" })
    // Task 5's reflections are malformed on every attempt: each is recorded as a failed reflection.
    reflectionFails = tasks[5]!.meta!.index as number
    llm.faults.push({ kind: 'prose', match: ["You are reviewing an agent's attempt", `front of vault ${reflectionFails}.`], times: 1000 })
    // Environment server: task 3's fourth step fails for good — that episode ends as an error.
    gym.faults.push({ call: 'step', task: faultTask, nth: 4, kind: 'status500' })
    const job = await api.call('jobs.start', {
      kind: 'explore',
      params: {
        config: {
          env: 'vault', tasks: { split: 'train', count: 8, seed: 1 }, policy: { kind: 'endpoint', endpoint: 'stub' },
          sampler: 'leafe', reflector: 'llm', budget: 24, maxDepth: 4, seed: 3, temperature: 1,
        },
      },
    })
    const done = await engine.jobs.waitFor(job.id)
    expect(done.error).toBeNull()
    expect(done.status).toBe('done')
    explored = done.result as ExploreSummary
    expect(explored.tasks).toBe(8)
    expect(explored.errors).toBe(1)
    expect(explored.errorTasks).toEqual([{ task: `vault/train/${faultTask}`, message: expect.stringMatching(/^environment: vault server, POST \/step: HTTP 500/) }])
    // LEAFE at work through the served model: branches from LLM reflections solve tasks.
    expect(explored.solvedByBranch).toBeGreaterThan(0)
    expect(explored.corpusItems.cf).toBeGreaterThan(0)

    // Every injected model-server fault was answered by a retry that succeeded.
    for (const kind of ['429', '500', 'hang', 'truncated', 'empty', 'prose']) {
      const i = llm.requests.findIndex((r) => r.answered === kind)
      expect(i, kind).toBeGreaterThanOrEqual(0)
    }
    expect(llm.faults.slice(0, 6).every((f) => (f as { fired?: number }).fired === 1)).toBe(true)
    const events = engine.db.prepare(`SELECT be.reflector, be.outcome, be.message, e.task_key FROM branch_events be JOIN episodes e ON e.id = be.episode_id`).all() as {
      reflector: string; outcome: string; message: string; task_key: string
    }[]
    expect(events.length).toBeGreaterThan(0)
    expect(events.every((e) => e.reflector === 'llm')).toBe(true)
    // The once-malformed reflection was retried; task 5's always-malformed ones are recorded as failed
    // reflections and its exploration went on; the faulted task's waiting branches ended as errors.
    for (const e of events.filter((x) => x.outcome === 'error')) {
      if (indexOf(e.task_key) === reflectionFails) expect(e.message).toMatch(/^Reflection failed: LLM reflection failed after 3 attempts: the reply contains no JSON object/)
      else {
        expect(indexOf(e.task_key)).toBe(faultTask)
        expect(e.message).toMatch(/^Not finished: the task ended with an error/)
      }
    }
    const failedReflections = events.filter((e) => indexOf(e.task_key) === reflectionFails)
    expect(failedReflections.length).toBeGreaterThan(1)
    expect(failedReflections.every((e) => e.outcome === 'error')).toBe(true)
  })

  it('kept everything written before the environment fault, and ran every other task to its end', async () => {
    const eps = engine.db.prepare(
      `SELECT id, task_key, status, error, steps, (SELECT COUNT(*) FROM nodes n WHERE n.episode_id = e.id) AS nodes FROM episodes e WHERE run_id = ?`,
    ).all(explored.runId) as { id: number; task_key: string; status: string; error: string | null; steps: number; nodes: number }[]
    expect(eps).toHaveLength(8)
    const bad = eps.find((e) => indexOf(e.task_key) === faultTask)!
    expect(bad.status).toBe('error')
    expect(bad.error).toMatch(/HTTP 500/)
    // The server answered three steps of that task before failing the fourth: root + 3 nodes.
    const stepsServed = gym.calls.filter((c) => c.call === 'step' && c.task === faultTask).length
    expect(stepsServed).toBe(4)
    expect(bad.nodes).toBe(1 + 3)
    for (const e of eps.filter((x) => x !== bad)) expect(['success', 'failure']).toContain(e.status)
    // The UI reads the reason and the model's own words.
    const t = await api.call('episodes.transcript', { id: bad.id })
    expect(t.episode).toMatchObject({ status: 'error', error: bad.error })
    expect(t.steps.slice(1).every((st) => st.rawAction?.endsWith(`Action: ${st.action}`))).toBe(true)
    // Raw replies are on the nodes, and the extracted action is what the environment got.
    const node = engine.db.prepare(`SELECT action, raw_action FROM nodes WHERE raw_action IS NOT NULL LIMIT 1`).get() as { action: string; raw_action: string }
    expect(node.raw_action).toMatch(/^Thought: .*\nAction: pull lever \w+$/)
    expect(node.raw_action.endsWith(node.action)).toBe(true)
  })

  it('exports the corpus as chat JSONL', () => {
    engine.db.prepare(`UPDATE corpus_items SET status = 'accepted'`).run()
    const path = join(dataDir, 'corpus.jsonl')
    const n = exportCorpus(engine.db, path).written
    expect(n).toBe(explored.corpusItems.cf + explored.corpusItems.reh)
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    const cf = lines.find((l) => l.metadata.kind === 'cf')
    expect(cf.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant'])
    expect(cf.messages[1].content).not.toContain(cf.metadata.experience) // e is dropped from h_tau
    expect(cf.messages[2].content).toMatch(/^pull lever (red|green|blue)$/)
  })

  it('evaluates the served model, a served checkpoint and random play side by side; a failed sample is counted, not lost', async () => {
    const ckpt = await api.call('checkpoints.addServed', { name: 'stub LoRA', endpoint: 'stub', model: 'stub-model-lora' })
    expect(ckpt).toMatchObject({ kind: 'endpoint', config: { endpoint: 'stub', model: 'stub-model-lora' } })
    const testTask = remoteEnvironment(findRemoteEnv(engine.db, 'vault')!).tasks('test', 10, 0)[6]!.meta!.index as number
    gym.faults.push({ call: 'step', task: testTask, nth: 1, kind: 'hang' })
    const job = await api.call('jobs.start', {
      kind: 'eval',
      params: { config: { env: 'vault', tasks: { split: 'test', count: 10, seed: 0 }, policies: [{ kind: 'endpoint', endpoint: 'stub' }, { kind: 'checkpoint', id: ckpt.id }, { kind: 'random' }], n: 4, seed: 1 } },
    })
    const done = await engine.jobs.waitFor(job.id)
    expect(done.error).toBeNull()
    const s = done.result as EvalSummary
    expect(s.policies.map((p) => p.policy)).toEqual(['endpoint:stub/stub-model', `checkpoint:${ckpt.id}`, 'random'])
    expect(s.errors).toBe(1)
    expect(s.errorSamples).toEqual([{ policy: 'endpoint:stub/stub-model', task: `vault/test/${testTask}`, sample: expect.any(Number), message: expect.stringMatching(/no answer within 1 s/) }])
    const rows = engine.db.prepare(`SELECT policy, COUNT(*) AS tasks, SUM(n) AS n, SUM(errors) AS errors FROM eval_results WHERE run_id = ? GROUP BY policy ORDER BY policy`).all(s.runId)
    expect(rows).toEqual([
      { policy: `checkpoint:${ckpt.id}`, tasks: 10, n: 40, errors: 0 },
      { policy: 'endpoint:stub/stub-model', tasks: 10, n: 40, errors: 1 },
      { policy: 'random', tasks: 10, n: 40, errors: 0 },
    ])
    // The served checkpoint asked its own model.
    expect(llm.requests.some((r) => r.model === 'stub-model-lora')).toBe(true)
    // Served and local-style policies on one Pass@k chart.
    const scope = (await api.call('eval.scopes', {})).find((x) => x.policies.length === 3)!
    const curves = await api.call('eval.curves', { scope: scope.scope, policies: scope.policies.map((p) => p.policy) })
    expect(curves.map((c) => c.name).sort()).toEqual(['endpoint:stub/stub-model', 'random', 'stub LoRA'])
    for (const c of curves) expect(c).toMatchObject({ ks: [1, 2, 4], tasks: 10, n: 4 })
    expect(curves.find((c) => c.name === 'stub LoRA')!.checkpointId).toBe(ckpt.id)
  })

  it('sent the key to the model server and wrote it nowhere in the data directory', () => {
    expect(llm.requests.every((r) => r.auth === `Bearer ${SECRET}`)).toBe(true)
    for (const f of readdirSync(dataDir)) {
      const bytes = readFileSync(join(dataDir, f))
      expect(bytes.includes(Buffer.from(SECRET)), f).toBe(false)
    }
  })
})

describe.each(['webshop', 'sciworld'] as const)('exploring a server that speaks the %s profile', (dialect) => {
  let server: AgentGymStub
  beforeAll(async () => {
    server = await startAgentGymStub(dialect)
    await api.call('endpoints.save', { name: 'stub', baseUrl: llm.url, model: 'stub-model', settings: { timeoutS: 1, retries: 4, backoffMs: 10 } })
  })
  afterAll(() => server.close())

  it('branches from LLM reflections and ends every episode (closing each environment where the server can)', async () => {
    await api.call('remoteEnvs.save', { name: `vault-${dialect}`, baseUrl: server.url, profile: dialect, splits: { train: [0, 50] }, maxSteps: 8, timeoutS: 2 })
    const job = await api.call('jobs.start', {
      kind: 'explore',
      params: { config: { env: `vault-${dialect}`, tasks: { split: 'train', count: 4, seed: 2 }, policy: { kind: 'endpoint', endpoint: 'stub' }, reflector: 'llm', budget: 20, seed: 1 } },
    })
    const done = await engine.jobs.waitFor(job.id)
    expect(done.error).toBeNull()
    const s = done.result as ExploreSummary
    expect(s).toMatchObject({ tasks: 4, errors: 0 })
    expect(s.branchEvents).toBeGreaterThan(0)
    const statuses = engine.db.prepare(`SELECT status FROM episodes WHERE run_id = ?`).all(s.runId) as { status: string }[]
    expect(statuses.every((e) => e.status === 'success' || e.status === 'failure')).toBe(true)
    const created = server.calls.filter((c) => c.call === 'create').length
    expect(created).toBe(4) // one environment per task's episode tree
    if (dialect === 'sciworld') await expect.poll(() => server.live()).toBe(0)
    else expect(server.live()).toBe(4) // no close endpoint: the server keeps them
  })
})
