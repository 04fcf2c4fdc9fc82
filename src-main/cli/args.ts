import { parseArgs, type ParseArgsConfig } from 'node:util'
import type { PolicySpec } from '../core/explore/config.ts'
import { parseBackendPreference } from '../core/model/backend.ts'

/** A CLI mistake: printed as one line with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

type Options = NonNullable<ParseArgsConfig['options']>

/** Options every engine command takes. */
export const commonOptions = {
  'data-dir': { type: 'string' },
  /** The TF.js backend for this process and the threads it starts (auto, node-gpu, webgpu, node, wasm, cpu). */
  backend: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options

export function parse<O extends Options>(argv: string[], options: O, allowPositionals = false) {
  let parsed
  try {
    parsed = parseArgs({ args: argv, options: { ...commonOptions, ...options }, allowPositionals, strict: true })
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  // --backend wins over the setting the same way LEAFE_TF_BACKEND does, for this process and
  // every worker thread it starts (threads inherit the environment).
  const backend = (parsed.values as { backend?: string }).backend
  if (backend !== undefined) {
    try {
      process.env.LEAFE_TF_BACKEND = parseBackendPreference(backend)
    } catch (err) {
      throw new UsageError(`--backend: ${(err as Error).message}`)
    }
  }
  return parsed
}

/** An integer flag, checked: "--port abc" is a usage error, not NaN. */
export function intFlag(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got "${value}").`)
  return n
}

/** A number flag, checked: "--lr fast" or a value out of range is a usage error. */
export function numberFlag(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number from ${min} to ${max} (got "${value}").`)
  return n
}

/** "random", a checkpoint id, or "endpoint:NAME[/MODEL]" — what --policy and --policies name. */
export function policyFlag(value: string, name: string): PolicySpec {
  const v = value.trim()
  if (v === 'random') return { kind: 'random' }
  const ep = /^endpoint:([^/]+)(?:\/(.+))?$/.exec(v)
  if (ep) return { kind: 'endpoint', endpoint: ep[1]!, ...(ep[2] ? { model: ep[2] } : {}) }
  if (/^\d+$/.test(v)) return { kind: 'checkpoint', id: intFlag(v, name, 1, 2 ** 31)! }
  throw new UsageError(`--${name}: "${v}" is not "random", a checkpoint id or "endpoint:NAME[/MODEL]".`)
}
