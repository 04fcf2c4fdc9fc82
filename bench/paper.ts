// `npm run bench:paper`: the quickstart's comparison (base → GRPO → Early Experience → LEAFE,
// Pass@k on held-out levels) with 3 seeds and n = 128, mean ± sd per cell, plus the Stage-1
// sampler table: IS / IR / LEAFE from the same GRPO checkpoint on the same training levels at the
// same per-task step budget (the paper's Table 3). Writes bench/results/paper.json and paper.md.
// Sizes: the quickstart's standard ones with n raised to 128 (LEAFE_PAPER_SEEDS, LEAFE_PAPER_N
// and LEAFE_PAPER_SIZES=reduced override, for a bigger machine or a quick look).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Job } from '../src-main/api/contract.ts'
import type { ExploreSummary } from '../src-main/core/explore/job.ts'
import { QuickstartConfig, quickstartExploreConfig, quickstartSizes } from '../src-main/core/quickstart/config.ts'
import type { QuickstartResult } from '../src-main/core/quickstart/job.ts'
import { methodKey, runJobToEnd, withBenchEngine } from './engine.ts'
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

/** Progress of a long job, every 30 s at most. */
function every30s(label: string): (job: Job) => void {
  let last = 0
  return (j) => {
    if (Date.now() - last < 30_000) return
    last = Date.now()
    console.error(`  ${label}: ${j.message ?? ''}`)
  }
}

async function main(): Promise<void> {
  const seeds = Array.from({ length: Number(process.env.LEAFE_PAPER_SEEDS ?? 3) }, (_, i) => i)
  const n = Number(process.env.LEAFE_PAPER_N ?? 128)
  const standard = quickstartSizes(process.env.LEAFE_PAPER_SIZES === 'reduced' ? 'reduced' : 'standard')
  const started = Date.now()
  const results: SeedResult[] = []
  for (const seed of seeds) {
    await withBenchEngine(`paper-s${seed}`, async (engine) => {
      const config = QuickstartConfig.parse({ ...standard, seed, eval: { ...standard.eval, n } })
      console.error(`seed ${seed}: quickstart with n = ${n}`)
      const label = `seed ${seed} quickstart`
      const qs = (await runJobToEnd(engine, 'quickstart', { config }, label, every30s(label))).result as QuickstartResult
      const grpo = qs.rows.find((r) => r.method === 'GRPO')!.checkpointId!
      const samplers = { leafe: { solved: qs.explore.solved, tasks: qs.explore.tasks, stepsUsed: qs.explore.stepsUsed } } as SeedResult['samplers']
      // IS and IR on the very task set the LEAFE exploration used, from the same checkpoint and budget.
      for (const sampler of ['ir', 'is'] as const) {
        const explore = quickstartExploreConfig(config, { tasks: { taskSet: qs.explore.taskSet }, checkpoint: grpo, sampler, buildCorpus: false })
        const label = `seed ${seed} ${sampler}`
        const s = (await runJobToEnd(engine, 'explore', { config: explore }, label, every30s(label))).result as ExploreSummary
        samplers[sampler] = { solved: s.solved, tasks: s.tasks, stepsUsed: s.stepsUsed }
      }
      results.push({ seed, quickstart: qs, samplers })
      console.error(`seed ${seed}: ${qs.rows.map((r) => `${r.method} ${(100 * r.passAt1).toFixed(1)}/${(100 * r.passAtN).toFixed(1)}`).join(' · ')} (${qs.seconds.toFixed(0)} s)`)
    })
  }
  const seconds = (Date.now() - started) / 1000
  const c = results[0]!.quickstart.config
  const perSeed: PerSeed[] = results.map((r) => ({ seed: r.seed, rows: r.quickstart.rows, expansion: r.quickstart.expansion, samplers: r.samplers, phaseSeconds: r.quickstart.phaseSeconds, seconds: r.quickstart.seconds }))
  const flat: Record<string, number> = {}
  for (const m of perSeed[0]!.rows.map((r) => r.method)) {
    const key = methodKey(m)
    for (const [k, xs] of [['pass1', cell(perSeed, m, 'passAt1')], [`pass${n}`, cell(perSeed, m, 'passAtN')]] as const) {
      const { mean, sd } = meanSd(xs)
      flat[`${key}_${k}_mean`] = Number(mean.toFixed(4))
      flat[`${key}_${k}_sd`] = Number(sd.toFixed(4))
    }
  }
  for (const s of SAMPLERS) flat[`solved_share_${s}_mean`] = Number(meanSd(share(perSeed, s)).mean.toFixed(4))
  const out: PaperResults = { ...flat, seeds: seeds.length, n, heldout_tasks: c.eval.tasks, seconds: Math.round(seconds), sizes: c, perSeed, machine: machine(), date: new Date().toISOString() }
  mkdirSync(resultsDir, { recursive: true })
  writeFileSync(join(resultsDir, 'paper.json'), JSON.stringify(out, null, 2) + '\n')
  writeFileSync(join(resultsDir, 'paper.md'), paperMarkdown(out))
  console.log(paperMarkdown(out))
}

