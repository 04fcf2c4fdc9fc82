// The typed client every UI and test uses. It does not know how messages travel: a Transport
// (the preload bridge, HTTP + WebSocket, or an in-process call) carries them. Pure: no Node.
import type { ApiErrorBody, EventName, EventPayload, Input, MethodName, Output, Reply } from './contract.ts'

export interface Transport {
  call(method: MethodName, input: unknown): Promise<Reply<unknown>>
  /** Subscribes to every engine event; returns the unsubscribe function. */
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void
}

/** An engine error as the caller sees it: the code and the plain-words message. */
export class ApiError extends Error {
  readonly code: ApiErrorBody['code']
  readonly issues: ApiErrorBody['issues']
  constructor(body: ApiErrorBody) {
    super(body.message)
    this.name = 'ApiError'
    this.code = body.code
    this.issues = body.issues
  }
}

export type Client = {
  call<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>>
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

export function createClient(transport: Transport): Client {
  const listeners = new Map<EventName, Set<(payload: never) => void>>()
  let unsubscribe: (() => void) | undefined
  const ensureSubscribed = () => {
    unsubscribe ??= transport.subscribe((event, payload) => {
      for (const l of listeners.get(event) ?? []) l(payload as never)
    })
  }
  return {
    async call(method, input) {
      const reply = await transport.call(method, input)
      if (!reply.ok) throw new ApiError(reply.error)
      return reply.result as never
    },
    on(event, listener) {
      ensureSubscribed()
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      set.add(listener as (payload: never) => void)
      return () => set.delete(listener as (payload: never) => void)
    },
  }
}
