// The endpoint methods through dispatch: validated inputs, outputs checked against their schemas,
// refusals with the reason, and keys that never come back out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src-main/api/dispatch.ts'
import { createService } from '../../src-main/api/service.ts'
import { EncryptedKeyFile, type Cipher } from '../../src-main/core/endpoints/keys.ts'
import { Engine } from '../../src-main/core/engine.ts'
import { dataPaths } from '../../src-main/core/paths.ts'
import { startOpenAIStub, seededEcho, type OpenAIStub } from '../fixtures/stubs/openai-stub.ts'
import { tempDir } from '../fixtures/tmp.ts'

const cipher: Cipher = {
  isEncryptionAvailable: () => true,
  encryptString: (s) => Buffer.from(s).reverse(),
  decryptString: (b) => Buffer.from(b).reverse().toString(),
}

describe('endpoint methods through the contract', () => {
  let serve: Engine
  let desktop: Engine
  let stub: OpenAIStub
  const call = async (engine: Engine, method: string, input: unknown) => {
    const reply = await dispatch(createService(engine), method, input, (m) => {
      throw new Error(m)
    })
    return reply
  }
  const ok = async (engine: Engine, method: string, input: unknown) => {
    const reply = await call(engine, method, input)
    if (!reply.ok) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`)
    return reply.result as any // eslint-disable-line @typescript-eslint/no-explicit-any
  }

  beforeAll(async () => {
    stub = await startOpenAIStub({ brain: seededEcho })
    serve = new Engine({ dataDir: tempDir(), log: () => undefined })
    const dir = tempDir()
    desktop = new Engine({ dataDir: dir, log: () => undefined, keyStore: new EncryptedKeyFile(dataPaths(dir).endpointKeys, cipher) })
  })
  afterAll(async () => {
    await serve.close()
    await desktop.close()
    await stub.close()
  })

  it('saves, lists, probes and removes endpoints; a changed URL or model drops the stale probe', async () => {
    const saved = await ok(serve, 'endpoints.save', { name: 'local-vllm', baseUrl: stub.url, model: 'stub-model' })
    expect(saved).toMatchObject({ name: 'local-vllm', mode: 'chat', settings: { concurrency: 8, retries: 4, timeoutS: 120 }, probe: null })
    expect(saved.key).toEqual({ source: 'none', present: false, variable: 'LEAFE_ENDPOINT_KEY_LOCAL_VLLM' })
    const probed = await ok(serve, 'endpoints.probe', { name: 'local-vllm' })
    expect(probed.probe).toMatchObject({ ok: true, seedReproduces: true })
    const same = await ok(serve, 'endpoints.save', { name: 'local-vllm', baseUrl: stub.url, model: 'stub-model', settings: { concurrency: 2 } })
    expect(same.probe).not.toBeNull() // limits changed, not what the probe measured
    const moved = await ok(serve, 'endpoints.save', { name: 'local-vllm', baseUrl: stub.url, model: 'stub-model-lora' })
    expect(moved.probe).toBeNull()
    expect((await ok(serve, 'endpoints.list', {})).map((e: { name: string }) => e.name)).toEqual(['local-vllm'])
    expect(await ok(serve, 'endpoints.remove', { name: 'local-vllm' })).toEqual({ removed: true })
    expect(await call(serve, 'endpoints.remove', { name: 'local-vllm' })).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })

  it('refuses an llm reflector without a model to ask, before any run starts', async () => {
    const r = await call(serve, 'jobs.start', { kind: 'explore', params: { config: { env: 'sokoban', tasks: { split: 'train', count: 2 }, policy: { kind: 'random' }, reflector: 'llm' } } })
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/config\.llm: the llm reflector needs a model: set llm\.endpoint/) } })
  })

  it('refuses bad input with the place', async () => {
    const r = await call(serve, 'endpoints.save', { name: 'bad name!', baseUrl: 'localhost:8000', model: '' })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.issues!.map((i) => i.path)).toEqual(['name', 'baseUrl', 'model'])
    const key = await call(serve, 'endpoints.save', { name: 'x', baseUrl: stub.url, model: 'm', settings: { apiKey: 'sk-1' } })
    expect(key).toMatchObject({ ok: false, error: { code: 'bad_request' } }) // there is no place for a key in an endpoint
  })

  it('never lets keyEnv send another secret of the engine to an endpoint (it named any variable)', async () => {
    process.env.LEAFE_TEST_UNRELATED_SECRET = 'aws-secret-42'
    try {
      const refused = await call(serve, 'endpoints.save', { name: 'exfil', baseUrl: stub.url, model: 'stub-model', settings: { keyEnv: 'LEAFE_TEST_UNRELATED_SECRET' } })
      expect(refused).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/settings\.keyEnv: must name a LEAFE_ENDPOINT_KEY_/) } })
      expect((await ok(serve, 'endpoints.list', {})).map((e: { name: string }) => e.name)).not.toContain('exfil')
      // A row saved before the rule still names the variable: probing it must not send it.
      await ok(serve, 'endpoints.save', { name: 'exfil', baseUrl: stub.url, model: 'stub-model' })
      serve.db.prepare(`UPDATE endpoints SET config = json_set(config, '$.keyEnv', 'LEAFE_TEST_UNRELATED_SECRET') WHERE name = 'exfil'`).run()
      const before = stub.requests.length
      await ok(serve, 'endpoints.probe', { name: 'exfil' })
      expect(stub.requests.length).toBeGreaterThan(before)
      expect(stub.requests.slice(before).map((r) => r.auth ?? '')).not.toContainEqual(expect.stringContaining('aws-secret-42'))
      await ok(serve, 'endpoints.remove', { name: 'exfil' })
    } finally {
      delete process.env.LEAFE_TEST_UNRELATED_SECRET
    }
  })

  it('keeps keys in the keychain on the desktop, and says where to put them in serve', async () => {
    await ok(serve, 'endpoints.save', { name: 'hosted', baseUrl: stub.url, model: 'stub-model' })
    const refused = await call(serve, 'endpoints.setKey', { name: 'hosted', key: 'sk-live-1' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/no keychain .* set LEAFE_ENDPOINT_KEY_HOSTED in its environment/) } })

    await ok(desktop, 'endpoints.save', { name: 'hosted', baseUrl: stub.url, model: 'stub-model' })
    const kept = await ok(desktop, 'endpoints.setKey', { name: 'hosted', key: 'sk-live-1' })
    expect(kept.key).toEqual({ source: 'keychain', present: true, variable: 'LEAFE_ENDPOINT_KEY_HOSTED' })
    expect(JSON.stringify(kept)).not.toContain('sk-live-1')
    const before = stub.requests.length
    await ok(desktop, 'endpoints.probe', { name: 'hosted' })
    expect(stub.requests.slice(before).every((r) => r.auth === 'Bearer sk-live-1')).toBe(true)
    const forgotten = await ok(desktop, 'endpoints.setKey', { name: 'hosted', key: null })
    expect(forgotten.key.present).toBe(false)
  })

  it('manages remote environments and per-environment prompts, and refuses a template that cannot work', async () => {
    const profiles = await ok(serve, 'remoteEnvs.profiles', {})
    expect(profiles.map((p: { name: string }) => p.name)).toEqual(['alfworld', 'webshop', 'sciworld'])
    expect(await call(serve, 'remoteEnvs.save', { name: 'sokoban', baseUrl: 'http://127.0.0.1:1', profile: 'alfworld', splits: { test: [0, 10] } })).toMatchObject({
      ok: false, error: { code: 'conflict' },
    })
    expect(await call(serve, 'remoteEnvs.save', { name: 'x', baseUrl: 'http://127.0.0.1:1', profile: 'textcraft', splits: { test: [0, 10] } })).toMatchObject({
      ok: false, error: { message: expect.stringMatching(/no built-in profile "textcraft".*pass a profile file/) },
    })
    await ok(serve, 'remoteEnvs.save', { name: 'alf', baseUrl: 'http://127.0.0.1:1', profile: 'alfworld', splits: { test: [0, 10] }, timeoutS: 1 })
    const check = await ok(serve, 'remoteEnvs.check', { name: 'alf' })
    expect(check).toMatchObject({ ok: false, message: expect.stringMatching(/alf server, POST \/create: cannot reach/) })
    expect((await ok(serve, 'envs.list', {})).map((e: { id: string }) => e.id)).toEqual(expect.arrayContaining(['sokoban', 'household', 'alf']))

    const p = await ok(serve, 'prompts.get', { env: 'alf' })
    expect(p).toMatchObject({ env: 'alf', templateIsDefault: true, extraction: { kind: 'env' } })
    expect(p.defaultTemplate).toContain('In this household world')
    const bad = await call(serve, 'prompts.set', { env: 'alf', reflectionTemplate: 'Just fix it.' })
    expect(bad).toMatchObject({ ok: false, error: { message: 'Reflection template for alf: the template must contain {{trajectory}}, or the model sees no steps to blame.' } })
    const edited = await ok(serve, 'prompts.set', { env: 'alf', reflectionTemplate: 'Steps:\n{{trajectory}}\nJSON please.', extraction: { kind: 'regex', pattern: 'ACT: (.*)' } })
    expect(edited).toMatchObject({ templateIsDefault: false, reflectionTemplate: 'Steps:\n{{trajectory}}\nJSON please.', extraction: { kind: 'regex', pattern: 'ACT: (.*)', group: 1 } })
    const reset = await ok(serve, 'prompts.set', { env: 'alf', reflectionTemplate: null })
    expect(reset).toMatchObject({ templateIsDefault: true, extraction: { kind: 'regex' } })
    expect(await call(serve, 'prompts.get', { env: 'nowhere' })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/no environment "nowhere"/) } })
    await ok(serve, 'remoteEnvs.remove', { name: 'alf' })
  })

  it('registers a served checkpoint with its lineage, and keeps its endpoint while it is used', async () => {
    await ok(serve, 'endpoints.save', { name: 'lora-host', baseUrl: stub.url, model: 'stub-model' })
    const base = await ok(serve, 'checkpoints.addServed', { name: 'base 7B', endpoint: 'lora-host' })
    const tuned = await ok(serve, 'checkpoints.addServed', { name: 'LEAFE adapter', endpoint: 'lora-host', model: 'stub-model-lora', parentId: base.id })
    expect(tuned).toMatchObject({ kind: 'endpoint', parentId: base.id, lineage: [{ id: base.id, name: 'base 7B' }], config: { endpoint: 'lora-host', model: 'stub-model-lora' } })
    expect(base.config).toEqual({ endpoint: 'lora-host', model: 'stub-model' })
    expect(await call(serve, 'endpoints.remove', { name: 'lora-host' })).toMatchObject({
      ok: false, error: { code: 'conflict', message: expect.stringMatching(/serves checkpoints \d+ \(base 7B\), \d+ \(LEAFE adapter\); it stays while they do/) },
    })
    expect(await call(serve, 'checkpoints.addServed', { name: 'x', endpoint: 'missing' })).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })
})
