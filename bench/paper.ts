// `npm run bench:paper`: the paper's comparison per environment and seed — the quickstart's
// pipeline (base → reading → GRPO → Early Experience → LEAFE from GRPO → Pass@k on test levels)
// plus, from the same GRPO checkpoint and exploration levels: LEAFE explored with diagnosis-only
// codes (no suggested move: the share of the gain that comes from the critic's oracle fix), the
// Table-4 ablation (Stage 2 on L_reh alone), and the Stage-1 samplers IS / IR / LEAFE at one
// execution budget. Reports mean ± sd over seeds and paired per-task bootstrap 95 % intervals.
// Writes bench/results/paper.json and paper.md. Settings come from the quickstart's sizes, which
// were chosen on validation levels; the test levels are touched by this final run only.
// LEAFE_PAPER_SEEDS (default 5: seeds 0–4; or a list such as 0,2,4), LEAFE_PAPER_N (default 128), LEAFE_PAPER_ENVS (default
// sokoban,household; an environment not named keeps its earlier results in paper.json),
// LEAFE_PAPER_SIZES=reduced and LEAFE_PAPER_EVAL_TASKS override, for a bigger machine or a quick look;
// LEAFE_PAPER_RENDER=1 re-renders paper.md from paper.json.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Engine } from '../src-main/core/engine.ts'
import { policyKey } from '../src-main/shared/jobs/eval.ts'
import { pairedBootstrap, type PairedInterval } from '../src-main/core/eval/paired-bootstrap.ts'
import { passAtK, type TaskCount } from '../src-main/core/eval/passk.ts'
import { QUICKSTART_ENVS, QuickstartConfig, quickstartExploreConfig, quickstartSizes } from '../src-main/shared/jobs/quickstart.ts'
import { doneJobResult } from '../src-main/shared/jobs/kinds.ts'
import { policyTaskCounts } from '../src-main/core/store/eval-results.ts'
import { acceptPending } from '../src-main/core/corpus/curation.ts'
import { every30s, runJobToEnd, withBenchEngine } from './engine.ts'
import { commitOf, machine, resultsDir } from './run.ts'

const METHODS = { base: 'base', grpo: 'GRPO', ee: 'Early Experience', leafe: 'LEAFE', random: 'random play' } as const
type MethodKey = keyof typeof METHODS
const SAMPLERS = ['is', 'ir', 'leafe'] as const
type Sampler = (typeof SAMPLERS)[number]
/** Extra Stage-2 checkpoints evaluated beside the quickstart's methods. */
const EXTRAS = { leafe_diagnosis: 'LEAFE, diagnosis-only codes', reh_only: 'Stage 2 on L_reh alone' } as const
type ExtraKey = keyof typeof EXTRAS

type SeedRun = {
  seed: number
  /** Per method and extra: every test task's (n, c). */
  counts: Record<MethodKey | ExtraKey, TaskCount[]>
  /** Per sampler: every exploration level's 0/1 solved. */
  solved: Record<Sampler, Record<string, number>>
  seconds: number
  config: QuickstartConfig
}

type MeanSd = { mean: number; sd: number }
type EnvResults = {
  seeds: number[]
  n: number
  testTasks: number
  methods: Record<MethodKey | ExtraKey, { pass1: MeanSd; pass128: MeanSd; passN: MeanSd }>
  paired: Record<'leafe-base' | 'leafe-grpo' | 'leafe_diagnosis-base', { pass1: PairedInterval; pass128: PairedInterval }>
  samplers: Record<Sampler, PairedInterval> & { 'ir-is': PairedInterval; 'leafe-ir': PairedInterval }
  ablation: Record<'reh_only' | 'cf_reh', { pass1: number; pass128: number }>
  perSeed: { seed: number; pass1: Record<string, number>; passN: Record<string, number>; samplers: Record<Sampler, number>; seconds: number }[]
  sizes: QuickstartConfig
  /** When and where this environment's seeds ran (environments can be run one at a time). */
  seconds: number
  machine: string
  date: string
  commit: string
}
type PaperResults = { envs: Record<string, EnvResults>; n: number; seconds: number; machine: string; date: string }

const evalCounts = (engine: Engine, runId: number, policy: string): TaskCount[] => policyTaskCounts(engine.db, runId, policy)

const solvedByTask = (engine: Engine, runId: number): Record<string, number> =>
  Object.fromEntries((engine.db.prepare('SELECT task_key, solved FROM run_tasks WHERE run_id = ?').all(runId) as { task_key: string; solved: number }[]).map((r) => [r.task_key, r.solved]))

