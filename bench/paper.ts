// `npm run bench:paper`: the quickstart's comparison (base → GRPO → Early Experience → LEAFE,
// Pass@k on held-out levels) with 3 seeds and n = 128, mean ± sd per cell, plus the Stage-1
// sampler table: IS / IR / LEAFE from the same GRPO checkpoint on the same training levels at the
// same per-task step budget (the paper's Table 3). Writes bench/results/paper.json and paper.md.
// Sizes: the quickstart's standard ones with n raised to 128 (LEAFE_PAPER_SEEDS, LEAFE_PAPER_N
// and LEAFE_PAPER_SIZES=reduced override, for a bigger machine or a quick look).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Job } from '../src-main/api/contract.ts'
import { Engine } from '../src-main/core/engine.ts'
import type { ExploreSummary } from '../src-main/core/explore/job.ts'
import { QuickstartConfig, quickstartSizes } from '../src-main/core/quickstart/config.ts'
import type { QuickstartResult } from '../src-main/core/quickstart/job.ts'
import { machine, resultsDir } from './run.ts'

type SeedResult = { seed: number; quickstart: QuickstartResult; samplers: Record<'leafe' | 'ir' | 'is', { solved: number; tasks: number; stepsUsed: number }> }

const meanSd = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0
  return { mean, sd }
}
const fmt = (xs: number[]) => {
  const { mean, sd } = meanSd(xs.map((x) => 100 * x))
  return `${mean.toFixed(1)} ± ${sd.toFixed(1)}`
}

async function runJob(engine: Engine, kind: string, params: unknown, label: string): Promise<Job> {
  const job = engine.jobs.start(kind, params)
  let last = 0
  const onUpdate = (j: Job) => {
    if (j.id !== job.id || Date.now() - last < 30_000) return
    last = Date.now()
    console.error(`  ${label}: ${j.message ?? ''}`)
  }
  engine.on('job.updated', onUpdate)
  try {
    const end = await engine.jobs.waitFor(job.id)
    if (end.status !== 'done') throw new Error(`${label}: job ${end.id} ${end.status}: ${end.error ?? end.message}`)
    return end
  } finally {
    engine.off('job.updated', onUpdate)
  }
}

