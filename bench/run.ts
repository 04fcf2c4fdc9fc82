// `npm run bench -- <suite>`: runs one named suite, prints its figures, and writes them to
// bench/results/<suite>.json as one flat object of named numbers (and notes) plus `machine` and `date`.
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { resultsDir } from './results-dir.ts'
import { suites } from './suites/index.ts'

export { resultsDir }

export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown cpu'
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.versions.node}, ${process.platform}/${process.arch}`
}

/** The commit a bench ran on, with "+changes" when the tree was not clean. */
export function commitOf(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
    // The benches' own outputs do not count: seeds of one bench run side by side in one tree, and
    // each would otherwise see the others' result files and record its code as changed.
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', '.', ':(exclude)bench/results'], { encoding: 'utf8' }).trim()
    return dirty ? `${head}+changes` : head
  } catch {
    return 'unknown'
  }
}

export async function runBench(argv: string[]): Promise<number> {
  const [name] = argv
  const suite = suites.find((s) => s.name === name)
  if (!suite) {
    console.error(`Usage: npm run bench -- <suite>\nSuites:\n${suites.map((s) => `  ${s.name.padEnd(10)} ${s.summary}`).join('\n')}`)
    return 2
  }
  console.error(`bench ${suite.name}: ${suite.summary}`)
  const figures = await suite.run((m) => console.error(`  ${m}`))
  for (const [k, v] of Object.entries(figures)) {
    const ok = typeof v === 'number' ? Number.isFinite(v) : typeof v === 'string' && v !== ''
    if (!ok) throw new Error(`bench ${suite.name}: figure ${k} is neither a finite number nor a note (${v})`)
  }
  const out = { ...figures, machine: machine(), date: new Date().toISOString() }
  mkdirSync(resultsDir, { recursive: true })
  const file = join(resultsDir, `${suite.name}.json`)
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n')
  console.log(JSON.stringify(out, null, 2))
  console.error(`wrote ${file}`)
  return 0
}
