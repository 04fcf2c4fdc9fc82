// Each layer rule of .dependency-cruiser.cjs fires on a deliberate violation (a tiny tree written
// into a temporary folder and cruised with the real rules), stays quiet on the allowed imports,
// and the repository itself has none.
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { cruise } from 'dependency-cruiser'
import { afterEach, describe, expect, it } from 'vitest'
import { loadRules, svelteViolations } from '../../scripts/lint-svelte-imports.ts'

const repo = resolve(import.meta.dirname, '../..')
const rules = loadRules(repo)
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** A tree of the given files (path → source) with the repository's node_modules beside it. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'leafe-lint-'))
  dirs.push(root)
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'), 'dir')
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), source)
  }
  return root
}

/** The names of the rules a cruise of `root` with the repository's rules reports, sorted, without repeats. */
async function violations(root: string): Promise<string[]> {
  const { output } = await cruise(['src-main', 'src-preload', 'src-renderer'].filter((d) => existsSync(join(root, d))), {
    baseDir: root,
    validate: true,
    ruleSet: { forbidden: rules as never },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
  })
  if (typeof output === 'string') throw new Error('expected a cruise result')
  return [...new Set(output.summary.violations.map((v) => `${v.rule.name}`))].sort()
}

const pure = "export const x = 1\n"

describe('layer rules', () => {
  const cases: [rule: string, files: Record<string, string>][] = [
    ['no-circular', { 'src-main/core/a.ts': "import { b } from './b.ts'\nexport const a = () => b\n", 'src-main/core/b.ts': "import { a } from './a.ts'\nexport const b = () => a\n" }],
    ['contract-is-pure', { 'src-main/api/contract.ts': "import { readFileSync } from 'node:fs'\nexport const r = readFileSync\n" }],
    ['contract-is-pure', { 'src-main/shared/format.ts': "import { join } from 'path'\nexport const j = join\n" }],
    ['contract-no-packages-with-io', { 'src-main/api/contract-corpus.ts': "import Database from 'better-sqlite3'\nexport const D = Database\n" }],
    ['contract-no-engine', { 'src-main/api/contract-endpoints.ts': "import type { X } from '../core/x.ts'\nexport type Y = X\n", 'src-main/core/x.ts': 'export type X = number\n' }],
    ['contract-no-engine', { 'src-main/api/client.ts': "import { s } from './service.ts'\nexport const c = s\n", 'src-main/api/service.ts': pure.replace('x', 's') }],
    ['renderer-no-node', { 'src-renderer/src/lib/a.ts': "import { readFileSync } from 'node:fs'\nexport const r = readFileSync\n" }],
    ['renderer-only-contract', { 'src-renderer/src/lib/a.ts': "import type { T } from '../../../src-main/core/t.ts'\nexport type U = T\n", 'src-main/core/t.ts': 'export type T = 1\n' }],
    ['core-no-electron', { 'src-main/core/a.ts': "import { app } from 'electron'\nexport const a = app\n" }],
    ['core-no-transport', { 'src-main/core/a.ts': "import { h } from '../api/http-server.ts'\nexport const a = h\n", 'src-main/api/http-server.ts': pure.replace('x', 'h') }],
    ['preload-only-contract', { 'src-preload/index.ts': "import { e } from '../src-main/core/engine.ts'\nexport const p = e\n", 'src-main/core/engine.ts': pure.replace('x', 'e') }],
  ]
  for (const [rule, files] of cases) {
    it(`${rule} fires on ${Object.keys(files)[0]}`, async () => {
      expect(await violations(tree(files))).toEqual([rule])
    })
  }

  it('covers every rule of the configuration', () => {
    expect(new Set(cases.map(([r]) => r))).toEqual(new Set(rules.map((r) => r.name)))
  })

  it('lets each layer import what it may', async () => {
    const root = tree({
      'src-main/shared/format.ts': pure,
      'src-main/api/contract.ts': "import { z } from 'zod'\nimport { x } from '../shared/format.ts'\nexport const C = z.object({ x: z.literal(x) })\n",
      'src-main/api/ipc-channels.ts': "export const IPC = 'call'\n",
      'src-main/api/http-server.ts': "import { createServer } from 'node:http'\nimport { e } from '../core/engine.ts'\nexport const h = [createServer, e]\n",
      'src-main/core/engine.ts': "import { readFileSync } from 'node:fs'\nimport Database from 'better-sqlite3'\nimport { C } from '../api/contract.ts'\nexport const e = [readFileSync, Database, C]\n",
      'src-main/index.ts': "import { app } from 'electron'\nimport { h } from './api/http-server.ts'\nexport const m = [app, h]\n",
      'src-preload/index.ts': "import { contextBridge } from 'electron'\nimport { IPC } from '../src-main/api/ipc-channels.ts'\nexport const p = [contextBridge, IPC]\n",
      'src-renderer/src/lib/a.ts': "import type { C } from '../../../src-main/api/contract.ts'\nimport { x } from '../../../src-main/shared/format.ts'\nexport const a: [typeof C | null, number] = [null, x]\n",
    })
    expect(await violations(root)).toEqual([])
  })

  it('the repository has no violations', async () => {
    expect(await violations(repo)).toEqual([])
  })
})

describe('layer rules on .svelte files (type imports included)', () => {
  it('a component importing a type from the engine, or a Node built-in, is reported', () => {
    const root = tree({
      'src-renderer/src/components/A.svelte': "<script lang=\"ts\">\n  import type { T } from '../../../src-main/core/t.ts'\n  import { readFileSync } from 'node:fs'\n  let t: T | null = null\n</script>\n",
      'src-renderer/src/components/B.svelte': "<script lang=\"ts\">\n  import type { C } from '../../../src-main/api/contract.ts'\n  import { x } from '../../../src-main/shared/format.ts'\n  import { onMount } from 'svelte'\n</script>\n",
    })
    expect(svelteViolations(root, rules).sort()).toEqual([
      "src-renderer/src/components/A.svelte: renderer-no-node: node:fs",
      "src-renderer/src/components/A.svelte: renderer-only-contract: ../../../src-main/core/t.ts",
    ])
  })

  it('the repository has none', () => {
    expect(svelteViolations(repo, rules)).toEqual([])
  })
})