async function oneSeed(env: string, seed: number, n: number, sizes: QuickstartConfig): Promise<SeedRun> {
  const started = Date.now()
  return withBenchEngine(`paper-${env}-s${seed}`, async (engine) => {
    const config = QuickstartConfig.parse({ ...sizes, seed })
    const evalTasks = config.eval.tasks
    const job = (kind: string, params: unknown, label: string) => runJobToEnd(engine, kind, params, `${env} seed ${seed} ${label}`, every30s(`${env} seed ${seed} ${label}`))
    console.error(`${env} seed ${seed}: quickstart with n = ${n}`)
    const qs = doneJobResult(await job('quickstart', { config }, 'quickstart'), 'quickstart')
    const grpo = qs.rows.find((r) => r.method === METHODS.grpo)!.checkpointId!
    const exploreTasks = { taskSet: qs.explore.taskSet }

    // Stage 2 on L_reh alone, from the quickstart's own corpus; then LEAFE explored with
    // diagnosis-only codes. Many of its items equal the quickstart's (the corpus stores an example
    // once), so this throwaway store drops the quickstart's corpus after its last use.
    const train = { epochs: config.leafe.epochs, lr: config.leafe.lr, batchSize: config.leafe.batchSize }
    const stage2 = (runs: number[], extra: Record<string, unknown>, label: string) =>
      job('leafe_sft', { config: { name: label, from: grpo, beta: config.leafe.beta, env, runs, train, seed, ...extra } }, label).then((j) => doneJobResult(j, 'leafe_sft').checkpointId)
    const rehCk = await stage2([qs.explore.runId], { rehearsalOnly: true }, 'L_reh only')
    engine.db.prepare('DELETE FROM corpus_items WHERE source_run_id = ?').run(qs.explore.runId)
    const diagnosis = doneJobResult(await job('explore', { config: { ...quickstartExploreConfig(config, { tasks: exploreTasks, checkpoint: grpo, sampler: 'leafe', buildCorpus: true }), experienceCode: 'diagnosis' } }, 'explore (diagnosis)'), 'explore')
    acceptPending(engine.db, diagnosis.runId)
    const diagCk = await stage2([diagnosis.runId], {}, 'leafe diagnosis-only')
    const extraEval = doneJobResult(await job('eval', { config: { env, tasks: { split: 'test', count: evalTasks, seed: 0, params: config.params }, policies: [{ kind: 'checkpoint', id: diagCk }, { kind: 'checkpoint', id: rehCk }], n, temperature: config.eval.temperature, seed } }, 'eval (extras)'), 'eval')

    // The Stage-1 samplers on the very levels the LEAFE exploration used, from the same checkpoint and budget.
    const solved = { leafe: solvedByTask(engine, qs.explore.runId) } as SeedRun['solved']
    for (const sampler of ['ir', 'is'] as const) {
      const s = doneJobResult(await job('explore', { config: quickstartExploreConfig(config, { tasks: exploreTasks, checkpoint: grpo, sampler, buildCorpus: false }) }, sampler), 'explore')
      solved[sampler] = solvedByTask(engine, s.runId)
    }
    const counts = {
      ...Object.fromEntries((Object.keys(METHODS) as MethodKey[]).map((k) => [k, qs.counts[METHODS[k]]!])),
      leafe_diagnosis: evalCounts(engine, extraEval.runId, policyKey({ kind: 'checkpoint', id: diagCk })),
      reh_only: evalCounts(engine, extraEval.runId, policyKey({ kind: 'checkpoint', id: rehCk })),
    } as SeedRun['counts']
    const seconds = (Date.now() - started) / 1000
    console.error(`${env} seed ${seed}: ${(Object.keys(counts) as (MethodKey | ExtraKey)[]).map((k) => `${k} ${(100 * meanPass(counts[k], 1)).toFixed(1)}/${(100 * meanPass(counts[k], n)).toFixed(1)}`).join(' · ')} (${seconds.toFixed(0)} s)`)
    return { seed, counts, solved, seconds, config }
  })
}

const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)
const sdOf = (xs: number[]) => {
  const m = meanOf(xs)
  return xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)) : 0
}
const passOf = (t: TaskCount, k: number) => passAtK(t.n, t.c, Math.min(k, t.n))
const meanPass = (counts: TaskCount[], k: number) => meanOf(counts.map((t) => passOf(t, k)))
const round = (x: number) => Number(x.toFixed(4))
const roundInterval = (p: PairedInterval): PairedInterval => ({ mean: round(p.mean), lo: round(p.lo), hi: round(p.hi) })

