// Runs a program against a list of tests in one sandboxed execution and reads the harness's
// report back into per-test results, naming the test that was running when a limit stopped it.
import { classifyText } from '../../sandbox/classify.ts'
import type { IsolationLevel } from '../../sandbox/command.ts'
import { runSandboxed } from '../../sandbox/isolation.ts'
import type { Lang, Limits } from '../../sandbox/limits.ts'
import { JS_HARNESS } from './harness-js.ts'
import { PY_HARNESS } from './harness-py.ts'

/**
 * A test: `io` calls the entry point with JSON arguments and compares the result with a JSON
 * value (built-in tasks: one test serves both languages); `code` runs test code in the
 * program's language that asserts (MBPP's asserts, HumanEval's check(candidate), HumanEval-X's
 * console.assert).
 */
export type CodeTest = { kind: 'io'; args: unknown[]; expected: unknown } | { kind: 'code'; code: string }

export type TestResult = {
  index: number
  ok: boolean
  /** The call or assertion, as the program's language writes it. */
  input: string
  expected: string | null
  actual: string | null
  error: string | null
}

export type RunOutcome =
  | 'ran' // every test ran to an answer (pass or fail)
  | 'compile_error'
  | 'load_error' // the program raised while being loaded
  | 'no_entry'
  | 'timeout'
  | 'memory'
  | 'output_limit'
  | 'process_limit'
  | 'crashed'
  | 'cancelled'

export type TestRun = {
  outcome: RunOutcome
  /** For every outcome but 'ran': what went wrong, in words an agent can act on. */
  message: string
  results: TestResult[]
  /** The test that was running when the run stopped early, if any. */
  stoppedAt: number | null
  /** What the program itself printed (cut short). */
  stdout: string
  isolation: IsolationLevel
  wallMs: number
}

export const SOLUTION_FILE: Record<Lang, string> = { js: 'solution.js', py: 'solution.py' }

/** Long values in feedback are cut here, with a marker saying how much was cut. */
export const VALUE_LIMIT = 300

export function clip(s: string, limit = VALUE_LIMIT): string {
  return s.length <= limit ? s : `${s.slice(0, limit)}… (${s.length - limit} more characters)`
}

type HarnessEvent = {
  event: 'compile_error' | 'load_error' | 'no_entry' | 'start' | 'result' | 'done'
  i?: number
  ok?: boolean
  message?: string
  input?: string
  expected?: string
  actual?: string
  error?: string
  assertion?: string
  line?: number | null
}

