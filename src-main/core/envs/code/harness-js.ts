// The JavaScript test harness, run inside the sandbox next to solution.js; the tests come on
// stdin (not in a file the solution could read). It loads
// the solution, runs every test in order and reports each on file descriptor 3 as one JSON line,
// so the program's own output cannot be mistaken for results. console.assert is replaced: in Node
// a failed console.assert only prints, and HumanEval-X tests rely on it, so here a failed
// assertion fails its test. Kept as a string so the bundled engine carries it without file lookups.

export const JS_HARNESS = String.raw`'use strict'
const fs = require('fs')
const vm = require('vm')
const job = JSON.parse(fs.readFileSync(0, 'utf8'))
const LIMIT = job.limitChars
const emit = (o) => fs.writeSync(3, JSON.stringify(o) + '\n')
const realExit = process.exit.bind(process)

const clip = (s) => (s.length <= LIMIT ? s : s.slice(0, LIMIT) + '… (' + (s.length - LIMIT) + ' more characters)')
function show(v) {
  if (v === undefined) return 'undefined'
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v)
  if (typeof v === 'bigint') return v + 'n'
  if (typeof v === 'function') return '[function ' + (v.name || 'anonymous') + ']'
  if (v instanceof Map || v instanceof Set) return v.constructor.name + ' ' + show([...v])
  try {
    const s = JSON.stringify(v)
    return s === undefined ? String(v) : s
  } catch {
    return String(v)
  }
}
function where(err, file) {
  const m = new RegExp(file.replace('.', '\\.') + ':(\\d+)').exec(String(err && err.stack))
  return m ? ' (' + file + ', line ' + m[1] + ')' : ''
}
const describe = (e, file = 'solution.js') =>
  e instanceof Error ? e.name + ': ' + e.message + where(e, file) : 'threw ' + show(e)

// Seeded Math.random: tests that draw random inputs (HumanEval-X does) give the same feedback every run.
let seed = 0x2545f491
Math.random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

class ProgramExit extends Error {}
process.exit = (code) => {
  throw new ProgramExit('the program called process.exit(' + (code ?? '') + ')')
}

// A failed console.assert: recorded (so a test that swallows the throw still fails) and thrown.
let failures = []
class AssertFailed extends Error {}
console.assert = (cond, ...rest) => {
  if (cond) return
  const m = /test\.js:(\d+):(\d+)/.exec(String(new Error().stack))
  const f = { line: m ? Number(m[1]) : null, col: m ? Number(m[2]) : null, message: rest.map(String).join(' ') }
  failures.push(f)
  throw new AssertFailed('assertion failed')
}

function same(a, e) {
  if (typeof e === 'number' && typeof a === 'number') {
    if (Number.isInteger(e) && Number.isInteger(a)) return a === e
    return Math.abs(a - e) <= 1e-9 * Math.max(1, Math.abs(e))
  }
  if (e === null) return a === null || a === undefined
  if (Array.isArray(e)) return Array.isArray(a) && a.length === e.length && e.every((x, i) => same(a[i], x))
  if (typeof e === 'object') {
    if (a === null || typeof a !== 'object' || Array.isArray(a)) return false
    const ka = Object.keys(a), ke = Object.keys(e)
    return ka.length === ke.length && ke.every((k) => Object.prototype.hasOwnProperty.call(a, k) && same(a[k], e[k]))
  }
  return a === e
}

// The argument of the console.assert call at (line, col) of the test, split at a top-level === or ==.
function assertion(code, line, col) {
  const lines = code.split('\n')
  let pos = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + col - 1
  pos = code.indexOf('(', pos)
  if (pos < 0) return null
  let depth = 0, quote = null, end = -1, split = -1, splitLen = 0
  for (let i = pos; i < code.length; i++) {
    const c = code[i]
    if (quote) {
      if (c === '\\') i++
      else if (c === quote) quote = null
      continue
    }
    if (c === '"' || c === "'" || c === '${"`"}') quote = c
    else if ('([{'.includes(c)) depth++
    else if (')]}'.includes(c)) {
      depth--
      if (depth === 0) {
        end = i
        break
      }
    } else if (depth === 1 && c === '=' && code[i + 1] === '=' && code[i - 1] !== '!' && code[i - 1] !== '=' && split < 0) {
      split = i
      splitLen = code[i + 2] === '=' ? 3 : 2
    }
  }
  if (end < 0) return null
  const text = code.slice(pos + 1, end).trim()
  if (split < 0) return { text }
  return { text, left: code.slice(pos + 1, split).trim(), right: code.slice(split + splitLen, end).trim() }
}