/** Per task, the value averaged over seeds (every seed is judged on the same test levels). */
function perTask(runs: SeedRun[], key: MethodKey | ExtraKey, k: number): Map<string, number> {
  const sums = new Map<string, number[]>()
  for (const r of runs) for (const t of r.counts[key]) sums.set(t.taskKey, [...(sums.get(t.taskKey) ?? []), passOf(t, k)])
  return new Map([...sums].map(([task, xs]) => [task, meanOf(xs)]))
}

/** a − b task by task (seed-averaged), with a paired bootstrap interval over tasks. */
function paired(runs: SeedRun[], a: MethodKey | ExtraKey, b: MethodKey | ExtraKey, k: number): PairedInterval {
  const A = perTask(runs, a, k)
  const B = perTask(runs, b, k)
  const tasks = [...A.keys()].filter((t) => B.has(t)).sort()
  return roundInterval(pairedBootstrap(tasks.map((t) => A.get(t)!), tasks.map((t) => B.get(t)!), { seed: 0 }))
}

/** Solved shares of the samplers over (seed, level) pairs, with bootstrap intervals; differences paired by level. */
function samplerTable(runs: SeedRun[]): EnvResults['samplers'] {
  const units = runs.flatMap((r) => Object.keys(r.solved.leafe).map((task) => ({ r, task })))
  const value = (s: Sampler) => units.map((u) => u.r.solved[s][u.task] ?? 0)
  const zeros = units.map(() => 0)
  const table = Object.fromEntries(SAMPLERS.map((s) => [s, roundInterval(pairedBootstrap(value(s), zeros, { seed: 0 }))])) as Record<Sampler, PairedInterval>
  return { ...table, 'ir-is': roundInterval(pairedBootstrap(value('ir'), value('is'), { seed: 0 })), 'leafe-ir': roundInterval(pairedBootstrap(value('leafe'), value('ir'), { seed: 0 })) }
}

function summarise(runs: SeedRun[], n: number, commit: string): EnvResults {
  const keys = [...(Object.keys(METHODS) as MethodKey[]), ...(Object.keys(EXTRAS) as ExtraKey[])]
  const cell = (k: MethodKey | ExtraKey, at: number): MeanSd => {
    const xs = runs.map((r) => meanPass(r.counts[k], at))
    return { mean: round(meanOf(xs)), sd: round(sdOf(xs)) }
  }
  const methods = Object.fromEntries(keys.map((k) => [k, { pass1: cell(k, 1), pass128: cell(k, 128), passN: cell(k, n) }])) as EnvResults['methods']
  const pair = (a: MethodKey | ExtraKey, b: MethodKey | ExtraKey) => ({ pass1: paired(runs, a, b, 1), pass128: paired(runs, a, b, 128) })
  return {
    seeds: runs.map((r) => r.seed),
    n,
    testTasks: runs[0]!.counts.base.length,
    methods,
    paired: { 'leafe-base': pair('leafe', 'base'), 'leafe-grpo': pair('leafe', 'grpo'), 'leafe_diagnosis-base': pair('leafe_diagnosis', 'base') },
    samplers: samplerTable(runs),
    ablation: {
      reh_only: { pass1: methods.reh_only.pass1.mean, pass128: methods.reh_only.pass128.mean },
      cf_reh: { pass1: methods.leafe.pass1.mean, pass128: methods.leafe.pass128.mean },
    },
    perSeed: runs.map((r) => ({
      seed: r.seed,
      pass1: Object.fromEntries(keys.map((k) => [k, round(meanPass(r.counts[k], 1))])),
      passN: Object.fromEntries(keys.map((k) => [k, round(meanPass(r.counts[k], n))])),
      samplers: Object.fromEntries(SAMPLERS.map((s) => [s, round(meanOf(Object.values(r.solved[s])))])) as Record<Sampler, number>,
      seconds: Math.round(r.seconds),
    })),
    sizes: runs[0]!.config,
    seconds: Math.round(runs.reduce((a, r) => a + r.seconds, 0)),
    machine: machine(),
    date: new Date().toISOString(),
    commit,
  }
}