const SAMPLERS = ['is', 'ir', 'leafe'] as const
type PerSeed = { seed: number; rows: QuickstartResult['rows']; expansion: QuickstartResult['expansion']; samplers: SeedResult['samplers']; phaseSeconds: Record<string, number>; seconds?: number }
type PaperResults = Record<string, unknown> & { seeds: number; n: number; seconds: number; sizes: QuickstartConfig; perSeed: PerSeed[]; machine: string; date: string }
const cell = (perSeed: PerSeed[], method: string, key: 'passAt1' | 'passAtN') => perSeed.map((r) => r.rows.find((x) => x.method === method)![key])
const share = (perSeed: PerSeed[], s: (typeof SAMPLERS)[number]) => perSeed.map((r) => r.samplers[s].solved / r.samplers[s].tasks)
const pct = (x: number) => (100 * x).toFixed(1)

/** paper.md from paper.json's content (LEAFE_PAPER_RENDER=1 re-renders it without re-running). */
export function paperMarkdown(out: PaperResults): string {
  const { n, sizes: c, perSeed } = out
  const methods = perSeed[0]!.rows.map((r) => r.method)
  const label = { is: 'IS (independent samples)', ir: 'IR (retry with reflections)', leafe: 'LEAFE (rollback tree)' }
  return [
    `# The paper's comparison on built-in Sokoban (${out.seeds} seeds, n = ${n})`,
    '',
    `Held-out: the same ${c.eval.tasks} test levels of ${c.env} ${JSON.stringify(c.params)} for every seed, n = ${n} samples each at temperature ${c.eval.temperature}; mean ± sd over seeds, in percent. ` +
      `Written by \`npm run bench:paper\` on ${out.machine} in ${(out.seconds / 60).toFixed(0)} min (${out.date}).`,
    '',
    `| method | Pass@1 | Pass@${n} |`,
    '|---|---:|---:|',
    ...methods.map((m) => `| ${m} | ${fmt(cell(perSeed, m, 'passAt1'))} | ${fmt(cell(perSeed, m, 'passAtN'))} |`),
    '',
    '## Per seed (Pass@1 / Pass@' + n + ')',
    '',
    `| seed | ${methods.join(' | ')} | LEAFE only / GRPO only / both |`,
    `|---|${methods.map(() => '---:').join('|')}|---|`,
    ...perSeed.map((r) => `| ${r.seed} | ${r.rows.map((x) => `${pct(x.passAt1)} / ${pct(x.passAtN)}`).join(' | ')} | ${r.expansion.leafeOnly} / ${r.expansion.grpoOnly} / ${r.expansion.both} |`),
    '',
    `## Stage-1 samplers at an equal budget (${c.explore.budget} environment steps per task, ${c.explore.tasks} training levels, from the GRPO checkpoint)`,
    '',
    `| sampler | solved share | per seed |`,
    '|---|---:|---|',
    ...SAMPLERS.map((s) => `| ${label[s]} | ${fmt(share(perSeed, s))} | ${perSeed.map((r) => `${r.samplers[s].solved}/${r.samplers[s].tasks}`).join(', ')} |`),
    '',
    '## Sizes',
    '',
    `base: ${c.base.model} model, ${c.base.tasks} training levels, ${c.base.epochs} epochs, batch ${c.base.batchSize} · GRPO: ${c.grpo.iterations} × ${c.grpo.tasksPerIteration} levels × G=${c.grpo.groupSize} · ` +
      `Early Experience: ${c.earlyExperience.tasks} levels × ${c.earlyExperience.alternatives} alternatives, λ=${c.earlyExperience.worldWeight} · exploration: ${c.explore.tasks} levels, budget ${c.explore.budget}, depth ${c.explore.maxDepth} · Stage 2: β=${c.leafe.beta}, ${c.leafe.epochs} epochs. ` +
      `Seconds per seed: ${perSeed.map((r) => (r.seconds ?? Object.values(r.phaseSeconds).reduce((a, b) => a + b, 0)).toFixed(0)).join(', ')}.`,
    '',
  ].join('\n')
}

if (process.env.LEAFE_PAPER_RENDER) {
  const out = JSON.parse(readFileSync(join(resultsDir, 'paper.json'), 'utf8')) as PaperResults
  writeFileSync(join(resultsDir, 'paper.md'), paperMarkdown(out))
  console.log(paperMarkdown(out))
} else {
  await main()
}
