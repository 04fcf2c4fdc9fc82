// dependency-cruiser reads a .svelte file after the Svelte compiler has dropped its type-only
// imports, so `import type { X } from '…/src-main/core/…'` in a component would pass `npm run lint`.
// This applies the same forbidden rules (.dependency-cruiser.cjs) to every import written in the
// components' <script> blocks, types included. Run from the repository root; exits 1 on a violation.
import { readFileSync } from 'node:fs'
import { builtinModules, createRequire } from 'node:module'
import { dirname, join, normalize, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { filesUnder } from './source-files.ts'

type PathRule = { path?: string | string[]; pathNot?: string | string[]; dependencyTypes?: string[] }
type Rule = { name: string; from: PathRule; to: PathRule & { circular?: boolean } }

const matches = (p: string | string[] | undefined, s: string): boolean => (Array.isArray(p) ? p : p === undefined ? [] : [p]).some((re) => new RegExp(re).test(s))

/** Module specifiers of the static imports (and re-exports) in a component's script blocks. */
export function scriptImports(source: string): string[] {
  const scripts = [...source.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!)
  return scripts.flatMap((s) => [...s.matchAll(/(?:^|[\s;])(?:import|export)\s+(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g)].map((m) => m[1]!))
}

/** "file: rule: specifier" for each import of a .svelte file under `root`/src-renderer that a rule forbids. */
export function svelteViolations(root: string, rules: Rule[]): string[] {
  const builtins = new Set(builtinModules)
  const out: string[] = []
  for (const file of filesUnder(join(root, 'src-renderer'), '.svelte')) {
    const from = relative(root, file).split(sep).join('/')
    for (const spec of scriptImports(readFileSync(file, 'utf8'))) {
      const builtin = spec.startsWith('node:') || builtins.has(spec.split('/')[0]!)
      const to = spec.startsWith('.') ? normalize(relative(root, join(dirname(file), spec))).split(sep).join('/') : builtin ? spec : `node_modules/${spec}`
      for (const r of rules) {
        if (r.to.circular || !matches(r.from.path, from) || matches(r.from.pathNot, from)) continue
        const types = r.to.dependencyTypes
        const hit = types ? types.includes('core') && builtin : (r.to.path === undefined || matches(r.to.path, to)) && !matches(r.to.pathNot, to)
        if (hit) out.push(`${from}: ${r.name}: ${spec}`)
      }
    }
  }
  return out
}

export function loadRules(root: string): Rule[] {
  return (createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as { forbidden: Rule[] }).forbidden
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = process.cwd()
  const found = svelteViolations(root, loadRules(root))
  for (const v of found) console.error(`  error ${v}`)
  if (found.length) {
    console.error(`\n${found.length} import(s) in .svelte files break the layer rules (.dependency-cruiser.cjs).`)
    process.exit(1)
  }
  console.log('svelte imports: no layer violations')
}
