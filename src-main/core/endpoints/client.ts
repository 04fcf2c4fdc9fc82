// One OpenAI-compatible endpoint, through the official `openai` package: chat or completion
// requests with sampling parameters and a seed, a concurrency limit, a timeout per request, and
// retries with backoff for everything a server or the network can get wrong (429, 5xx, timeouts,
// refused connections, a reply cut off mid-JSON, a reply without choices). The package's own
// retries are off so that every fault goes through one policy and is counted.
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai'
import type { EndpointRecord } from '../../shared/endpoint-config.ts'
import { Limiter } from './limit.ts'

export type Ask = {
  /** The system message (chat); prepended to the prompt in completion mode. */
  system?: string
  prompt: string
  temperature: number
  topP?: number
  seed?: number
  maxTokens?: number
  /** Ask for token log-probabilities (the probe does; policies do not need them). */
  logprobs?: boolean
}

export type Answer = {
  text: string
  /** Requests it took, the successful one included. */
  attempts: number
  finishReason: string | null
  /** Whether the reply carried log-probabilities. */
  logprobs: boolean
}

/** A request that failed for good: after the last retry, or at once when retrying cannot help (401, 404, 400). */
export class EndpointError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
  ) {
    super(message)
    this.name = 'EndpointError'
  }
}

type Fault = { message: string; retry: boolean; waitMs?: number }

const MAX_BACKOFF_MS = 30_000
const MAX_RETRY_AFTER_MS = 60_000

export type ClientOptions = { sleep?: (ms: number, signal?: AbortSignal) => Promise<void> }

export class EndpointClient {
  private readonly api: OpenAI
  private readonly limiter: Limiter
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>

  constructor(
    readonly endpoint: EndpointRecord,
    apiKey: string | undefined,
    opts: ClientOptions = {},
  ) {
    this.api = new OpenAI({
      baseURL: endpoint.baseUrl,
      // Local servers take no key; passing one explicitly also stops the package from reading OPENAI_API_KEY.
      apiKey: apiKey ?? 'none',
      timeout: endpoint.settings.timeoutS * 1000,
      maxRetries: 0,
      logLevel: 'off',
    })
    this.limiter = new Limiter(endpoint.settings.concurrency)
    this.sleep = opts.sleep ?? sleep
  }

  /** One reply, retried as the endpoint's settings say; `model` overrides the endpoint's (e.g. a LoRA adapter). */
  async complete(ask: Ask, opts: { model?: string; signal?: AbortSignal } = {}): Promise<Answer> {
    const { retries, backoffMs } = this.endpoint.settings
    const faults: string[] = []
    for (let attempt = 1; ; attempt++) {
      let fault: Fault
      try {
        const answer = await this.limiter.run(() => this.request(ask, opts.model ?? this.endpoint.model, opts.signal))
        return { ...answer, attempts: attempt }
      } catch (err) {
        if (opts.signal?.aborted || err instanceof APIUserAbortError) throw opts.signal?.reason ?? err
        fault = classify(err, this.endpoint.settings.timeoutS)
      }
      faults.push(fault.message)
      if (!fault.retry || attempt > retries) {
        const tried = attempt === 1 ? '' : ` after ${attempt} attempts (${summarise(faults)})`
        throw new EndpointError(`Endpoint ${this.endpoint.name}: ${fault.message}${tried}.`, attempt)
      }
      const wait = fault.waitMs ?? Math.min(MAX_BACKOFF_MS, backoffMs * 2 ** (attempt - 1))
      await this.sleep(wait, opts.signal)
    }
  }

  /** The model ids the server lists (GET /models). */
  async models(signal?: AbortSignal): Promise<string[]> {
    const ids: string[] = []
    for await (const m of this.api.models.list({ signal })) ids.push(m.id)
    return ids
  }

