// The Node.js versions the workbench runs on: package.json's `engines.node` is the one truth
// (the range vite and electron-vite require), checked here before anything else loads, so an old
// Node gets one clear line instead of an error from deep inside a dependency. Plain JS: it must
// run before tsx is registered.
import { readFileSync } from 'node:fs'

const parse = (v) => v.replace(/^v/, '').split('.').map((x) => Number.parseInt(x, 10) || 0)
const cmp = (a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]

/** Whether `version` satisfies a range of "^a.b.c" / ">=a.b.c" alternatives joined by "||". */
export function satisfies(version, range) {
  const v = parse(version)
  return range.split('||').some((alt) => {
    const t = alt.trim()
    if (t.startsWith('>=')) return cmp(v, parse(t.slice(2))) >= 0
    if (t.startsWith('^')) {
      const min = parse(t.slice(1))
      return v[0] === min[0] && cmp(v, min) >= 0
    }
    throw new Error(`engines.node: cannot read the range part "${t}"`)
  })
}

export const requiredNode = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines.node

/** The message for a Node.js outside the range, or null. */
export function nodeVersionProblem(version = process.versions.node, range = requiredNode) {
  return satisfies(version, range) ? null : `LEAFE Workbench needs Node.js ${range.replace(/\s*\|\|\s*/g, ' or ')}; this is ${version}. Install a newer Node.js (e.g. the current LTS) and run npm install again.`
}

/** Exits with the message when this Node.js is outside the range. */
export function requireSupportedNode() {
  const problem = nodeVersionProblem()
  if (problem) {
    console.error(problem)
    process.exit(1)
  }
}
