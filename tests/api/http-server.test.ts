import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { Job } from '../../src-main/api/contract.ts'
import { startHttpServer, type RunningServer } from '../../src-main/api/http-server.ts'
import { createService } from '../../src-main/api/service.ts'
import { Engine } from '../../src-main/core/engine.ts'
import { countKind } from '../fixtures/count-kind.ts'
import { tempDir } from '../fixtures/tmp.ts'

const token = 'test-token-0123456789'

describe('engine + store + jobs through the HTTP transport', () => {
  let engine: Engine
  let server: RunningServer
  let base: string

  const call = async (method: string, body: unknown, headers: Record<string, string> = { 'x-leafe-token': token }) => {
    const res = await fetch(`${base}/api/${method}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) })
    return { status: res.status, body: (await res.json()) as { ok: boolean; result?: unknown; error?: { code: string; message: string } } }
  }

  beforeAll(async () => {
    engine = new Engine({ dataDir: tempDir(), log: () => undefined })
    engine.jobs.register(countKind)
    server = await startHttpServer({ service: createService(engine), events: engine, staticDir: null, token, log: () => undefined })
    base = `http://127.0.0.1:${server.port}`
  })
  afterAll(async () => {
    await server.close()
    await engine.close()
  })

  it('binds loopback by default', () => {
    expect(server.host).toBe('127.0.0.1')
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=`))
  })

  it('refuses API calls without the token, or with a wrong one', async () => {
    for (const headers of [{}, { 'x-leafe-token': 'wrong' }, { authorization: 'Bearer nope' }] as Record<string, string>[]) {
      const r = await call('engine.status', {}, headers)
      expect(r.status).toBe(401)
      expect(r.body.error?.code).toBe('unauthorized')
    }
    expect((await fetch(`${base}/`)).status).toBe(401)
  })

  it('accepts the token as bearer header, header, query or cookie', async () => {
    expect((await call('engine.status', {}, { authorization: `Bearer ${token}` })).status).toBe(200)
    expect((await fetch(`${base}/api/engine.status?token=${token}`, { method: 'POST' })).status).toBe(200)
    expect((await call('engine.status', {}, { cookie: `leafe_token=${token}` })).status).toBe(200)
  })

  it('refuses the WebSocket without the token', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`)
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)))
    expect(status).toBe(401)
  })

  it('answers malformed payloads with typed errors and keeps serving', async () => {
    expect(await call('jobs.get', '{not json')).toMatchObject({ status: 400, body: { ok: false, error: { code: 'bad_request' } } })
    expect(await call('jobs.get', { id: 'x' })).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } })
    expect(await call('jobs.get', [1, 2])).toMatchObject({ status: 400 })
    expect(await call('jobs.start', { kind: 'test.count', params: { n: 'many' } })).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringMatching(/Invalid parameters for test.count: n/) } },
    })
    expect(await call('no.such.method', {})).toMatchObject({ status: 404, body: { error: { code: 'unknown_method' } } })
    expect(await call('jobs.get', { id: 424242 })).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } })
    const get = await fetch(`${base}/api/engine.status`, { headers: { 'x-leafe-token': token } })
    expect(get.status).toBe(400)
    // Still alive and well.
    const status = await call('engine.status', {})
    expect(status.status).toBe(200)
    expect(status.body.result).toMatchObject({ db: { integrity: 'ok' } })
  })

  it('starts a job over HTTP and streams its progress over the WebSocket', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${token}`)
    await new Promise((r) => ws.once('open', r))
    const seen: Job[] = []
    const finished = new Promise<Job>((resolve) => {
      ws.on('message', (data) => {
        const { event, payload } = JSON.parse(String(data)) as { event: string; payload: Job }
        expect(event).toBe('job.updated')
        seen.push(payload)
        if (payload.status === 'done') resolve(payload)
      })
    })
    const started = await call('jobs.start', { kind: 'test.count', params: { n: 30, delayMs: 10 } })
    expect(started.status).toBe(200)
    const job = await finished
    expect(job.result).toEqual({ counted: 30, resumedFrom: 0 })
    expect(seen.some((j) => j.status === 'running' && j.progress.done > 0 && j.progress.done < 30)).toBe(true)
    const listed = await call('jobs.list', { status: 'done' })
    expect((listed.body.result as Job[]).map((j) => j.id)).toContain(job.id)
    ws.close()
  })
})