  private async request(ask: Ask, model: string, signal?: AbortSignal): Promise<Omit<Answer, 'attempts'>> {
    const s = this.endpoint.settings
    const common = {
      model,
      temperature: ask.temperature,
      ...(ask.topP !== undefined && ask.topP < 1 ? { top_p: ask.topP } : {}),
      ...(ask.seed !== undefined ? { seed: ask.seed } : {}),
      max_tokens: ask.maxTokens ?? s.maxTokens,
      ...(s.stop?.length ? { stop: s.stop } : {}),
    }
    if (this.endpoint.mode === 'chat') {
      const reply = await this.api.chat.completions.create(
        {
          ...common,
          messages: [...(ask.system ? [{ role: 'system' as const, content: ask.system }] : []), { role: 'user' as const, content: ask.prompt }],
          ...(ask.logprobs ? { logprobs: true, top_logprobs: 1 } : {}),
        },
        { signal },
      )
      const choice = reply?.choices?.[0]
      if (!choice?.message) throw new EmptyReply()
      return { text: choice.message.content ?? '', finishReason: choice.finish_reason ?? null, logprobs: !!choice.logprobs?.content?.length }
    }
    const reply = await this.api.completions.create(
      { ...common, prompt: ask.system ? `${ask.system}\n\n${ask.prompt}` : ask.prompt, ...(ask.logprobs ? { logprobs: 1 } : {}) },
      { signal },
    )
    const choice = reply?.choices?.[0]
    if (!choice || typeof choice.text !== 'string') throw new EmptyReply()
    return { text: choice.text, finishReason: choice.finish_reason ?? null, logprobs: !!choice.logprobs?.tokens?.length }
  }
}

class EmptyReply extends Error {
  constructor() {
    super('the reply had no choices')
  }
}

function classify(err: unknown, timeoutS: number): Fault {
  if (err instanceof APIConnectionTimeoutError) return { message: `no reply within ${timeoutS} s`, retry: true }
  if (err instanceof APIConnectionError) return { message: `cannot reach the server (${err.cause instanceof Error ? err.cause.message : err.message})`, retry: true }
  if (err instanceof APIError) {
    const status = err.status ?? 0
    const said = serverMessage(err)
    if (status === 408 || status === 409 || status === 429 || status >= 500) {
      return { message: `HTTP ${status}${said}`, retry: true, waitMs: retryAfter(err.headers) }
    }
    const hint = status === 401 || status === 403 ? ' (check the API key)' : status === 404 ? ' (check the base URL and the model name)' : ''
    return { message: `HTTP ${status}${said}${hint}`, retry: false }
  }
  if (err instanceof EmptyReply) return { message: err.message, retry: true }
  if (err instanceof SyntaxError) return { message: `the reply was not valid JSON (${err.message})`, retry: true }
  return { message: (err as Error)?.message ?? String(err), retry: false }
}

function serverMessage(err: APIError): string {
  const m = (err.error as { message?: unknown } | undefined)?.message
  return typeof m === 'string' && m ? `: ${m.slice(0, 300)}` : ''
}

/** Retry-After (seconds or a date) or retry-after-ms, capped; undefined when absent. */
function retryAfter(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'))
  if (Number.isFinite(ms) && ms > 0) return Math.min(ms, MAX_RETRY_AFTER_MS)
  const v = headers?.get('retry-after')
  if (!v) return undefined
  const s = Number(v)
  const wait = Number.isFinite(s) ? s * 1000 : Date.parse(v) - Date.now()
  return Number.isFinite(wait) && wait >= 0 ? Math.min(wait, MAX_RETRY_AFTER_MS) : undefined
}

/** "HTTP 500 ×2; no reply within 5 s" — the faults seen, counted. */
function summarise(faults: string[]): string {
  const counts = new Map<string, number>()
  for (const f of faults) counts.set(f, (counts.get(f) ?? 0) + 1)
  return [...counts].map(([f, n]) => (n > 1 ? `${f} ×${n}` : f)).join('; ')
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(t)
      reject(signal!.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
