import { intFlag, parse, UsageError } from '../args.ts'
import type { Command } from '../command.ts'
import { openEngine } from '../engine.ts'
import { jobProblem, runJobWithProgress } from '../jobs.ts'

export const jobsCommand: Command = {
  name: 'jobs',
  summary: 'List jobs, or resume an interrupted one here (with a progress bar), or cancel a queued one.',
  usage: 'list | resume ID | cancel ID',
  async run(argv) {
    const { values, positionals } = parse(argv, {}, true)
    const [verb = 'list', idText] = positionals
    const engine = openEngine(values['data-dir'])
    try {
      if (verb === 'list') {
        for (const j of engine.jobs.list({ limit: 50 })) {
          console.log(`#${j.id} ${j.kind.padEnd(10)} ${j.status.padEnd(11)} ${j.progress.done}${j.progress.total !== null ? `/${j.progress.total}` : ''}  ${j.title}${j.error ? `  — ${j.error}` : ''}`)
        }
        return 0
      }
      const id = intFlag(idText, 'id', 1, 2 ** 31)
      if (!id) throw new UsageError(`${verb} needs a job id.`)
      if (verb === 'cancel') {
        console.log(`job ${id}: ${engine.jobs.cancel(id).status}`)
        return 0
      }
      if (verb !== 'resume') throw new UsageError(`unknown verb "${verb}".`)
      const before = engine.jobs.get(id)
      engine.jobs.resume(id)
      const job = await runJobWithProgress(engine, before.kind, null, `${before.kind} #${id}`, id)
      const problem = jobProblem(job)
      if (problem) {
        console.error(problem)
        return 1
      }
      console.log(JSON.stringify(job.result, null, 2))
      return 0
    } finally {
      await engine.close()
    }
  },
}
