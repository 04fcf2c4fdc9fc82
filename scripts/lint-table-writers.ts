// One writer per table: every INSERT, UPDATE or DELETE of a table lives in one module, so a
// reader looking for who changes `runs` (or `episodes`, …) finds one file. Those modules are the
// store's (`src-main/core/store/`) or a domain's own store module, listed here by name; migrations
// are exempt (they rewrite tables by design). Run from the repository root; exits 1 on a violation.
import { readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { filesUnder } from './source-files.ts'

/** Domain modules that own their tables' writes outside `core/store/` (each table still has one writer). */
export const DOMAIN_STORES = [
  'src-main/core/corpus/curation.ts',
  'src-main/core/endpoints/store.ts',
  'src-main/core/envs/remote/store.ts',
  'src-main/core/explore/env-prompts.ts',
  'src-main/core/explore/recorder.ts',
  'src-main/core/settings.ts',
]

const WRITE = /\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+([a-z_][a-z0-9_]*)/g

/** table → the files (relative to the root, `/`-separated) whose source writes it. */
export function tableWriters(sources: Record<string, string>): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const [file, source] of Object.entries(sources)) {
    for (const m of source.matchAll(WRITE)) {
      const files = out.get(m[1]!) ?? []
      if (!files.includes(file)) files.push(file)
      out.set(m[1]!, files)
    }
  }
  return out
}

/** One line per violation: a table written from two modules, or written outside the store modules. */
export function writerViolations(sources: Record<string, string>): string[] {
  const store = (f: string) => f.startsWith('src-main/core/store/') || DOMAIN_STORES.includes(f)
  const out: string[] = []
  for (const [table, files] of [...tableWriters(sources)].sort(([a], [b]) => a.localeCompare(b))) {
    if (files.length > 1) out.push(`${table}: written by ${files.length} modules (${files.join(', ')}); keep its writes in one`)
    for (const f of files.filter((x) => !store(x))) out.push(`${table}: written by ${f}, outside the store modules (src-main/core/store/ or DOMAIN_STORES)`)
  }
  return out
}

/** The engine's TypeScript sources under `root`/src-main, migrations left out. */
export function engineSources(root: string): Record<string, string> {
  return Object.fromEntries(filesUnder(join(root, 'src-main'), '.ts', ['migrations']).map((p) => [relative(root, p).split(sep).join('/'), readFileSync(p, 'utf8')]))
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const found = writerViolations(engineSources(process.cwd()))
  if (found.length) {
    for (const line of found) console.error(line)
    process.exit(1)
  }
  console.log('table writers: one module per table')
}