export async function runTests(req: {
  lang: Lang
  source: string
  entry: string
  tests: CodeTest[]
  limits?: Partial<Limits>
  signal?: AbortSignal
}): Promise<TestRun> {
  const { lang } = req
  const main = lang === 'js' ? 'harness.js' : 'harness.py'
  const res = await runSandboxed({
    lang,
    files: {
      [main]: lang === 'js' ? JS_HARNESS : PY_HARNESS,
      [SOLUTION_FILE[lang]]: req.source,
    },
    main,
    // On stdin, read by the harness before the solution loads: no file holds the expected values.
    stdin: JSON.stringify({ entry: req.entry, tests: req.tests, limitChars: VALUE_LIMIT }),
    limits: req.limits,
    signal: req.signal,
  })
  const events: HarnessEvent[] = []
  for (const line of res.channel.split('\n')) {
    if (!line) continue
    try {
      events.push(JSON.parse(line))
    } catch {
      // a line the program wrote over the channel, or one cut by a kill: not the harness's
    }
  }
  const results: TestResult[] = []
  let stoppedAt: number | null = null
  let done = false
  let early: HarnessEvent | undefined
  for (const e of events) {
    if (e.event === 'start') stoppedAt = e.i!
    else if (e.event === 'result' && e.i === stoppedAt) {
      results.push(toResult(e, req.tests[e.i]!, lang, req.entry))
      stoppedAt = null
    } else if (e.event === 'done') done = true
    else if (e.event === 'compile_error' || e.event === 'load_error' || e.event === 'no_entry') early = e
  }
  const base = { results, stoppedAt, stdout: clip(res.stdout, 2000), isolation: res.isolation, wallMs: res.wallMs }
  const during = stoppedAt !== null ? ` while running test ${stoppedAt + 1} (${describeTest(req.tests[stoppedAt]!, lang, req.entry)})` : ''
  // Limits first: a killed run's last words on the channel are not its verdict.
  if (res.status === 'cancelled') return { ...base, outcome: 'cancelled', message: 'Cancelled.' }
  if (res.status === 'timeout' || res.status === 'memory' || res.status === 'output_limit' || res.status === 'process_limit') {
    return { ...base, outcome: res.status, message: `${res.detail.replace(/\.$/, '')}${during}.` }
  }
  // A limit the harness caught as an exception (Python's MemoryError, a refused fork).
  for (const r of results) {
    const seen = r.error ? classifyText(r.error).limit : null
    if (seen === 'memory' || seen === 'process_limit') {
      const limit = seen === 'memory' ? 'Memory limit exceeded' : 'Process limit reached'
      return { ...base, stoppedAt: r.index, outcome: seen, message: `${limit} while running test ${r.index + 1}: ${r.error}` }
    }
  }
  if (early) {
    const outcome = early.event as 'compile_error' | 'load_error' | 'no_entry'
    const seen = classifyText(early.message ?? '').limit
    if (seen === 'memory') return { ...base, outcome: 'memory', message: `Memory limit exceeded while loading the program: ${early.message}` }
    return { ...base, outcome, message: early.message ?? outcome }
  }
  if (!done) {
    const tail = res.stderr.trim().split('\n').slice(-6).join('\n')
    return { ...base, outcome: 'crashed', message: `${res.detail.replace(/\.$/, '')}${during}.${tail ? `\n${clip(tail, 800)}` : ''}` }
  }
  return { ...base, outcome: 'ran', message: '' }
}

function toResult(e: HarnessEvent, test: CodeTest, lang: Lang, entry: string): TestResult {
  return {
    index: e.i!,
    ok: Boolean(e.ok),
    input: e.input ?? (test.kind === 'io' ? callText(entry, test.args, lang) : (e.assertion ?? clip(test.code.trim()))),
    expected: e.expected ?? (test.kind === 'io' ? clip(literal(test.expected, lang)) : null),
    actual: e.actual ?? null,
    error: e.error ?? null,
  }
}

/** How a test reads in feedback: the call for io tests, the first assertion line for test code. */
export function describeTest(test: CodeTest, lang: Lang, entry: string): string {
  if (test.kind === 'io') return clip(callText(entry, test.args, lang))
  const line = test.code.split('\n').find((l) => /assert/.test(l))
  return clip((line ?? test.code).trim())
}

export const callText = (entry: string, args: unknown[], lang: Lang): string => `${entry}(${args.map((a) => literal(a, lang)).join(', ')})`

/** A JSON value as the language writes it (Python's repr, JSON for JavaScript). */
export function literal(v: unknown, lang: Lang): string {
  if (lang === 'js') return JSON.stringify(v) ?? 'undefined'
  if (v === null || v === undefined) return 'None'
  if (typeof v === 'boolean') return v ? 'True' : 'False'
  if (typeof v === 'number') return Number.isInteger(v) || !Number.isFinite(v) ? String(v) : pyFloat(v)
  if (typeof v === 'string') return pyString(v)
  if (Array.isArray(v)) return `[${v.map((x) => literal(x, lang)).join(', ')}]`
  return `{${Object.entries(v as object)
    .map(([k, x]) => `${pyString(k)}: ${literal(x, lang)}`)
    .join(', ')}}`
}

const pyFloat = (x: number) => String(x).replace(/e([+-])(\d)$/, 'e$10$2')

function pyString(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'"
  let out = ''
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    if (ch === '\\') out += '\\\\'
    else if (ch === q) out += `\\${q}`
    else if (ch === '\n') out += '\\n'
    else if (ch === '\t') out += '\\t'
    else if (ch === '\r') out += '\\r'
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`
    else out += ch
  }
  return q + out + q
}
