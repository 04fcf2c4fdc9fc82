// Grades one submission: visible and hidden tests in one sandboxed run, split back into the two
// groups, with the feedback an agent gets. Grades are remembered per (task tests, program), so
// replaying a trajectory to roll back gives exactly the feedback it gave the first time, even
// where a time limit depends on how busy the machine is.
import { createHash } from 'node:crypto'
import type { Limits } from '../../sandbox/limits.ts'
import { runTests, type TestResult, type TestRun } from './run-tests.ts'
import type { CodeTaskMeta } from './tasks.ts'

export type Grade = {
  run: Omit<TestRun, 'results'>
  visible: TestResult[]
  hidden: TestResult[]
  /** Every hidden test passed. */
  accepted: boolean
  visiblePassed: number
  /** What the agent is told. */
  feedback: string
  /** One line: the state after this submission. */
  summary: string
}

const CACHE_SIZE = 2000
const cache = new Map<string, Grade>()

const testsKey = new WeakMap<CodeTaskMeta, string>()

function keyOf(meta: CodeTaskMeta, program: string): string {
  let tests = testsKey.get(meta)
  if (!tests) {
    tests = createHash('sha256').update(JSON.stringify([meta.lang, meta.entry, meta.visible, meta.hidden])).digest('hex')
    testsKey.set(meta, tests)
  }
  return createHash('sha256').update(tests).update('\u0000').update(program).digest('hex')
}

export async function grade(meta: CodeTaskMeta, program: string, opts: { limits?: Partial<Limits>; signal?: AbortSignal } = {}): Promise<Grade> {
  const key = keyOf(meta, program)
  const hit = cache.get(key)
  if (hit) {
    cache.delete(key)
    cache.set(key, hit)
    return hit
  }
  const tests = [...meta.visible, ...meta.hidden]
  const run = await runTests({ lang: meta.lang, source: program, entry: meta.entry, tests, limits: opts.limits, signal: opts.signal })
  const g = toGrade(meta, run)
  if (run.outcome !== 'cancelled') {
    cache.set(key, g)
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!)
  }
  return g
}

function toGrade(meta: CodeTaskMeta, run: TestRun): Grade {
  const nv = meta.visible.length
  const visible = run.results.filter((r) => r.index < nv)
  const hidden = run.results.filter((r) => r.index >= nv).map((r) => ({ ...r, index: r.index - nv }))
  const accepted = run.outcome === 'ran' && hidden.length === meta.hidden.length && hidden.every((r) => r.ok)
  const visiblePassed = visible.filter((r) => r.ok).length
  const { results: _, ...rest } = run
  return { run: rest, visible, hidden, accepted, visiblePassed, ...describe(meta, run, visible, accepted, visiblePassed) }
}

const MAX_LISTED = 5

function describe(meta: CodeTaskMeta, run: TestRun, visible: TestResult[], accepted: boolean, passed: number): { feedback: string; summary: string } {
  const nv = meta.visible.length
  if (accepted) return { feedback: 'All tests pass: the program is accepted.', summary: 'accepted' }
  if (run.outcome !== 'ran') {
    const hidden = run.stoppedAt !== null && run.stoppedAt >= nv
    // A limit hit during a hidden test must not reveal that test's input.
    const message = hidden ? run.message.replace(/ while running test \d+[\s\S]*$/, ' while running a hidden test.') : run.message
    const lead: Record<string, string> = {
      compile_error: 'The program does not compile: ',
      load_error: 'The program raised an error while loading: ',
      no_entry: '',
      crashed: 'The program crashed: ',
    }
    const summary: Record<string, string> = {
      compile_error: 'does not compile',
      load_error: 'error while loading',
      no_entry: `no function ${meta.entry}`,
      timeout: 'time limit exceeded',
      memory: 'memory limit exceeded',
      output_limit: 'output limit exceeded',
      process_limit: 'process limit reached',
      crashed: 'crashed',
      cancelled: 'cancelled',
    }
    const passedPart = visible.length ? `\n${passed} of ${nv} visible tests passed before that.` : ''
    return { feedback: `${lead[run.outcome] ?? ''}${message}${passedPart}${printed(run)}`, summary: summary[run.outcome] ?? run.outcome }
  }
  const failures = visible.filter((r) => !r.ok)
  if (nv === 0) return { feedback: 'The program is not accepted: it fails hidden tests.', summary: 'hidden tests fail' }
  if (!failures.length) {
    return {
      feedback: `All ${nv} visible tests pass, but the program is not accepted: it fails hidden tests. Check the cases the examples do not show (empty input, a single item, negative numbers, ties, large values).`,
      summary: `${nv}/${nv} visible pass, hidden tests fail`,
    }
  }
  const lines = [`${passed} of ${nv} visible tests pass.`]
  for (const f of failures.slice(0, MAX_LISTED)) {
    lines.push(f.error ? `Test ${f.index + 1} raised an error:` : `Test ${f.index + 1} failed:`)
    lines.push(`  input:    ${f.input}`)
    if (f.expected !== null) lines.push(`  expected: ${f.expected}`)
    if (f.error) lines.push(`  error:    ${f.error}`)
    else if (f.actual !== null) lines.push(`  actual:   ${f.actual}`)
  }
  if (failures.length > MAX_LISTED) lines.push(`… and ${failures.length - MAX_LISTED} more failing visible tests.`)
  return { feedback: lines.join('\n') + printed(run), summary: `${passed}/${nv} visible pass` }
}

const printed = (run: TestRun): string => (run.stdout.trim() ? `\nThe program printed:\n${run.stdout.trim().slice(0, 500)}` : '')