/**
 * Each finished seed is kept in bench/results/paper-seeds/<env>-s<seed>.json (its config and
 * every task's counts), so a stopped run resumes at the next seed, several processes can run
 * different seeds side by side (LEAFE_PAPER_SEEDS=0,2,4 beside 1,3), and the summary is always
 * computed from every seed on disk whose sizes match this run's.
 */
const seedFile = (env: string, seed: number) => join(resultsDir, 'paper-seeds', `${env}-s${seed}.json`)

function storedSeeds(env: string, n: number, sizes: QuickstartConfig): SeedRun[] {
  const dir = join(resultsDir, 'paper-seeds')
  if (!existsSync(dir)) return []
  const same = (c: QuickstartConfig) => JSON.stringify({ ...c, seed: 0 }) === JSON.stringify({ ...sizes, seed: 0 })
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${env}-s`) && f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as SeedRun & { n: number })
    .filter((r) => r.n === n && same(r.config))
    .sort((a, b) => a.seed - b.seed)
}

/** The sizes bench:paper runs an environment at: the quickstart's, with n and the test set this bench asks for. */
function paperSizes(env: string, n: number): QuickstartConfig {
  const base = quickstartSizes(process.env.LEAFE_PAPER_SIZES === 'reduced' ? 'reduced' : 'standard', env)
  const evalTasks = Number(process.env.LEAFE_PAPER_EVAL_TASKS ?? base.eval.tasks)
  return QuickstartConfig.parse({ ...base, eval: { ...base.eval, tasks: evalTasks, n, split: 'test' } })
}

async function main(): Promise<void> {
  const seedList = process.env.LEAFE_PAPER_SEEDS ?? '5'
  // "5": seeds 0–4; "0,2,4": those seeds.
  const seeds = seedList.includes(',') ? seedList.split(',').map(Number) : Array.from({ length: Number(seedList) }, (_, i) => i)
  const n = Number(process.env.LEAFE_PAPER_N ?? 128)
  const envs = (process.env.LEAFE_PAPER_ENVS ?? QUICKSTART_ENVS.join(',')).split(',')
  const commit = commitOf()
  // Environments not run this time keep their earlier results (with their own date and commit),
  // so one environment can be re-run without the hours the other takes.
  const file = join(resultsDir, 'paper.json')
  const write = (env: string, runs: SeedRun[]) => {
    const earlier = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PaperResults) : null
    const out: PaperResults = { envs: earlier?.n === n ? { ...earlier.envs } : {}, n, seconds: 0, machine: machine(), date: new Date().toISOString() }
    if (runs.length) out.envs[env] = summarise(runs, n, commit)
    out.seconds = Object.values(out.envs).reduce((a, e) => a + (e.seconds ?? 0), 0)
    mkdirSync(resultsDir, { recursive: true })
    writeFileSync(file, JSON.stringify(out, null, 2) + '\n')
    writeFileSync(join(resultsDir, 'paper.md'), paperMarkdown(out))
    return out
  }
  let out: PaperResults | null = null
  for (const env of envs) {
    const sizes = paperSizes(env, n)
    for (const seed of seeds) {
      if (storedSeeds(env, n, sizes).some((r) => r.seed === seed)) {
        console.error(`${env} seed ${seed}: kept from ${seedFile(env, seed)}`)
        continue
      }
      const run = await oneSeed(env, seed, n, sizes)
      mkdirSync(join(resultsDir, 'paper-seeds'), { recursive: true })
      writeFileSync(seedFile(env, seed), JSON.stringify({ ...run, n, commit, machine: machine(), date: new Date().toISOString() }) + '\n')
      out = write(env, storedSeeds(env, n, sizes))
    }
    out = write(env, storedSeeds(env, n, sizes))
  }
  if (out) console.log(paperMarkdown(out))
}

const pct = (x: number) => (100 * x).toFixed(1)
const ms = (c: MeanSd) => `${pct(c.mean)} ± ${pct(c.sd)}`
const ci = (p: PairedInterval) => `${p.mean >= 0 ? '+' : ''}${pct(p.mean)} [${pct(p.lo)}, ${pct(p.hi)}]`
const share = (p: PairedInterval) => `${pct(p.mean)} [${pct(p.lo)}, ${pct(p.hi)}]`

/** paper.md from paper.json's content. */
export function paperMarkdown(out: PaperResults): string {
  const lines = [`# The paper's comparison (n = ${out.n})`, '', `Written by \`npm run bench:paper\` (${out.date}); each environment below says where and when it ran.`, '']
  const label: Record<string, string> = { ...METHODS, ...EXTRAS }
  for (const [env, r] of Object.entries(out.envs)) {
    const c = r.sizes
    const N = Math.min(128, r.n)
    lines.push(
      `## ${env} ${JSON.stringify(c.params)} — ${r.seeds.length} seeds (${r.seeds.join(', ')})`,
      '',
      `Run on ${r.machine ?? out.machine}, its seeds ${((r.seconds ?? out.seconds) / 60).toFixed(0)} min in all, commit ${r.commit ?? 'not recorded'} (${r.date ?? out.date}).`,
      '',
      `The same ${r.testTasks} test levels for every seed, n = ${r.n} samples each at temperature ${c.eval.temperature}; mean ± sd over seeds, in percent. Each seed draws its own training levels for every phase.`,
      '',
      `| method | Pass@1 | Pass@${N} |`,
      '|---|---:|---:|',
      ...Object.entries(r.methods).map(([k, m]) => `| ${label[k]} | ${ms(m.pass1)} | ${ms(m.pass128)} |`),
      '',
      `Paired differences, task by task (each task's value averaged over seeds), percentage points with bootstrap 95 % intervals over tasks:`,
      '',
      `| difference | Pass@1 | Pass@${N} |`,
      '|---|---:|---:|',
      ...Object.entries(r.paired).map(([k, p]) => `| ${k.replace('-', ' − ').replace('leafe_diagnosis', 'LEAFE (diagnosis only)').replace('leafe', 'LEAFE').replace('grpo', 'GRPO')} | ${ci(p.pass1)} | ${ci(p.pass128)} |`),
      '',
      `Stage-1 samplers at one execution budget (${c.explore.budget} environment steps per level, replays included; ${c.explore.tasks} training levels per seed, from the GRPO checkpoint): solved share with a bootstrap 95 % interval over (seed, level) pairs.`,
      '',
      '| sampler | solved share | per seed |',
      '|---|---:|---|',
      ...SAMPLERS.map((s) => `| ${s.toUpperCase()} | ${share(r.samplers[s])} | ${r.perSeed.map((p) => pct(p.samplers[s])).join(', ')} |`),
      `| IR − IS | ${ci(r.samplers['ir-is'])} | |`,
      `| LEAFE − IR | ${ci(r.samplers['leafe-ir'])} | |`,
      '',
      `Ablation (Table 4): Stage 2 on L_reh alone ${pct(r.ablation.reh_only.pass1)} / ${pct(r.ablation.reh_only.pass128)}, on L_cf + β·L_reh ${pct(r.ablation.cf_reh.pass1)} / ${pct(r.ablation.cf_reh.pass128)} (Pass@1 / Pass@${N}).`,
      '',
      `Per seed (Pass@1 / Pass@${r.n}):`,
      '',
      `| seed | ${Object.keys(r.methods).map((k) => label[k]).join(' | ')} | seconds |`,
      `|---|${Object.keys(r.methods).map(() => '---:').join('|')}|---:|`,
      ...r.perSeed.map((p) => `| ${p.seed} | ${Object.keys(r.methods).map((k) => `${pct(p.pass1[k]!)} / ${pct(p.passN[k]!)}`).join(' | ')} | ${p.seconds} |`),
      '',
      `Sizes: base ${c.base.model}, ${c.base.tasks} levels × ${c.base.epochs} epochs · reading ${c.reading.tasks} levels × ${c.reading.episodes} episodes · GRPO ${c.grpo.iterations} × ${c.grpo.tasksPerIteration} levels × G=${c.grpo.groupSize}, lr ${c.grpo.lr} · Early Experience ${c.earlyExperience.tasks} levels × ${c.earlyExperience.alternatives}, λ=${c.earlyExperience.worldWeight} · exploration ${c.explore.tasks} levels, budget ${c.explore.budget}, depth ${c.explore.maxDepth}, ${c.explore.branchesPerEvent} branch(es) per event · Stage 2 β=${c.leafe.beta}, ${c.leafe.epochs} epochs.`,
      '',
    )
  }
  return lines.join('\n')
}

if (process.env.LEAFE_PAPER_RENDER) {
  const out = JSON.parse(readFileSync(join(resultsDir, 'paper.json'), 'utf8')) as PaperResults
  writeFileSync(join(resultsDir, 'paper.md'), paperMarkdown(out))
  console.log(paperMarkdown(out))
} else {
  await main()
}