async function main(): Promise<void> {
  const seeds = Array.from({ length: Number(process.env.LEAFE_PAPER_SEEDS ?? 3) }, (_, i) => i)
  const n = Number(process.env.LEAFE_PAPER_N ?? 128)
  const standard = quickstartSizes(process.env.LEAFE_PAPER_SIZES === 'reduced' ? 'reduced' : 'standard')
  const started = Date.now()
  const results: SeedResult[] = []
  for (const seed of seeds) {
    const dataDir = mkdtempSync(join(tmpdir(), `leafe-paper-s${seed}-`))
    const engine = new Engine({ dataDir, log: () => undefined })
    try {
      const config = QuickstartConfig.parse({ ...standard, seed, eval: { ...standard.eval, n } })
      console.error(`seed ${seed}: quickstart with n = ${n}`)
      const qs = (await runJob(engine, 'quickstart', { config }, `seed ${seed} quickstart`)).result as QuickstartResult
      const grpo = qs.rows.find((r) => r.method === 'GRPO')!.checkpointId!
      const samplers = { leafe: { solved: qs.explore.solved, tasks: qs.explore.tasks, stepsUsed: qs.explore.stepsUsed } } as SeedResult['samplers']
      // IS and IR on the very task set the LEAFE exploration used, from the same checkpoint and budget.
      for (const sampler of ['ir', 'is'] as const) {
        const { tasks: _t, onlySucceeded: _o, rehearsalShare: _r, ...rest } = config.explore
        const job = await runJob(
          engine,
          'explore',
          { config: { env: config.env, tasks: { taskSet: qs.explore.taskSet }, policy: { kind: 'checkpoint', id: grpo }, sampler, reflector: 'critic', seed, ...rest, corpus: { build: false } } },
          `seed ${seed} ${sampler}`,
        )
        const s = job.result as ExploreSummary
        samplers[sampler] = { solved: s.solved, tasks: s.tasks, stepsUsed: s.stepsUsed }
      }
      results.push({ seed, quickstart: qs, samplers })
      console.error(`seed ${seed}: ${qs.rows.map((r) => `${r.method} ${(100 * r.passAt1).toFixed(1)}/${(100 * r.passAtN).toFixed(1)}`).join(' · ')} (${qs.seconds.toFixed(0)} s)`)
    } finally {
      await engine.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
  const seconds = (Date.now() - started) / 1000
  const methods = results[0]!.quickstart.rows.map((r) => r.method)
  const cell = (method: string, key: 'passAt1' | 'passAtN') => results.map((r) => r.quickstart.rows.find((x) => x.method === method)![key])
  const share = (s: 'leafe' | 'ir' | 'is') => results.map((r) => r.samplers[s].solved / r.samplers[s].tasks)
  const c = results[0]!.quickstart.config
  const flat: Record<string, number> = {}
  for (const m of methods) {
    const key = m.toLowerCase().replace(/[^a-z]+/g, '_')
    for (const [k, xs] of [['pass1', cell(m, 'passAt1')], [`pass${n}`, cell(m, 'passAtN')]] as const) {
      const { mean, sd } = meanSd(xs)
      flat[`${key}_${k}_mean`] = Number(mean.toFixed(4))
      flat[`${key}_${k}_sd`] = Number(sd.toFixed(4))
    }
  }
  for (const s of ['leafe', 'ir', 'is'] as const) flat[`solved_share_${s}_mean`] = Number(meanSd(share(s)).mean.toFixed(4))
  const out = { ...flat, seeds: seeds.length, n, heldout_tasks: c.eval.tasks, seconds: Math.round(seconds), sizes: { ...c, seed: undefined }, perSeed: results.map((r) => ({ seed: r.seed, rows: r.quickstart.rows, expansion: r.quickstart.expansion, samplers: r.samplers, phaseSeconds: r.quickstart.phaseSeconds })), machine: machine(), date: new Date().toISOString() }
  const md = [
    `# The paper's comparison on built-in Sokoban (${seeds.length} seeds, n = ${n})`,
    '',
    `Held-out: ${c.eval.tasks} test levels of ${c.env} ${JSON.stringify(c.params)} per seed, n = ${n} samples each at temperature ${c.eval.temperature}; mean ± sd over seeds, in percent. ` +
      `Written by \`npm run bench:paper\` on ${machine()} in ${(seconds / 60).toFixed(0)} min (${out.date}).`,
    '',
    `| method | Pass@1 | Pass@${n} |`,
    '|---|---:|---:|',
    ...methods.map((m) => `| ${m} | ${fmt(cell(m, 'passAt1'))} | ${fmt(cell(m, 'passAtN'))} |`),
    '',
    `LEAFE vs GRPO within ${n} samples (per seed: only LEAFE / only GRPO / both): ${results.map((r) => `${r.quickstart.expansion.leafeOnly}/${r.quickstart.expansion.grpoOnly}/${r.quickstart.expansion.both}`).join(', ')}.`,
    '',
    `## Stage-1 samplers at an equal budget (${c.explore.budget} environment steps per task, ${c.explore.tasks} training levels, from the GRPO checkpoint)`,
    '',
    '| sampler | solved share |',
    '|---|---:|',
    ...(['is', 'ir', 'leafe'] as const).map((s) => `| ${{ is: 'IS (independent samples)', ir: 'IR (retry with reflections)', leafe: 'LEAFE (rollback tree)' }[s]} | ${fmt(share(s))} |`),
    '',
    '## Sizes',
    '',
    `base: ${c.base.model} model, ${c.base.tasks} training levels, ${c.base.epochs} epochs · GRPO: ${c.grpo.iterations} × ${c.grpo.tasksPerIteration} levels × G=${c.grpo.groupSize} · ` +
      `Early Experience: ${c.earlyExperience.tasks} levels × ${c.earlyExperience.alternatives} alternatives · exploration: ${c.explore.tasks} levels, depth ${c.explore.maxDepth} · Stage 2: β=${c.leafe.beta}, ${c.leafe.epochs} epochs.`,
    '',
  ].join('\n')
  mkdirSync(resultsDir, { recursive: true })
  writeFileSync(join(resultsDir, 'paper.json'), JSON.stringify(out, null, 2) + '\n')
  writeFileSync(join(resultsDir, 'paper.md'), md)
  console.log(md)
}

await main()
