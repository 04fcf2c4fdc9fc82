import { parseArgs } from 'node:util'
import type { PolicySpec } from '../shared/jobs/explore.ts'
import { parseBackendPreference } from '../core/model/backend.ts'

/** A CLI mistake: printed as one line with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** One flag: its type, and what `--help` says of it — a description and the default it falls back to. */
export type FlagSpec = {
  type: 'string' | 'boolean'
  short?: string
  multiple?: boolean
  /** What the value is, shown after the flag ("N", "FILE"); strings only. */
  value?: string
  help?: string
  /** The default as a person reads it (display only: the command applies its own). */
  defaultText?: string
}
type Options = Record<string, FlagSpec>

/** `--help` anywhere: the command's flags, rendered by parse() from the very table it parses with. */
export class HelpRequested extends Error {
  constructor(readonly flags: string) {
    super('help requested')
    this.name = 'HelpRequested'
  }
}

/** Options every engine command takes. */
export const commonOptions = {
  'data-dir': { type: 'string', value: 'DIR', help: 'the data directory', defaultText: "$LEAFE_DATA_DIR, else the desktop app's folder" },
  /** The TF.js backend for this process and the threads it starts (auto, node-gpu, webgpu, node, wasm, cpu). */
  backend: { type: 'string', value: 'B', help: 'force a TF.js backend: auto, node-gpu, webgpu, node, wasm or cpu', defaultText: 'the setting' },
  help: { type: 'boolean', short: 'h', help: 'show these options' },
} as const satisfies Options

/** The options table as `--help` shows it: one line per flag, with its description and default. */
export function flagTable(options: Options): string {
  const rows = Object.entries(options).map(([name, o]) => [`${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`, `${o.help ?? ''}${o.defaultText !== undefined ? ` (default: ${o.defaultText})` : ''}`] as const)
  const width = Math.max(...rows.map(([f]) => f.length))
  return rows.map(([f, h]) => `  ${f.padEnd(width)}  ${h}`).join('\n')
}

/**
 * A value that starts with "-" but is a number ("--tasks -4") is taken as the flag's value, so
 * the range check can say what is wrong with it, instead of parseArgs' "argument is ambiguous".
 */
function joinNegativeNumbers(argv: string[], options: Options): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    const next = argv[i + 1]
    const name = a.startsWith('--') ? a.slice(2) : undefined
    if (name && !name.includes('=') && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`)
      i++
    } else out.push(a)
  }
  return out
}

export function parse<O extends Options>(argv: string[], options: O, allowPositionals = false) {
  const all = { ...commonOptions, ...options }
  if (argv.includes('--help') || argv.includes('-h')) throw new HelpRequested(flagTable(all))
  // parseArgs takes only its own keys; the help texts stay here.
  const config = Object.fromEntries(
    Object.entries(all).map(([k, o]) => [k, { type: o.type, ...('short' in o && o.short ? { short: o.short } : {}), ...('multiple' in o && o.multiple ? { multiple: true } : {}) }]),
  ) as { [K in keyof typeof all]: Pick<(typeof all)[K], Extract<keyof (typeof all)[K], 'type' | 'short' | 'multiple'>> }
  let parsed
  try {
    parsed = parseArgs({ args: joinNegativeNumbers(argv, all), options: config, allowPositionals, strict: true })
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]!)
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

/** A string flag for an options table: what its value is, what it does, and its default. */
export const str = (value: string, help: string, defaultText?: string | number): { type: 'string'; value: string; help: string; defaultText?: string } => ({
  type: 'string',
  value,
  help,
  ...(defaultText !== undefined ? { defaultText: String(defaultText) } : {}),
})
/** A boolean flag for an options table. */
export const bool = (help: string): { type: 'boolean'; help: string } => ({ type: 'boolean', help })
