import { EvalConfig } from '../../shared/jobs/eval.ts'
import { doneJobResult } from '../../shared/jobs/kinds.ts'
import { bool, intFlag, parse, policyFlag, str, UsageError } from '../args.ts'
import type { Command } from '../command.ts'
import { openEngine } from '../engine.ts'
import { configUsage, jobProblem, runJobWithProgress } from '../jobs.ts'
import { DEFAULTS } from '../../shared/defaults.ts'

export const evalCommand: Command = {
  name: 'eval',
  summary: 'Pass@k evaluation: n samples per task for each policy (random, checkpoint ids, endpoint:NAME[/MODEL]).',
  usage: '--env ENV --policies random,12,endpoint:vllm/qwen [--n 32] [--tasks N] [--split test] [--seed S] [--task-set NAME] [--preset P] [--temperature T] [--json]',
  async run(argv) {
    const { values } = parse(argv, {
      env: str('ENV', 'the environment (leafe env list)'),
      policies: str('LIST', 'comma-separated: "random", checkpoint ids, "endpoint:NAME[/MODEL]"'),
      n: str('N', 'samples per task (Pass@k up to k = n)', DEFAULTS.eval.n),
      tasks: str('N', 'how many generated tasks (or the first N of --task-set)', DEFAULTS.tasks.eval),
      split: str('SPLIT', 'train, valid or test', 'test'),
      seed: str('S', 'the task seed', 0),
      'task-set': str('NAME', 'a stored task set instead of generated tasks'),
      preset: str('P', 'Sokoban room preset', DEFAULTS.sokobanPreset),
      temperature: str('T', 'sampling temperature', DEFAULTS.eval.temperature),
      json: bool('print the summary as JSON'),
    })
    if (!values.env) throw new UsageError('--env is required.')
    if (!values.policies) throw new UsageError('--policies is required: a comma-separated list of "random", checkpoint ids and "endpoint:NAME[/MODEL]".')
    const policies = values.policies.split(',').map((p) => policyFlag(p, 'policies'))
    const count = intFlag(values.tasks, 'tasks', 1, 100_000) ?? DEFAULTS.tasks.eval
    const parsed = EvalConfig.safeParse({
      env: values.env,
      tasks: values['task-set'] ? { taskSet: values['task-set'] } : { split: values.split ?? 'test', count, seed: intFlag(values.seed, 'seed', 0, 2 ** 31) ?? 0, params: values.preset ? { preset: values.preset } : {} },
      ...(values['task-set'] && values.tasks ? { limit: count } : {}),
      policies,
      ...(values.n ? { n: intFlag(values.n, 'n', 1, 4096) } : {}),
      ...(values.temperature ? { temperature: Number(values.temperature) } : {}),
    })
    if (!parsed.success) throw configUsage(parsed.error)
    const engine = openEngine(values['data-dir'])
    try {
      const job = await runJobWithProgress(engine, 'eval', { config: parsed.data }, `eval ${parsed.data.env}`)
      const problem = jobProblem(job)
      if (problem) {
        console.error(problem)
        return 1
      }
      const s = doneJobResult(job, 'eval')
      if (values.json) console.log(JSON.stringify(job.result, null, 2))
      else {
        console.log(`run ${s.runId}: ${s.tasks} tasks of ${s.taskSet}, n = ${s.n}, ${s.seconds.toFixed(1)} s`)
        for (const p of s.policies) {
          const errors = p.errors ? `   (${p.errors} samples ended by errors, counted as failures)` : ''
          console.log(`  ${p.policy.padEnd(16)} Pass@1 ${p.passAt1.toFixed(3)}   Pass@${s.n} ${p.passAtN.toFixed(3)}${errors}`)
        }
        if (s.errorSamples.length) console.log(`  first error: ${s.errorSamples[0]!.task} (${s.errorSamples[0]!.policy}): ${s.errorSamples[0]!.message}`)
      }
      return 0
    } finally {
      await engine.close()
    }
  },
}
