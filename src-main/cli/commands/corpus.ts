import { resolve } from 'node:path'
import { exportCorpus, importCorpus } from '../../core/corpus/jsonl.ts'
import { parse, str, UsageError } from '../args.ts'
import type { Command } from '../command.ts'
import { openEngine } from '../engine.ts'

export const corpusCommand: Command = {
  name: 'corpus',
  summary: 'Export or import the experience corpus as chat JSONL (the format TRL-style trainers read).',
  usage: 'export FILE [--status accepted|pending|rejected|any] [--kind cf|reh|manual] [--env ENV]  |  import FILE [--env ENV]',
  async run(argv) {
    const { values, positionals } = parse(
      argv,
      {
        status: str('S', 'export: accepted, pending, rejected or any', 'accepted'),
        kind: str('K', 'export: cf, reh or manual', 'all kinds'),
        env: str('ENV', 'export: only this environment; import: the environment of lines that name none', 'all'),
      },
      true,
    )
    const [verb, file] = positionals
    if (!file || (verb !== 'export' && verb !== 'import')) throw new UsageError('say "export FILE" or "import FILE".')
    const engine = openEngine(values['data-dir'])
    try {
      if (verb === 'export') {
        const status = (values.status ?? 'accepted') as 'accepted' | 'pending' | 'rejected' | 'any'
        if (!['accepted', 'pending', 'rejected', 'any'].includes(status)) throw new UsageError(`--status must be accepted, pending, rejected or any (got "${status}").`)
        const r = exportCorpus(engine.db, resolve(file), { status, ...(values.kind ? { kind: values.kind as 'cf' } : {}), ...(values.env ? { env: values.env } : {}) })
        console.log(`wrote ${r.written} ${status === 'any' ? '' : `${status} `}items to ${resolve(file)}`)
        if (r.otherStatus) console.log(`left out ${r.otherStatus} items of another status (--status any exports them too)`)
        if (r.invalidTargets) console.log(`left out ${r.invalidTargets} items whose target the environment does not accept (flagged in the Corpus view)`)
      } else {
        const r = importCorpus(engine.db, resolve(file), values.env ? { env: values.env } : {})
        console.log(`imported ${r.imported} of ${r.lines} items (${r.duplicates} already in the corpus), as pending`)
      }
      return 0
    } finally {
      await engine.close()
    }
  },
}
