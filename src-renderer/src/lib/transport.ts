// Picks how the UI reaches the engine: the preload bridge inside Electron, otherwise HTTP and a
// WebSocket to `serve`, authenticated with the token from the page's URL.
import { createClient, type Client, type Transport } from '../../../src-main/api/client.ts'
import type { EventName, MethodName, Reply } from '../../../src-main/api/contract.ts'

type Bridge = {
  call(method: string, input: unknown): Promise<unknown>
  subscribe(listener: (event: string, payload: unknown) => void): () => void
}

declare global {
  interface Window {
    leafe?: Bridge
  }
}

const TOKEN_KEY = 'leafe.token'

/** Takes the token out of the address bar (so it is not shared by copy-paste) and keeps it for this tab. */
export function takeToken(): string | null {
  const url = new URL(window.location.href)
  const fromUrl = url.searchParams.get('token')
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl)
    url.searchParams.delete('token')
    history.replaceState(null, '', url.pathname + url.search + url.hash)
    return fromUrl
  }
  return sessionStorage.getItem(TOKEN_KEY)
}

function bridgeTransport(bridge: Bridge): Transport {
  return {
    call: (method, input) => bridge.call(method, input) as Promise<Reply<unknown>>,
    subscribe: (listener) => bridge.subscribe((e, p) => listener(e as EventName, p)),
  }
}

export type ConnectionListener = (state: 'open' | 'closed') => void

function httpTransport(token: string | null, onConnection: ConnectionListener): Transport {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (token) headers['x-leafe-token'] = token
  return {
    async call(method: MethodName, input: unknown) {
      let res: Response
      try {
        res = await fetch(`api/${encodeURIComponent(method)}`, { method: 'POST', headers, body: JSON.stringify(input ?? {}) })
      } catch (err) {
        return { ok: false, error: { code: 'internal', message: `The engine cannot be reached (${(err as Error).message}). Is \`leafe serve\` still running?` } }
      }
      try {
        return (await res.json()) as Reply<unknown>
      } catch {
        return { ok: false, error: { code: 'internal', message: `The engine answered ${res.status} ${res.statusText} without a readable body.` } }
      }
    },
    subscribe(listener) {
      let socket: WebSocket | undefined
      let stopped = false
      let delay = 500
      const connect = () => {
        const wsUrl = new URL('ws', window.location.href)
        wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:'
        if (token) wsUrl.searchParams.set('token', token)
        socket = new WebSocket(wsUrl)
        socket.onopen = () => {
          delay = 500
          onConnection('open')
        }
        socket.onmessage = (m) => {
          try {
            const { event, payload } = JSON.parse(String(m.data)) as { event: EventName; payload: unknown }
            listener(event, payload)
          } catch {
            // A frame we cannot read is dropped; the next update carries the full state again.
          }
        }
        socket.onclose = () => {
          onConnection('closed')
          if (!stopped) setTimeout(connect, (delay = Math.min(delay * 2, 10_000)))
        }
      }
      connect()
      return () => {
        stopped = true
        socket?.close()
      }
    },
  }
}

export function connect(onConnection: ConnectionListener): { client: Client; via: 'ipc' | 'http' } {
  if (window.leafe) {
    onConnection('open')
    return { client: createClient(bridgeTransport(window.leafe)), via: 'ipc' }
  }
  return { client: createClient(httpTransport(takeToken(), onConnection)), via: 'http' }
}
