import { connect } from 'node:net'
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
  const logged: string[] = []

  const json = { 'content-type': 'application/json' }
  const call = async (method: string, body: unknown, headers: Record<string, string> = { 'x-leafe-token': token, ...json }) => {
    const res = await fetch(`${base}/api/${method}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) })
    return { status: res.status, body: (await res.json()) as { ok: boolean; result?: unknown; error?: { code: string; message: string } } }
  }

  /** Sends raw bytes (for requests fetch refuses to make) and returns what came back first. */
  const raw = (request: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.write(request))
      let got = ''
      socket.on('data', (d) => {
        got += String(d)
        if (got.includes('\r\n\r\n')) {
          socket.destroy()
          resolve(got)
        }
      })
      socket.on('error', reject)
      socket.on('close', () => resolve(got))
    })

  beforeAll(async () => {
    engine = new Engine({ dataDir: tempDir(), log: () => undefined })
    engine.jobs.register(countKind)
    server = await startHttpServer({ service: createService(engine), events: engine, staticDir: null, token, log: (m) => logged.push(m) })
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

  it('takes the API token from a header only, never from the query or a cookie', async () => {
    expect((await call('engine.status', {}, { authorization: `Bearer ${token}`, ...json })).status).toBe(200)
    expect((await fetch(`${base}/api/engine.status?token=${token}`, { method: 'POST', headers: json })).status).toBe(401)
    expect((await call('engine.status', {}, { cookie: `leafe_token=${token}`, ...json })).status).toBe(401)
  })

  it('accepts API calls only as JSON from no page or from its own origin', async () => {
    const text = await call('engine.status', {}, { 'x-leafe-token': token, 'content-type': 'text/plain' })
    expect(text.status).toBe(415)
    expect(text.body.error?.message).toMatch(/Content-Type: application\/json/)
    const foreign = await call('engine.status', {}, { 'x-leafe-token': token, ...json, origin: 'http://127.0.0.1:1' })
    expect(foreign.status).toBe(403)
    const own = await call('engine.status', {}, { 'x-leafe-token': token, ...json, origin: base })
    expect(own.status).toBe(200)
  })

  it('answers a malformed %-escape, a foreign Host and an oversized body with a 4xx, not a 500', async () => {
    const bad = await call('engine.%zz', {})
    expect(bad.status).toBe(400)
    expect(bad.body.error?.message).toMatch(/not a valid URL path/)
    expect((await raw(`GET /%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`)).split(' ')[1]).toBe('400')
    const foreignHost = await raw(`GET /?token=${token} HTTP/1.1\r\nHost: evil.example:${server.port}\r\n\r\n`)
    expect(foreignHost.split(' ')[1]).toBe('400')
    const cspInjection = await raw(`GET /?token=${token} HTTP/1.1\r\nHost: x; script-src *\r\n\r\n`)
    expect(cspInjection.split(' ')[1]).toBe('400')
    const big = await call('engine.status', JSON.stringify({ pad: 'x'.repeat(17 * 1024 * 1024) }))
    expect(big.status).toBe(413)
    expect(logged).toEqual([])
    expect((await call('engine.status', {})).status).toBe(200)
  })

  it('survives WebSocket upgrades whose Origin or target is not a URL (one of them used to end the process)', async () => {
    const upgrade = (target: string, extra: string) =>
      raw(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
        `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`)
    expect(await upgrade(`/ws?token=${token}`, 'Origin: x\r\n')).toMatch(/^HTTP\/1\.1 401/)
    expect(await upgrade('http://[x/ws', '')).toMatch(/^HTTP\/1\.1 (400|401)/)
    expect(await upgrade(`/ws?token=${token}`, 'Origin: http://127.0.0.1:1\r\n')).toMatch(/^HTTP\/1\.1 401/)
    expect(await upgrade(`/ws?token=${token}`, `Origin: http://127.0.0.1:${server.port}\r\n`)).toMatch(/^HTTP\/1\.1 101/)
    expect((await call('engine.status', {})).status).toBe(200)
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
    const get = await fetch(`${base}/api/engine.status`, { headers: { 'x-leafe-token': token, ...json } })
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
