import { QUICKSTART_ENVS, QuickstartConfig, quickstartSizes } from '../../shared/jobs/quickstart.ts'
import { quickstartMarkdown } from '../../core/quickstart/job.ts'
import { doneJobResult } from '../../shared/jobs/kinds.ts'
import { readFileSync } from 'node:fs'
import { bool, intFlag, parse, str, UsageError } from '../args.ts'
import type { Command } from '../command.ts'
import { openEngine } from '../engine.ts'
import { configUsage, jobProblem, runJobWithProgress } from '../jobs.ts'

export const quickstartCommand: Command = {
  name: 'quickstart',
  summary: "The paper's comparison in one command: base → GRPO → Early Experience → LEAFE → Pass@k on held-out levels, with a table and an SVG chart.",
  usage: '[--reduced] [--env sokoban|household] [--preset 7x7-2] [--seed S] [--config sizes.json] [--backend B] [--json]',
  async run(argv) {
    const { values } = parse(argv, {
      reduced: bool('the CI sizes: every phase end to end in about a minute'),
      env: str('ENV', `the environment: ${QUICKSTART_ENVS.join(' or ')}`, 'sokoban'),
      preset: str('P', 'Sokoban room preset', `${quickstartSizes('standard').params.preset}`),
      seed: str('S', 'the seed of every phase', 0),
      config: str('FILE', 'a JSON file of sizes that replace the chosen ones, e.g. {"eval": {"n": 128}}'),
      json: bool('print the result as JSON'),
    })
    // --config: a JSON file whose fields replace the chosen sizes' (sections merged one level
    // deep), so a bigger machine raises only what it wants to.
    const env = values.env ?? 'sokoban'
    if (!(QUICKSTART_ENVS as readonly string[]).includes(env)) throw new UsageError(`--env ${env}: the quickstart has sizes for ${QUICKSTART_ENVS.join(' and ')} only.`)
    if (values.preset && env !== 'sokoban') throw new UsageError(`--preset ${values.preset}: room presets are Sokoban's; the ${env} quickstart has none.`)
    const sizes = merged(merged(quickstartSizes(values.reduced ? 'reduced' : 'standard', env), readOverrides(values.config)), {
      ...(values.preset ? { params: { preset: values.preset } } : {}),
      ...(values.seed ? { seed: intFlag(values.seed, 'seed', 0, 2 ** 31) } : {}),
      ...(values.backend ? { backend: values.backend } : {}),
    })
    const parsed = QuickstartConfig.safeParse(sizes)
    if (!parsed.success) throw configUsage(parsed.error, values.config ? `--config ${values.config}` : 'config')
    const c = parsed.data
    // With --json, stdout carries only the result (which includes these sizes).
    ;(values.json ? console.error : console.log)(
      [
        `quickstart on ${c.env} ${JSON.stringify(c.params)}, seed ${c.seed}:`,
        `  base: ${c.base.model} model, SFT on ${c.base.tasks} training levels' demonstrations (${c.base.mistakeRate} mistakes), ${c.base.epochs} epochs`,
        `  GRPO: ${c.grpo.iterations} iterations × ${c.grpo.tasksPerIteration} levels × G=${c.grpo.groupSize}; Early Experience: ${c.earlyExperience.tasks} levels × ${c.earlyExperience.alternatives} alternatives`,
        `  LEAFE: exploration of ${c.explore.tasks} training levels from the GRPO checkpoint (budget ${c.explore.budget} steps, depth ${c.explore.maxDepth}), all corrections accepted, Stage 2 β=${c.leafe.beta}`,
        `  evaluation: ${c.eval.tasks} ${c.eval.split === 'test' ? 'held-out test' : 'validation'} levels, n = ${c.eval.n} at temperature ${c.eval.temperature}`,
      ].join('\n'),
    )
    const engine = openEngine(values['data-dir'])
    try {
      const job = await runJobWithProgress(engine, 'quickstart', { config: c }, 'quickstart')
      const problem = jobProblem(job)
      if (problem) {
        console.error(problem)
        return 1
      }
      const r = doneJobResult(job, 'quickstart')
      if (values.json) console.log(JSON.stringify(job.result, null, 2))
      else {
        console.log(`\n${quickstartMarkdown(r)}\n`)
        console.log(`phases (s): ${Object.entries(r.phaseSeconds).map(([p, s]) => `${p} ${s.toFixed(0)}`).join(' · ')} · total ${r.seconds.toFixed(0)}`)
        console.log(`chart: ${r.files.svg}\ntable: ${r.files.markdown}\nall results: ${r.files.json}`)
      }
      return 0
    } finally {
      await engine.close()
    }
  },
}

/** The --config file's JSON object (none without the flag). */
function readOverrides(file: string | undefined): object {
  if (!file) return {}
  let overrides: unknown
  try {
    overrides = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new UsageError(`--config ${file}: ${(err as Error).message}`)
  }
  if (!overrides || typeof overrides !== 'object' || Array.isArray(overrides)) throw new UsageError(`--config ${file}: expected a JSON object of quickstart sizes`)
  return overrides
}

/** `sizes` with the overrides' fields in place, sections merged one level deep (QuickstartConfig checks the whole). */
function merged(sizes: object, overrides: object): Record<string, unknown> {
  const out: Record<string, unknown> = { ...sizes }
  for (const [key, value] of Object.entries(overrides)) {
    const current = out[key]
    out[key] = current && typeof current === 'object' && value && typeof value === 'object' && !Array.isArray(value) ? { ...current, ...value } : value
  }
  return out
}