async function evaluate(expr) {
  try {
    return { value: await vm.runInThisContext('(' + expr + ')') }
  } catch (e) {
    return { error: describe(e) }
  }
}

async function main() {
  globalThis.require = require
  globalThis.module = { exports: {} }
  globalThis.exports = globalThis.module.exports
  // Models often write an ES module; the harness runs a script, so an export keyword goes.
  const source = fs.readFileSync('solution.js', 'utf8').replace(/^export\s+(default\s+)?(?=(async\s+)?(function|class|const|let|var)\b)/gm, '')
  let script
  try {
    script = new vm.Script(source, { filename: 'solution.js' })
  } catch (e) {
    const m = /solution\.js:(\d+)/.exec(String(e.stack))
    return emit({ event: 'compile_error', message: e.name + ': ' + e.message + (m ? ' (solution.js, line ' + m[1] + ')' : ''), line: m ? Number(m[1]) : null })
  }
  try {
    script.runInThisContext()
  } catch (e) {
    return emit({ event: 'load_error', message: describe(e) })
  }
  const entry = job.entry
  let fn = null
  try {
    const f = vm.runInThisContext(entry)
    if (typeof f === 'function') fn = f
  } catch {}
  const mod = globalThis.module.exports
  if (!fn && mod && typeof mod[entry] === 'function') fn = mod[entry]
  if (!fn) {
    try {
      const S = vm.runInThisContext('Solution')
      if (typeof S === 'function' && typeof S.prototype[entry] === 'function') {
        const o = new S()
        fn = o[entry].bind(o)
      }
    } catch {}
  }
  if (!fn && job.tests.some((t) => t.kind === 'io')) {
    return emit({ event: 'no_entry', message: 'The program does not define a function named ' + entry + '.' })
  }
  for (let i = 0; i < job.tests.length; i++) {
    const t = job.tests[i]
    emit({ event: 'start', i })
    failures = []
    if (t.kind === 'io') {
      try {
        let actual = fn(...structuredClone(t.args))
        if (actual && typeof actual.then === 'function') actual = await actual
        emit({ event: 'result', i, ok: same(actual, t.expected), actual: clip(show(actual)) })
      } catch (e) {
        emit({ event: 'result', i, ok: false, error: clip(describe(e)) })
      }
      continue
    }
    // Block scope: two tests may declare the same helper name with const.
    let error = null
    try {
      await new vm.Script('{\n' + t.code + '\n}', { filename: 'test.js', lineOffset: -1 }).runInThisContext()
    } catch (e) {
      if (!(e instanceof AssertFailed)) error = e
    }
    if (!failures.length && !error) {
      emit({ event: 'result', i, ok: true })
      continue
    }
    if (error && !failures.length) {
      emit({ event: 'result', i, ok: false, error: clip(describe(error, error instanceof Error && /solution\.js/.test(error.stack) ? 'solution.js' : 'test.js')) })
      continue
    }
    const f = failures[0]
    const a = f.line ? assertion(t.code, f.line, f.col) : null
    const r = { event: 'result', i, ok: false, assertion: a ? clip(a.text) : null, line: f.line }
    if (a && a.left) {
      const [l, rr] = [await evaluate(a.left), await evaluate(a.right)]
      r.input = clip(a.left)
      if (!('error' in rr)) r.expected = clip(show(rr.value))
      if ('error' in l) r.error = clip(l.error)
      else r.actual = clip(show(l.value))
    }
    emit(r)
  }
}

main().then(
  () => {
    emit({ event: 'done' })
    realExit(0)
  },
  (e) => {
    emit({ event: 'load_error', message: describe(e) })
    realExit(0)
  },
)
`
