import { bool, parse } from '../args.ts'
import type { Command } from '../command.ts'
import { openEngine } from '../engine.ts'

export const statusCommand: Command = {
  name: 'status',
  summary: 'Data directory, schema version, the TF.js backend in use and why, and jobs.',
  usage: '[--data-dir DIR] [--json]',
  async run(argv) {
    const { values } = parse(argv, { json: bool('print the status as JSON') })
    const engine = openEngine(values['data-dir'])
    try {
      const s = await engine.status()
      const jobs = engine.jobs.list({ limit: 10 })
      if (values.json) {
        console.log(JSON.stringify({ ...s, recentJobs: jobs }, null, 2))
        return 0
      }
      const lines = [
        `LEAFE Workbench ${s.version}`,
        `data dir     ${s.dataDir}`,
        `database     ${s.db.path}`,
        `schema       version ${s.db.schemaVersion} of ${s.db.latestVersion}, integrity ${s.db.integrity}, ${s.db.walMode ? 'WAL' : 'no WAL'}`,
        s.tf ? `tf backend   ${s.tf.id} — ${s.tf.reason}` : `tf backend   none — ${s.tfError}`,
        ...(s.tf?.attempts ?? []).map((a) => `               ${a.ok ? '✓' : '✗'} ${a.id}: ${a.detail}`),
        ...(s.tf?.matmul ? [`matmul       ${s.tf.matmul.id} — ${s.tf.matmul.detail} (LEAFE_MATMUL=auto|native|wasm)`] : []),
        `runtime      node ${s.runtime.node}, ${s.runtime.platform}/${s.runtime.arch}, ${s.runtime.cpus} cores`,
        `jobs         ${s.jobs.running} running, ${s.jobs.queued} queued, ${s.jobs.interrupted} interrupted`,
        ...jobs.map(
          (j) =>
            `  #${j.id} ${j.kind.padEnd(12)} ${j.status.padEnd(11)} ${j.progress.done}${j.progress.total !== null ? `/${j.progress.total}` : ''} ${j.title}`,
        ),
      ]
      console.log(lines.join('\n'))
      return 0
    } finally {
      await engine.close()
    }
  },
}
