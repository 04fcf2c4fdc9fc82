import { timingSafeEqual } from 'node:crypto'
import type { EventEmitter } from 'node:events'
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, sep } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import { eventNames, type ApiErrorBody, type Reply, type Service } from './contract.ts'
import { badRequest, dispatch } from './dispatch.ts'

export type HttpServerOptions = {
  service: Service
  /** Emits the contract's events; each is forwarded to every connected WebSocket. */
  events: EventEmitter
  /** The built renderer (out/renderer); null serves the API only. */
  staticDir: string | null
  token: string
  host?: string
  port?: number
  log?: (message: string) => void
}

export type RunningServer = { url: string; host: string; port: number; close(): Promise<void> }

const MAX_BODY = 16 * 1024 * 1024
const COOKIE = 'leafe_token'

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
}

const statusFor: Record<ApiErrorBody['code'], number> = {
  bad_request: 400,
  unknown_method: 404,
  not_found: 404,
  conflict: 409,
  unauthorized: 401,
  internal: 500,
}

function sameToken(given: string | undefined | null, token: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === COOKIE) return decodeURIComponent(v.join('='))
  }
  return undefined
}

/** The token may come as a bearer header, an x-leafe-token header, ?token=, or the cookie set on first load. */
function presentedToken(req: IncomingMessage, url: URL): string | undefined {
  const auth = req.headers.authorization
  if (auth?.startsWith('Bearer ')) return auth.slice(7)
  const header = req.headers['x-leafe-token']
  if (typeof header === 'string') return header
  return url.searchParams.get('token') ?? cookieToken(req)
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  })
  res.end(text)
}

function sendError(res: ServerResponse, error: ApiErrorBody): void {
  sendJson(res, statusFor[error.code], { ok: false, error } satisfies Reply<never>)
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) {
        reject(new Error(`request body larger than ${MAX_BODY} bytes`))
        req.destroy()
      } else chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

const csp = (host: string) =>
  [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ws://${host}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ')

/**
 * `serve`: the contract over HTTP (POST /api/<method>) and WebSocket (/ws, events), plus the
 * built renderer. Binds loopback unless told otherwise; every request needs the per-start token.
 */
export async function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1'
  const log = opts.log ?? ((m: string) => console.error(m))

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      log(`serve: ${(err as Error).stack ?? err}`)
      if (!res.headersSent) sendError(res, { code: 'internal', message: 'The server failed to handle this request.' })
      else res.end()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const given = presentedToken(req, url)
    if (!sameToken(given, opts.token)) {
      if (url.pathname.startsWith('/api/')) {
        sendError(res, { code: 'unauthorized', message: 'Missing or wrong access token: open the URL that `serve` printed.' })
      } else {
        res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' })
        res.end('401 Unauthorized: open the URL that `leafe serve` printed (it carries the access token).\n')
      }
      return
    }

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') {
        sendError(res, badRequest('Use POST with a JSON body for API calls.'))
        return
      }
      let input: unknown
      try {
        const text = await readBody(req)
        input = text.trim() === '' ? {} : JSON.parse(text)
      } catch (err) {
        sendError(res, badRequest(`The request body is not valid JSON: ${(err as Error).message}`))
        return
      }
      const reply = await dispatch(opts.service, decodeURIComponent(url.pathname.slice(5)), input, log)
      if (reply.ok) sendJson(res, 200, reply)
      else sendError(res, reply.error)
      return
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end()
      return
    }
    serveStatic(req, res, url)
  }

  function serveStatic(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (!opts.staticDir) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('No UI is served by this instance.\n')
      return
    }
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '')
    const file = normalize(join(opts.staticDir, rel))
    if (!file.startsWith(normalize(opts.staticDir) + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found.\n')
      return
    }
    const type = contentTypes[extname(file)] ?? 'application/octet-stream'
    const headers: Record<string, string> = { 'content-type': type, 'x-content-type-options': 'nosniff' }
    if (type.startsWith('text/html')) {
      headers['content-security-policy'] = csp(req.headers.host ?? host)
      headers['cache-control'] = 'no-store'
      headers['referrer-policy'] = 'no-referrer'
      // The page's own later requests (scripts, API, WebSocket) carry the token in this cookie.
      headers['set-cookie'] = `${COOKIE}=${encodeURIComponent(opts.token)}; HttpOnly; SameSite=Strict; Path=/`
    }
    res.writeHead(200, headers)
    if (req.method === 'HEAD') res.end()
    else createReadStream(file).pipe(res)
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 })
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const originOk = !req.headers.origin || new URL(req.headers.origin).host === req.headers.host
    if (url.pathname !== '/ws' || !sameToken(presentedToken(req, url), opts.token) || !originOk) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      socket.destroy()
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })
  // Clients only listen; anything they send is ignored rather than parsed.
  wss.on('connection', (ws: WebSocket) => ws.on('message', () => undefined))

  const forwarders = eventNames.map((event) => {
    const fn = (payload: unknown) => {
      const text = JSON.stringify({ event, payload })
      for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(text)
    }
    opts.events.on(event, fn)
    return () => opts.events.off(event, fn)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => resolve())
  })
  const addr = server.address() as AddressInfo
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address
  return {
    host: addr.address,
    port: addr.port,
    url: `http://${shownHost}:${addr.port}/?token=${encodeURIComponent(opts.token)}`,
    close: async () => {
      for (const off of forwarders) off()
      for (const client of wss.clients) client.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
