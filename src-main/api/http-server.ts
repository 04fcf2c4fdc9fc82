import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { EventEmitter } from 'node:events'
import { createReadStream } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { eventNames, type ApiErrorBody, type Reply, type Service } from './contract.ts'
import { badRequest, dispatch } from './dispatch.ts'
import { contentTypeOf, staticFile } from './static-files.ts'

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

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return v.join('=')
  }
  return undefined
}

/**
 * The API takes the token from a header only. Browsers attach cookies to every port of a host and
 * let any page send them (no-cors), and a query string ends up in logs and histories; a header
 * can only be set by a script that already holds the token.
 */
function headerToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization
  if (auth?.startsWith('Bearer ')) return auth.slice(7)
  const header = req.headers['x-leafe-token']
  return typeof header === 'string' ? header : undefined
}

/** `new URL` throws on targets such as `http://[x/ws`; a request that is not a URL gets null. */
function requestUrl(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://localhost')
  } catch {
    return null
  }
}

function decodePath(path: string): string | null {
  try {
    return decodeURIComponent(path)
  } catch {
    return null
  }
}

const HOST_SYNTAX = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/
const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]'])

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

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) {
        // Stop buffering but keep reading, so the client gets the 413 rather than a reset.
        req.removeAllListeners('data')
        req.resume()
        reject(new BodyTooLarge())
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
 * No request, however malformed, may throw out of a handler: that would end the process and the
 * jobs it runs.
 */
export async function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1'
  const log = opts.log ?? ((m: string) => console.error(m))
  // The page's cookie is a key of its own, good for the static UI files only: browsers send it to
  // every port of this host, so it must not be the token and must not open the API.
  const pageKey = randomBytes(24).toString('base64url')
  let port = 0
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(host)
  const pageCookie = () => `leafe_page_${port}`

  /**
   * The Host header, when it names this server: on a loopback bind only a loopback name with our
   * port (so a DNS-rebound name cannot reach the API), anywhere a well-formed host (it goes into
   * the CSP).
   */
  function goodHost(req: IncomingMessage): string | null {
    const given = req.headers.host
    if (!given || !HOST_SYNTAX.test(given)) return null
    if (!loopback) return given
    const m = /^(.*?)(?::(\d+))?$/.exec(given)!
    return LOOPBACK_NAMES.has(m[1]!.toLowerCase()) && Number(m[2]) === port ? given : null
  }

  /** A browser names the page that sent the request; only our own page may use the API. */
  function sameOrigin(req: IncomingMessage, hostHeader: string): boolean {
    const origin = req.headers.origin
    if (origin === undefined) return true // not a browser: it cannot be made to send the token
    return origin === `http://${hostHeader}`
  }

  function refuse(res: ServerResponse, status: number, message: string, api: boolean): void {
    if (api) {
      const code: ApiErrorBody['code'] = status === 401 ? 'unauthorized' : 'bad_request'
      sendJson(res, status, { ok: false, error: { code, message } } satisfies Reply<never>)
    } else {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' })
      res.end(`${status} ${message}\n`)
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      log(`serve: ${(err as Error).stack ?? err}`)
      if (!res.headersSent) sendError(res, { code: 'internal', message: 'The server failed to handle this request.' })
      else res.end()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req)
    const path = url && decodePath(url.pathname)
    const api = (req.url ?? '').startsWith('/api/')
    if (!url || path === null) return refuse(res, 400, 'The request target is not a valid URL path.', api)
    const hostHeader = goodHost(req)
    if (!hostHeader) return refuse(res, 400, 'The Host header does not name this server.', api)

    if (api) {
      if (!sameToken(headerToken(req), opts.token)) {
        return refuse(res, 401, 'Missing or wrong access token: send it in the x-leafe-token header (the URL that `serve` printed carries it).', true)
      }
      if (!sameOrigin(req, hostHeader)) return refuse(res, 403, 'API calls are accepted from the workbench page only (the Origin differs).', true)
      if (req.method !== 'POST') return refuse(res, 400, 'Use POST with a JSON body for API calls.', true)
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
      if (type !== 'application/json') return refuse(res, 415, 'API calls need Content-Type: application/json.', true)
      let input: unknown
      try {
        const text = await readBody(req)
        input = text.trim() === '' ? {} : JSON.parse(text)
      } catch (err) {
        if (err instanceof BodyTooLarge) return refuse(res, 413, `The request body is larger than ${MAX_BODY} bytes.`, true)
        sendError(res, badRequest(`The request body is not valid JSON: ${(err as Error).message}`))
        return
      }
      const reply = await dispatch(opts.service, path.slice(5), input, log)
      if (reply.ok) sendJson(res, 200, reply)
      else sendError(res, reply.error)
      return
    }

    const onPage = sameToken(url.searchParams.get('token'), opts.token) || sameToken(cookieValue(req, pageCookie()), pageKey)
    if (!onPage) return refuse(res, 401, 'Unauthorized: open the URL that `leafe serve` printed (it carries the access token).', false)
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end()
      return
    }
    serveStatic(req, res, path, hostHeader)
  }

  function serveStatic(req: IncomingMessage, res: ServerResponse, path: string, hostHeader: string): void {
    if (!opts.staticDir) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('No UI is served by this instance.\n')
      return
    }
    const file = staticFile(opts.staticDir, path)
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found.\n')
      return
    }
    const type = contentTypeOf(file)
    const headers: Record<string, string> = { 'content-type': type, 'x-content-type-options': 'nosniff' }
    if (type.startsWith('text/html')) {
      headers['content-security-policy'] = csp(hostHeader)
      headers['cache-control'] = 'no-store'
      headers['referrer-policy'] = 'no-referrer'
      // The page's scripts and styles load with this cookie; the page itself sends the token
      // (kept in its tab's sessionStorage) as a header.
      headers['set-cookie'] = `${pageCookie()}=${pageKey}; HttpOnly; SameSite=Strict; Path=/`
    }
    res.writeHead(200, headers)
    if (req.method === 'HEAD') res.end()
    else createReadStream(file).pipe(res)
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 })
  server.on('upgrade', (req, socket, head) => {
    // A browser cannot put a header on a WebSocket, so here the token may come as ?token=.
    const url = requestUrl(req)
    const hostHeader = goodHost(req)
    const token = url && (headerToken(req) ?? url.searchParams.get('token'))
    if (!url || url.pathname !== '/ws' || !hostHeader || !sameOrigin(req, hostHeader) || !sameToken(token, opts.token)) {
      socket.on('error', () => undefined)
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })
  // Clients only listen; anything they send is ignored rather than parsed.
  wss.on('connection', (ws: WebSocket) => ws.on('message', () => undefined))
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
    else socket.destroy()
  })

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
  port = addr.port
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
