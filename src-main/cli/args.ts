import { parseArgs, type ParseArgsConfig } from 'node:util'
import type { PolicySpec } from '../core/explore/config.ts'

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
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options

export function parse<O extends Options>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options: { ...commonOptions, ...options }, allowPositionals, strict: true })
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
}

/** An integer flag, checked: "--port abc" is a usage error, not NaN. */
export function intFlag(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got "${value}").`)
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
