// Imports coding benchmarks into task sets: MBPP (text, code, test_list, task_id), HumanEval
// (task_id, prompt, entry_point, canonical_solution, test) and HumanEval-X (the same with a
// declaration and example tests, entry point read from the prompt). All or nothing: a line that
// does not parse, or a reference solution that does not pass its own tests in the sandbox, stops
// the import with that line named and nothing stored.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { basename } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { z } from 'zod'
import { EngineError } from '../../errors.ts'
import { createTaskSet, type TaskSetInfo } from '../../store/tasks.ts'
import type { DB } from '../../store/db.ts'
import { languageNames, type Lang } from '../../sandbox/limits.ts'
import { mapPool } from '../../pool.ts'
import type { Task } from '../types.ts'
import { grade } from './grade.ts'
import { fenced } from './renderer.ts'
import { clip, type CodeTest, type TestResult } from './run-tests.ts'
import { CODE_ENV, type CodeTaskMeta } from './tasks.ts'

export const importFormats = ['mbpp', 'humaneval', 'humaneval-x'] as const
export type ImportFormat = (typeof importFormats)[number]

export const defaultLang: Record<ImportFormat, Lang> = { mbpp: 'py', humaneval: 'py', 'humaneval-x': 'js' }

/** A parsed task with the line it came from, for error messages. */
type Parsed = { line: number; task: Task; derivedVisible: boolean }

const bad = (line: number, why: string) => new EngineError('bad_request', `Line ${line}: ${why}`)

const mbppLine = z.object({
  task_id: z.union([z.number(), z.string()]),
  text: z.string().optional(),
  prompt: z.string().optional(),
  code: z.string().min(1),
  test_list: z.array(z.string()).min(1),
  test_setup_code: z.string().optional(),
  test_imports: z.array(z.string()).optional(),
  challenge_test_list: z.array(z.string()).optional(),
})

const humanevalLine = z.object({
  task_id: z.string().min(1),
  prompt: z.string().min(1),
  entry_point: z.string().min(1),
  canonical_solution: z.string(),
  test: z.string().min(1),
})

const humanevalXLine = z.object({
  task_id: z.string().min(1),
  prompt: z.string().min(1),
  canonical_solution: z.string(),
  test: z.string().min(1),
  declaration: z.string().optional(),
  example_test: z.string().optional(),
})

function fieldError(err: z.ZodError, format: ImportFormat): string {
  const first = err.issues[0]!
  const field = first.path.join('.') || 'the line'
  const need: Record<ImportFormat, string> = {
    mbpp: 'MBPP lines need task_id, text, code and test_list',
    humaneval: 'HumanEval lines need task_id, prompt, entry_point, canonical_solution and test',
    'humaneval-x': 'HumanEval-X lines need task_id, prompt, canonical_solution and test',
  }
  const what = first.code === 'invalid_type' && /received undefined/.test(first.message) ? `field "${field}" is missing` : `field "${field}": ${first.message}`
  return `${what} (${need[format]}).`
}

/** The file's text; .gz files (HumanEval-X ships gzipped) are unpacked. */
export function readTaskFile(path: string): { text: string; sha256: string } {
  const raw = readFileSync(path)
  const sha256 = createHash('sha256').update(raw).digest('hex')
  let data = raw
  if (raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      data = gunzipSync(raw)
    } catch (err) {
      // zlib says only "unexpected end of file": say which file and what that means.
      const truncated = (err as { code?: string }).code === 'Z_BUF_ERROR'
      throw new EngineError('bad_request', `${path}: ${truncated ? `the gzip data ends early (the file is truncated: ${raw.length} bytes; download it again)` : `not valid gzip data (${(err as Error).message})`}; nothing was imported.`)
    }
  }
  return { text: data.toString('utf8'), sha256 }
}

