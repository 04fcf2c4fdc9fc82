// JSON over HTTP to an environment server, with a timeout per request. Whatever goes wrong — no
// answer, an error status, a body that is not JSON, an error field in a 200 reply — becomes a
// RemoteEnvError that says which server, which call and what it answered.

export class RemoteEnvError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RemoteEnvError'
  }
}

export type Call = { server: string; baseUrl: string; timeoutS: number; errorField: string | null }

export async function postJson(call: Call, path: string, body: unknown): Promise<unknown> {
  return request(call, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
}

export async function getJson(call: Call, path: string, query: Record<string, string | number>): Promise<unknown> {
  const q = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))
  return request(call, `${path}?${q}`, { method: 'GET' })
}

async function request(call: Call, path: string, init: RequestInit): Promise<unknown> {
  const url = call.baseUrl.replace(/\/+$/, '') + path
  const where = `${call.server} server, ${init.method} ${path.split('?')[0]}`
  let res: Response
  let text: string
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(call.timeoutS * 1000) })
    text = await res.text()
  } catch (err) {
    const e = err as Error
    if (e.name === 'TimeoutError') throw new RemoteEnvError(`${where}: no answer within ${call.timeoutS} s.`)
    const cause = (e as { cause?: Error }).cause?.message
    throw new RemoteEnvError(`${where}: cannot reach ${call.baseUrl} (${cause ?? e.message}).`)
  }
  if (!res.ok) throw new RemoteEnvError(`${where}: HTTP ${res.status}${excerpt(text)}.`)
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw new RemoteEnvError(`${where}: the reply is not JSON${excerpt(text)}.`)
  }
  if (call.errorField && data && typeof data === 'object' && !Array.isArray(data)) {
    const said = (data as Record<string, unknown>)[call.errorField]
    if (said !== undefined && said !== null && said !== '') throw new RemoteEnvError(`${where}: the server reported an error: ${String(said).slice(0, 500)}`)
  }
  return data
}

const excerpt = (text: string): string => (text.trim() ? `: ${text.trim().slice(0, 300)}` : '')
