import { EvalConfig } from '../../core/eval/config.ts'
import type { EvalSummary } from '../../core/eval/job.ts'
import { intFlag, parse, UsageError } from '../args.ts'
import type { Command } from '../command.ts'
import { openEngine } from '../engine.ts'
import { jobProblem, runJobWithProgress } from '../jobs.ts'

export const evalCommand: Command = {
  name: 'eval',
  summary: 'Pass@k evaluation: n samples per task for each policy (random or checkpoint ids).',
  usage: '--env ENV --policies random,12,15 [--n 32] [--tasks N] [--split test] [--seed S] [--task-set NAME] [--preset P] [--temperature T] [--json]',
  async run(argv) {
    const { values } = parse(argv, {
      env: { type: 'string' }, policies: { type: 'string' }, n: { type: 'string' }, tasks: { type: 'string' }, split: { type: 'string' },
      seed: { type: 'string' }, 'task-set': { type: 'string' }, preset: { type: 'string' }, temperature: { type: 'string' }, json: { type: 'boolean' },
    })
    if (!values.env) throw new UsageError('--env is required.')
    if (!values.policies) throw new UsageError('--policies is required: a comma-separated list of "random" and checkpoint ids.')
    const policies = values.policies.split(',').map((p) => (p.trim() === 'random' ? { kind: 'random' as const } : { kind: 'checkpoint' as const, id: intFlag(p.trim(), 'policies', 1, 2 ** 31)! }))
    const count = intFlag(values.tasks, 'tasks', 1, 100_000) ?? 64
    const parsed = EvalConfig.safeParse({
      env: values.env,
      tasks: values['task-set'] ? { taskSet: values['task-set'] } : { split: values.split ?? 'test', count, seed: intFlag(values.seed, 'seed', 0, 2 ** 31) ?? 0, params: values.preset ? { preset: values.preset } : {} },
      ...(values['task-set'] && values.tasks ? { limit: count } : {}),
      policies,
      ...(values.n ? { n: intFlag(values.n, 'n', 1, 4096) } : {}),
      ...(values.temperature ? { temperature: Number(values.temperature) } : {}),
    })
    if (!parsed.success) throw new UsageError(`${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`)
    const engine = openEngine(values['data-dir'])
    try {
      const job = await runJobWithProgress(engine, 'eval', { config: parsed.data }, `eval ${parsed.data.env}`)
      const problem = jobProblem(job)
      if (problem) {
        console.error(problem)
        return 1
      }
      const s = job.result as EvalSummary
      if (values.json) console.log(JSON.stringify(s, null, 2))
      else {
        console.log(`run ${s.runId}: ${s.tasks} tasks of ${s.taskSet}, n = ${s.n}, ${s.seconds.toFixed(1)} s`)
        for (const p of s.policies) console.log(`  ${p.policy.padEnd(16)} Pass@1 ${p.passAt1.toFixed(3)}   Pass@${s.n} ${p.passAtN.toFixed(3)}`)
      }
      return 0
    } finally {
      await engine.close()
    }
  },
}