export function parseTaskFile(text: string, format: ImportFormat, lang: Lang = defaultLang[format], split = 'test'): Parsed[] {
  if (format === 'mbpp' && lang !== 'py') throw new EngineError('bad_request', 'MBPP tasks are Python: use --lang py (or leave it out).')
  if (format === 'humaneval' && lang !== 'py') {
    throw new EngineError('bad_request', 'HumanEval-format files are Python; for JavaScript use --format humaneval-x.')
  }
  const out: Parsed[] = []
  const firstLine = new Map<string, number>()
  const lines = text.split('\n')
  lines.forEach((raw, i) => {
    const line = i + 1
    if (!raw.trim()) return
    let json: unknown
    try {
      json = JSON.parse(raw)
    } catch (err) {
      throw bad(line, `not valid JSON (${(err as Error).message}).`)
    }
    const p = format === 'mbpp' ? mbppTask(json, line, split) : format === 'humaneval' ? humanevalTask(json, line, split) : humanevalXTask(json, line, split, lang)
    const seen = firstLine.get(p.task.id)
    if (seen !== undefined) throw bad(line, `task_id "${p.task.id}" appears twice (first on line ${seen}).`)
    firstLine.set(p.task.id, line)
    out.push(p)
  })
  if (!out.length) throw new EngineError('bad_request', 'The file has no tasks (it is empty or only blank lines).')
  return out
}

function task(id: string, line: number, split: string, instruction: string, meta: CodeTaskMeta): Task {
  return { env: CODE_ENV, id, split, seed: line, instruction, meta }
}

