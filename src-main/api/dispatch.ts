import type { z } from 'zod'
import { EngineError } from '../core/errors.ts'
import { StoreError } from '../core/store/db.ts'
import { isMethodName, methods, type ApiErrorBody, type Reply, type Service } from './contract.ts'

/** zod issues as (path, message) pairs a person can act on. */
export function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.length ? i.path.join('.') : '(input)', message: i.message }))
}

export function badRequest(message: string, issues?: ApiErrorBody['issues']): ApiErrorBody {
  return issues ? { code: 'bad_request', message, issues } : { code: 'bad_request', message }
}

/**
 * The one way into the engine from outside: checks the method name, validates the input with
 * the method's schema, calls the service, validates the output, and turns every failure into a
 * typed error body. It never throws, so a malformed request cannot take the engine down.
 */
export async function dispatch(
  service: Service,
  method: unknown,
  rawInput: unknown,
  log: (msg: string) => void = (m) => console.error(m),
): Promise<Reply<unknown>> {
  if (!isMethodName(method)) {
    const name = typeof method === 'string' ? JSON.stringify(method.slice(0, 100)) : `of type ${typeof method}`
    return { ok: false, error: { code: 'unknown_method', message: `There is no method named ${name}.` } }
  }
  const spec = methods[method]
  const parsed = spec.input.safeParse(rawInput ?? {})
  if (!parsed.success) {
    const issues = describeIssues(parsed.error)
    const first = issues[0]!
    return { ok: false, error: badRequest(`Invalid input for ${method}: ${first.path}: ${first.message}`, issues) }
  }
  try {
    const fn = service[method] as (input: unknown) => Promise<unknown>
    const result = await fn.call(service, parsed.data)
    const checked = spec.output.safeParse(result)
    if (!checked.success) {
      log(`engine returned a malformed ${method} result: ${JSON.stringify(describeIssues(checked.error)).slice(0, 500)}`)
      return { ok: false, error: { code: 'internal', message: `The engine produced an invalid result for ${method}.` } }
    }
    return { ok: true, result: checked.data }
  } catch (err) {
    if (err instanceof EngineError) return { ok: false, error: { code: err.code, message: err.message } }
    if (err instanceof StoreError) return { ok: false, error: { code: 'internal', message: err.message } }
    log(`${method} failed: ${(err as Error)?.stack ?? String(err)}`)
    return { ok: false, error: { code: 'internal', message: `${method} failed: ${(err as Error)?.message ?? String(err)}` } }
  }
}
