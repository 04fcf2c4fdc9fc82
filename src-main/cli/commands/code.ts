// `leafe code …`: coding task sets and the sandbox they run in.
import { availableParallelism } from 'node:os'
import { codeEnvironment } from '../../core/envs/code/environment.ts'
import { defaultLang, importFormats, importTaskFile, type ImportFormat } from '../../core/envs/code/import.ts'
import { describeSandbox, sandboxSettingError } from '../../core/sandbox/isolation.ts'
import { languageNames, type Lang } from '../../core/sandbox/limits.ts'
import { createTaskSet } from '../../core/store/tasks.ts'
import { bool, parse, str, UsageError } from '../args.ts'
import type { Command } from '../command.ts'
import { openEngine } from '../engine.ts'
import { ProgressBar } from '../progress.ts'

const USAGE = [
  'import FILE --format mbpp|humaneval|humaneval-x [--lang js|py] [--name NAME] [--split SPLIT] [--skip-failing]',
  '       leafe code builtin [--lang js|py] [--split train|test|all] [--name NAME]',
  '       leafe code status [--json]',
].join('\n')

function langFlag(value: string | undefined): Lang | undefined {
  if (value === undefined || value === 'js' || value === 'py') return value
  throw new UsageError(`--lang must be js or py (got "${value}").`)
}

export const codeCommand: Command = {
  name: 'code',
  summary: 'Import MBPP / HumanEval files, store the built-in coding problems, show the sandbox.',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv
    if (sub === 'import') return importFile(rest)
    if (sub === 'builtin') return storeBuiltin(rest)
    if (sub === 'status') return status(rest)
    throw new UsageError(sub ? `unknown subcommand "${sub}" (import, builtin, status).` : 'say what to do: import, builtin or status.')
  },
}

async function importFile(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      format: str('F', 'mbpp, humaneval or humaneval-x'),
      lang: str('L', 'js or python', "the format's"),
      name: str('NAME', 'the task set name', 'the file name'),
      split: str('SPLIT', 'the split the problems belong to', 'test'),
      'skip-failing': bool('leave out problems whose reference fails instead of refusing the file'),
    },
    true,
  )
  if (positionals.length !== 1) throw new UsageError('give exactly one FILE to import.')
  const format = values.format as ImportFormat | undefined
  if (!format || !importFormats.includes(format)) throw new UsageError(`--format must be one of ${importFormats.join(', ')}${format ? ` (got "${format}")` : ''}.`)
  const lang = langFlag(values.lang) ?? defaultLang[format]
  const engine = openEngine(values['data-dir'])
  const abort = new AbortController()
  const onSigint = () => abort.abort()
  process.once('SIGINT', onSigint)
  const bar = new ProgressBar('verifying')
  try {
    const { set, skipped } = await importTaskFile(engine.db, positionals[0]!, {
      onVerifyStart: (n) => console.error(`Checking the reference solutions of ${n} problems in the sandbox, ${availableParallelism()} at a time…`),
      format,
      lang,
      name: values.name,
      split: values.split,
      skipFailing: values['skip-failing'],
      signal: abort.signal,
      onProgress: (done, total, failed) => bar.update(done, total, failed ? `${failed} failing` : ''),
    })
    bar.finish()
    console.log(`Imported ${set.count} ${languageNames[lang]} tasks into task set "${set.name}" (#${set.id}, split ${set.split}); every reference solution passed its tests.`)
    if (skipped.length) {
      console.log(`Left out ${skipped.length} tasks whose reference solution fails:`)
      for (const s of skipped) console.log(`  line ${s.line} (${s.id}): ${s.reason}`)
    }
    return 0
  } catch (err) {
    bar.finish()
    if (abort.signal.aborted) {
      console.error('leafe code import: cancelled; nothing was imported.')
      return 130
    }
    throw err
  } finally {
    process.off('SIGINT', onSigint)
    await engine.close()
  }
}

async function storeBuiltin(argv: string[]): Promise<number> {
  const { values } = parse(argv, { lang: str('L', 'js or python', 'js'), split: str('SPLIT', 'train or test', 'train'), name: str('NAME', 'the task set name', 'code-builtin-LANG-SPLIT') })
  const lang = langFlag(values.lang) ?? 'js'
  const split = values.split ?? 'train'
  const tasks = codeEnvironment.tasks(split, Number.MAX_SAFE_INTEGER, 0, { lang }).sort((a, b) => a.seed - b.seed)
  const engine = openEngine(values['data-dir'])
  try {
    const name = values.name ?? `code-builtin-${lang}-${split}`
    const set = createTaskSet(engine.db, { name, env: codeEnvironment.id, split, source: 'generated', params: { builtin: true, lang, split } }, tasks)
    console.log(`Stored ${set.count} built-in ${languageNames[lang]} problems as task set "${set.name}" (#${set.id}, split ${split}).`)
    return 0
  } finally {
    await engine.close()
  }
}

async function status(argv: string[]): Promise<number> {
  const { values } = parse(argv, { json: bool('print as JSON') })
  const bad = sandboxSettingError()
  if (bad) throw new UsageError(bad)
  const d = await describeSandbox()
  if (values.json) {
    console.log(JSON.stringify(d, null, 2))
    return 0
  }
  for (const lang of ['js', 'py'] as const) {
    const s = d[lang]
    console.log(`${languageNames[lang].padEnd(10)} ${s.available ? `${s.level} — ${s.summary}` : `unavailable — ${s.summary}`}`)
    if (s.available) console.log(`${''.padEnd(10)} ${s.runtime.exe} (${s.runtime.version})`)
  }
  return 0
}