function mbppTask(json: unknown, line: number, split: string): Parsed {
  const r = mbppLine.safeParse(json)
  if (!r.success) throw bad(line, fieldError(r.error, 'mbpp'))
  const d = r.data
  const text = d.text ?? d.prompt
  if (!text) throw bad(line, 'field "text" is missing (MBPP lines need task_id, text, code and test_list).')
  const defined = [...d.code.matchAll(/^def\s+(\w+)\s*\(/gm)].map((m) => m[1]!)
  const entry = defined.find((f) => new RegExp(`\\b${f}\\s*\\(`).test(d.test_list[0]!))
  if (!entry) {
    throw bad(line, `none of the functions the code defines (${defined.join(', ') || 'none'}) is called by the first test.`)
  }
  const setup = [d.test_setup_code ?? '', ...(d.test_imports ?? [])].filter((s) => s.trim()).join('\n')
  const asTest = (t: string): CodeTest => ({ kind: 'code', code: setup ? `${setup}\n${t}` : t })
  const instruction = `${text.trim()}\n\nYour code should pass tests like this one:\n  ${d.test_list[0]}`
  return {
    line,
    derivedVisible: false,
    task: task(`mbpp/${d.task_id}`, line, split, instruction, {
      lang: 'py',
      entry,
      visible: [asTest(d.test_list[0]!)],
      hidden: [...d.test_list, ...(d.challenge_test_list ?? [])].map(asTest),
      reference: d.code,
      source: 'mbpp',
    }),
  }
}

/**
 * HumanEval has no visible tests, only the examples in its docstrings: ">>> call" followed by
 * the result, or prose such as "call ==> result", "call ➞ result", "call returns result". They
 * become assert tests; import keeps those its reference solution passes, since some examples are
 * prose rather than exact values.
 */
export function docExamples(prompt: string, entry: string): CodeTest[] {
  const tests: CodeTest[] = []
  const assertion = (call: string, expected: string[]): CodeTest =>
    // Parenthesised over several lines, so a trailing comment on the call cannot swallow the rest.
    ({ kind: 'code', code: `assert (\n    ${call}\n) == (\n    ${expected.join('\n    ')}\n)` })
  const lines = prompt.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const doctest = /^\s*>>>\s?(.*)$/.exec(lines[i]!)
    if (doctest) {
      if (!new RegExp(`\\b${entry}\\s*\\(`).test(doctest[1]!)) continue
      const expected: string[] = []
      for (let j = i + 1; j < lines.length; j++) {
        const l = lines[j]!.trim()
        if (!l || l.startsWith('>>>') || l.startsWith('"""') || l.startsWith("'''")) break
        expected.push(l.replace(/("""|''')\s*$/, ''))
      }
      if (expected.length) tests.push(assertion(doctest[1]!, expected))
      continue
    }
    const call = callAt(lines[i]!, entry)
    if (!call) continue
    const prose = /^\s*(?:==>|==|=>|->|➞|should return|returns?|=)\s*(.+?)\s*$/.exec(lines[i]!.slice(call.end))
    if (prose) tests.push(assertion(call.text, [prose[1]!.replace(/[.,]$/, '')]))
  }
  return tests
}

/** A call of `entry` at the start of a line (after indentation), with its end position. */
function callAt(line: string, entry: string): { text: string; end: number } | null {
  const m = new RegExp(`^\\s*(${entry}\\s*\\()`).exec(line)
  if (!m) return null
  let depth = 0
  let quote: string | null = null
  for (let i = m.index + m[0].length - 1; i < line.length; i++) {
    const c = line[i]!
    if (quote) {
      if (c === '\\') i++
      else if (c === quote) quote = null
    } else if (c === '"' || c === "'") quote = c
    else if (c === '(' || c === '[' || c === '{') depth++
    else if (c === ')' || c === ']' || c === '}') {
      if (--depth === 0) return { text: line.slice(m.index + m[0].length - m[1]!.length, i + 1), end: i + 1 }
    }
  }
  return null
}

const pyCheckCall = (test: string, entry: string) => (/^check\(/m.test(test) ? test : `${test.replace(/\s+$/, '')}\n\n\ncheck(${entry})\n`)

function humanevalTask(json: unknown, line: number, split: string): Parsed {
  const r = humanevalLine.safeParse(json)
  if (!r.success) throw bad(line, fieldError(r.error, 'humaneval'))
  const d = r.data
  if (!new RegExp(`def\\s+${d.entry_point}\\s*\\(`).test(d.prompt)) throw bad(line, `the prompt does not define the entry point "${d.entry_point}".`)
  return {
    line,
    derivedVisible: true,
    task: task(d.task_id, line, split, completeInstruction('py', d.prompt), {
      lang: 'py',
      entry: d.entry_point,
      visible: docExamples(d.prompt, d.entry_point),
      hidden: [{ kind: 'code', code: pyCheckCall(d.test, d.entry_point) }],
      reference: d.prompt + d.canonical_solution,
      source: 'humaneval',
    }),
  }
}

function humanevalXTask(json: unknown, line: number, split: string, lang: Lang): Parsed {
  const r = humanevalXLine.safeParse(json)
  if (!r.success) throw bad(line, fieldError(r.error, 'humaneval-x'))
  const d = r.data
  // The function to write is the last one the prompt declares (earlier ones are given helpers).
  const pattern = lang === 'js' ? /(?:const|let|var)\s+(\w+)\s*=\s*(?:async\s*)?(?:\([^)]*\)|\w+)\s*=>|function\s+(\w+)\s*\(/g : /^def\s+(\w+)\s*\(/gm
  const entry = [...d.prompt.matchAll(pattern)].map((m) => m[1] ?? m[2]).at(-1)
  if (!entry) throw bad(line, `the prompt declares no ${languageNames[lang]} function to complete.`)
  const testCode = (code: string): CodeTest => ({ kind: 'code', code: lang === 'py' ? pyCheckCall(code, entry) : code })
  return {
    line,
    derivedVisible: false,
    task: task(d.task_id, line, split, completeInstruction(lang, d.prompt), {
      lang,
      entry,
      visible: d.example_test?.trim() ? [testCode(d.example_test)] : [],
      hidden: [testCode(d.test)],
      reference: d.prompt + d.canonical_solution,
      source: 'humaneval-x',
    }),
  }
}

const completeInstruction = (lang: Lang, prompt: string) =>
  `Complete the ${languageNames[lang]} code below so that the last function does what its comment says. Reply with the whole program, the given code included.\n\n${fenced(prompt, lang)}`

export type VerifyProgress = (done: number, total: number, failed: number) => void

export type Skipped = { line: number; id: string; reason: string }

/**
 * Runs every task's reference solution in the sandbox, several at a time. A reference that fails
 * its tests stops the import, naming the lines — or, with skipFailing, leaves those tasks out and
 * lists them. Derived docstring examples the reference does not pass are dropped instead.
 */
export async function verifyReferences(
  parsed: Parsed[],
  opts: { signal?: AbortSignal; onProgress?: VerifyProgress; concurrency?: number; skipFailing?: boolean } = {},
): Promise<{ tasks: Task[]; skipped: Skipped[] }> {
  let done = 0
  const failures: Skipped[] = []
  const checked = await mapPool(
    parsed,
    opts.concurrency ?? availableParallelism(),
    async (p): Promise<Task | null> => {
      const meta = p.task.meta as CodeTaskMeta
      // A busy machine must not fail a correct reference on the wall clock: CPU time still bounds it.
      const g = await grade(meta, meta.reference, { signal: opts.signal, limits: { wallMs: 60_000 } })
      if (g.run.outcome === 'cancelled') throw new EngineError('bad_request', 'Cancelled: nothing was imported.')
      let out: Task | null = p.task
      const fail = (reason: string) => {
        failures.push({ line: p.line, id: p.task.id, reason })
        out = null
      }
      if (!g.accepted) fail(g.run.outcome !== 'ran' ? g.run.message : `it fails a hidden test (${failedTest(g.hidden)}).`)
      else if (p.derivedVisible) out = { ...p.task, meta: { ...meta, visible: meta.visible.filter((_, i) => g.visible[i]?.ok) } }
      else if (g.visible.some((r) => !r.ok)) fail(`it fails a visible test (${failedTest(g.visible)}).`)
      opts.onProgress?.(++done, parsed.length, failures.length)
      return out
    },
    opts.signal,
  )
  failures.sort((a, b) => a.line - b.line)
  if (failures.length && !opts.skipFailing) {
    const shown = failures
      .slice(0, 5)
      .map((f) => `line ${f.line} (${f.id}): ${f.reason}`)
      .join('\n  ')
    const more = failures.length > 5 ? `\n  … and ${failures.length - 5} more.` : ''
    throw new EngineError(
      'bad_request',
      `The reference solutions of ${failures.length} of ${parsed.length} tasks do not pass their own tests in the sandbox, so nothing was imported:\n  ${shown}${more}\n(--skip-failing imports the others and lists these.)`,
    )
  }
  return { tasks: checked.filter((t): t is Task => t !== null), skipped: failures }
}

function failedTest(results: TestResult[]): string {
  const f = results.find((r) => !r.ok)
  if (!f) return 'it did not run to the end'
  const detail = f.error ? `error: ${f.error}` : f.actual !== null ? `got ${f.actual}, expected ${f.expected}` : 'assertion failed'
  return `${clip(f.input, 120)} — ${detail}`
}

export type ImportOptions = {
  format: ImportFormat
  /** Leave out tasks whose reference solution fails (listed in the result) instead of stopping. */
  skipFailing?: boolean
  lang?: Lang
  name?: string
  split?: string
  signal?: AbortSignal
  onProgress?: VerifyProgress
  /** Called once the file has parsed, before the references run (so a refusal is the first thing said). */
  onVerifyStart?: (tasks: number) => void
}

/** Parses, verifies and stores a file as one task set; on any error nothing is stored. */
export async function importTaskFile(db: DB, path: string, opts: ImportOptions): Promise<{ set: TaskSetInfo; skipped: Skipped[] }> {
  const { text, sha256 } = readTaskFile(path)
  const lang = opts.lang ?? defaultLang[opts.format]
  const split = opts.split ?? 'test'
  const name = opts.name ?? basename(path).replace(/\.gz$/, '').replace(/\.jsonl?$/, '')
  if (db.prepare('SELECT 1 FROM task_sets WHERE name = ?').get(name)) {
    throw new EngineError('conflict', `A task set named "${name}" already exists: choose another with --name.`)
  }
  const parsed = parseTaskFile(text, opts.format, lang, split)
  opts.onVerifyStart?.(parsed.length)
  const { tasks, skipped } = await verifyReferences(parsed, { signal: opts.signal, onProgress: opts.onProgress, skipFailing: opts.skipFailing })
  if (!tasks.length) throw new EngineError('bad_request', 'No task passed verification: nothing was imported.')
  const params = { format: opts.format, lang, file: basename(path), sha256, skipped: skipped.map((s) => s.id) }
  const set = createTaskSet(db, { name, env: CODE_ENV, split, source: 'imported', params }, tasks)
  return { set, skipped }
}
