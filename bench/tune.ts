// `npm run bench:tune`: chooses each method's settings on validation levels, never on test
// levels, so that no baseline in bench:paper is weak by neglect. For one environment and seed it
// runs the quickstart with its evaluation on the validation split (the current settings of every
// method), then, from the same read-trained base, a grid per method:
//   GRPO:             learning rate × iterations
//   Early Experience: λ (worldWeight) × epochs
//   LEAFE:            β × epochs on the current exploration, then exploration size × Stage 2
//                     learning rate × epochs at the chosen β (more levels explored = more
//                     corrections; exploration is part of LEAFE's compute), all from the chosen
//                     GRPO checkpoint (re-explored if GRPO's choice moved)
// Every checkpoint is evaluated on the same validation levels with the same n, and each method's
// setting is the one with the best score = (Pass@1 + Pass@n) / 2: both ends of the curve count,
// so a setting that sharpens Pass@1 by giving up coverage is not preferred by construction.
// Each method's compute budget is the largest setting in its grid (tune.md prints its seconds).
// Writes bench/results/tune/<env>.json and tune.md (several environments can run side by side as
// separate processes: LEAFE_TUNE_ENVS=sokoban beside LEAFE_TUNE_ENVS=household).
// LEAFE_TUNE_SEED (default 0) picks the training slices; LEAFE_TUNE_SIZES=reduced for a quick look;
// LEAFE_TUNE_METHODS (default grpo,ee,leafe,explore) runs only the named grids: a method left out keeps
// its grid from the environment's earlier tune/<env>.json (with that run's commit and date), and
// its current setting is the quickstart's.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Engine } from '../src-main/core/engine.ts'
import { policyKey } from '../src-main/shared/jobs/eval.ts'
import { passAtK, type TaskCount } from '../src-main/core/eval/passk.ts'
import type { ExploreSummary } from '../src-main/shared/jobs/explore.ts'
import { QUICKSTART_ENVS, QuickstartConfig, quickstartExploreConfig, quickstartSizes, quickstartTrainTasks } from '../src-main/shared/jobs/quickstart.ts'
import { doneJobResult } from '../src-main/shared/jobs/kinds.ts'
import { acceptPending } from '../src-main/core/corpus/curation.ts'
import { policyTaskCounts } from '../src-main/core/store/eval-results.ts'
import { every30s, runJobToEnd, withBenchEngine } from './engine.ts'
import { commitOf, machine, resultsDir } from './run.ts'

type Scored = { pass1: number; passN: number; score: number }
type Trial<S> = { setting: S; seconds: number; current: boolean } & Scored
type GrpoSetting = { lr: number; iterations: number }
type EeSetting = { worldWeight: number; epochs: number }
type LeafeSetting = { beta: number; epochs: number }
type ExploreSetting = { exploreTasks: number; lr: number; epochs: number }
/** One exploration from the chosen GRPO checkpoint: its size, what it found, what it cost. */
type Explored = { tasks: number; solved: number; cf: number; steps: number; seconds: number }
/** When a method's grid was carried over from an earlier run (LEAFE_TUNE_METHODS left it out). */
type RanAt = { ranAt?: { commit: string; date: string } }
const TUNED = ['grpo', 'ee', 'leafe', 'explore'] as const
type Tuned = (typeof TUNED)[number]
export type TuneResults = {
  env: string
  seed: number
  split: 'valid'
  tasks: number
  n: number
  criterion: string
  base: Scored
  /** Every method of this run's quickstart at the current settings (absent in files from before it was kept). */
  quickstart?: Record<string, Scored>
  grpo: { trials: Trial<GrpoSetting>[]; chosen: GrpoSetting } & RanAt
  ee: { trials: Trial<EeSetting>[]; chosen: EeSetting } & RanAt
  leafe: { trials: Trial<LeafeSetting>[]; chosen: LeafeSetting; from: GrpoSetting; explored: { solved: number; tasks: number; cf: number } } & RanAt
  /** Exploration size × Stage 2 lr × epochs at the chosen β (absent in files from before this grid). */
  explore?: { trials: Trial<ExploreSetting>[]; chosen: ExploreSetting; beta: number; from: GrpoSetting; explorations: Explored[] } & RanAt
  sizes: QuickstartConfig
  /** The quickstart's wall-clock seconds per phase (its total is the standard quickstart's time, its evaluation on validation levels). */
  quickstartSeconds?: Record<string, number>
  seconds: number
  machine: string
  date: string
  commit: string
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)
const round = (x: number) => Number(x.toFixed(4))
function scored(counts: TaskCount[], n: number): Scored {
  const pass1 = mean(counts.map((t) => passAtK(t.n, t.c, 1)))
  const passN = mean(counts.map((t) => passAtK(t.n, t.c, n)))
  return { pass1: round(pass1), passN: round(passN), score: round((pass1 + passN) / 2) }
}
/** The best trial; a tie keeps the current setting (then the earlier one), so nothing moves on noise alone. */
function best<S>(trials: Trial<S>[]): Trial<S> {
  return trials.reduce((a, b) => (b.score > a.score || (b.score === a.score && b.current && !a.current) ? b : a))
}
const same = (a: object, b: object) => JSON.stringify(a) === JSON.stringify(b)
/** A grid without repeats (halving a small epoch count can land on the count itself). */
const distinct = <S extends object>(grid: S[]): S[] => grid.filter((s, i) => grid.findIndex((t) => same(s, t)) === i)

/** The environment's earlier results, whose grids a run that leaves a method out carries over. */
function earlier(env: string): TuneResults | undefined {
  const file = join(dir, `${env}.json`)
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as TuneResults) : undefined
}
/** A grid section from an earlier run, marked with when it ran (unless it already carries that). */
function carried<T extends RanAt>(section: T | undefined, from: TuneResults | undefined, name: string): T {
  if (!section || !from) throw new Error(`LEAFE_TUNE_METHODS leaves ${name} out, but no earlier tune result holds its grid: run it once.`)
  return { ...section, ranAt: section.ranAt ?? { commit: from.commit, date: from.date } }
}

async function tuneEnv(env: string, seed: number, methods: Set<Tuned>): Promise<TuneResults> {
  const started = Date.now()
  const sizes = quickstartSizes(process.env.LEAFE_TUNE_SIZES === 'reduced' ? 'reduced' : 'standard', env)
  const cfg = QuickstartConfig.parse({ ...sizes, seed, eval: { ...sizes.eval, split: 'valid' } })
  const { n, temperature } = cfg.eval
  const before = earlier(env)
  return withBenchEngine(`tune-${env}-s${seed}`, async (engine: Engine) => {
    const job = (kind: string, params: unknown, label: string) => runJobToEnd(engine, kind, params, `${env} ${label}`, every30s(`${env} ${label}`))
    /** Every checkpoint on the validation levels at once, scored. */
    const evaluate = async (ids: number[], label: string): Promise<Scored[]> => {
      if (!ids.length) return []
      const policies = ids.map((id) => ({ kind: 'checkpoint' as const, id }))
      const r = doneJobResult(await job('eval', { config: { env, tasks: { split: 'valid', count: cfg.eval.tasks, seed: 0, params: cfg.params }, policies, n, temperature, seed } }, `eval ${label}`), 'eval')
      return policies.map((p) =>
        scored(policyTaskCounts(engine.db, r.runId, policyKey(p)), n),
      )
    }
    const timed = async <T>(body: () => Promise<T>): Promise<{ value: T; seconds: number }> => {
      const t0 = Date.now()
      const value = await body()
      return { value, seconds: Math.round((Date.now() - t0) / 1000) }
    }

    console.error(`${env} seed ${seed}: quickstart on validation levels (the current settings)`)
    const qs = doneJobResult(await job('quickstart', { config: cfg }, 'quickstart'), 'quickstart')
    const row = (method: string) => qs.rows.find((r) => r.method === method)!
    const readCk = row('base').checkpointId!
    const fromQs = (method: string): Scored => scored(qs.counts[method]!, n)
    const phaseSeconds = (p: string) => Math.round(qs.phaseSeconds[p as keyof typeof qs.phaseSeconds] ?? 0)

    // GRPO: learning rate × iterations from the read-trained base.
    const grpoCurrent: GrpoSetting = { lr: cfg.grpo.lr, iterations: cfg.grpo.iterations }
    const grpoCk = new Map<string, number>([[JSON.stringify(grpoCurrent), row('GRPO').checkpointId!]])
    let grpo: TuneResults['grpo']
    if (methods.has('grpo')) {
      const grpoGrid: GrpoSetting[] = distinct([cfg.grpo.lr / 3, cfg.grpo.lr, cfg.grpo.lr * 3].flatMap((lr) => [cfg.grpo.iterations, 2 * cfg.grpo.iterations].map((iterations) => ({ lr: round(lr * 1e6) / 1e6, iterations }))))
      const grpoRuns: { s: GrpoSetting; ck: number; seconds: number }[] = []
      for (const s of grpoGrid) {
        if (same(s, grpoCurrent)) continue
        const tasks = quickstartTrainTasks(cfg, 'grpo', s.iterations * cfg.grpo.tasksPerIteration)
        const r = await timed(() => job('grpo', { config: { name: `grpo lr ${s.lr} × ${s.iterations}`, from: readCk, env, tasks, ...cfg.grpo, ...s, seed } }, `grpo lr ${s.lr} × ${s.iterations}`))
        const ck = doneJobResult(r.value, 'grpo').checkpointId
        grpoCk.set(JSON.stringify(s), ck)
        grpoRuns.push({ s, ck, seconds: r.seconds })
      }
      const grpoScores = await evaluate(grpoRuns.map((r) => r.ck), 'grpo grid')
      const trials: Trial<GrpoSetting>[] = [{ setting: grpoCurrent, seconds: phaseSeconds('grpo'), current: true, ...fromQs('GRPO') }, ...grpoRuns.map((r, i) => ({ setting: r.s, seconds: r.seconds, current: false, ...grpoScores[i]! }))]
      grpo = { trials, chosen: best(trials).setting }
      console.error(`${env}: GRPO ${trials.map((t) => `lr ${t.setting.lr} × ${t.setting.iterations}: ${(100 * t.pass1).toFixed(1)}/${(100 * t.passN).toFixed(1)}`).join(' · ')} → lr ${grpo.chosen.lr} × ${grpo.chosen.iterations}`)
    } else grpo = carried(before?.grpo, before, 'GRPO')
    // Stage 2 starts from the GRPO the quickstart carries when GRPO's grid was not run now.
    const grpoChosen = methods.has('grpo') ? grpo.chosen : grpoCurrent

    // Early Experience: λ × epochs from the read-trained base.
    const ee = cfg.earlyExperience
    let eeSection: TuneResults['ee']
    if (methods.has('ee')) {
      const eeCurrent: EeSetting = { worldWeight: ee.worldWeight, epochs: ee.epochs }
      const eeGrid: EeSetting[] = distinct([ee.worldWeight / 4, ee.worldWeight, ee.worldWeight * 4].flatMap((worldWeight) => [ee.epochs, 2 * ee.epochs].map((epochs) => ({ worldWeight, epochs }))))
      const eeRuns: { s: EeSetting; ck: number; seconds: number }[] = []
      for (const s of eeGrid) {
        if (same(s, eeCurrent)) continue
        const config = { name: `early experience λ ${s.worldWeight} × ${s.epochs}`, from: readCk, env, tasks: quickstartTrainTasks(cfg, 'early_experience'), alternatives: ee.alternatives, worldWeight: s.worldWeight, train: { epochs: s.epochs, lr: ee.lr, batchSize: ee.batchSize }, seed }
        const r = await timed(() => job('early_experience', { config }, config.name))
        eeRuns.push({ s, ck: doneJobResult(r.value, 'early_experience').checkpointId, seconds: r.seconds })
      }
      const eeScores = await evaluate(eeRuns.map((r) => r.ck), 'early experience grid')
      const trials: Trial<EeSetting>[] = [{ setting: eeCurrent, seconds: phaseSeconds('early_experience'), current: true, ...fromQs('Early Experience') }, ...eeRuns.map((r, i) => ({ setting: r.s, seconds: r.seconds, current: false, ...eeScores[i]! }))]
      eeSection = { trials, chosen: best(trials).setting }
    } else eeSection = carried(before?.ee, before, 'Early Experience')

    // LEAFE from the chosen GRPO checkpoint: explored again when GRPO's choice moved.
    const grpoFrom = grpoCk.get(JSON.stringify(grpoChosen))!
    // The quickstart's exploration (its corrections already accepted) serves when GRPO's choice stayed.
    const reuseCurrent = same(grpoChosen, grpoCurrent)
    const acceptedCf = (runId: number) => (engine.db.prepare(`SELECT COUNT(*) AS c FROM corpus_items WHERE source_run_id = ? AND status = 'accepted' AND kind = 'cf'`).get(runId) as { c: number }).c
    /** An exploration from the chosen GRPO of `count` training levels (the quickstart's own when it can serve), its corrections accepted. */
    const explorations = new Map<number, { runId: number } & Explored>()
    const explore = async (count: number) => {
      const known = explorations.get(count)
      if (known) return known
      let summary: ExploreSummary
      let seconds: number
      if (reuseCurrent && count === cfg.explore.tasks) {
        summary = qs.explore
        seconds = phaseSeconds('explore')
      } else {
        // A larger exploration takes the explore slice's first `count` levels, as the quickstart with that size would.
        const tasks = count === cfg.explore.tasks ? { taskSet: qs.explore.taskSet } : quickstartTrainTasks(cfg, 'explore', count)
        const r = await timed(() => job('explore', { config: quickstartExploreConfig(cfg, { tasks, checkpoint: grpoFrom, sampler: 'leafe', buildCorpus: true }) }, `explore ${count} levels from the chosen GRPO`))
        summary = doneJobResult(r.value, 'explore')
        seconds = r.seconds
        acceptPending(engine.db, summary.runId)
      }
      const e = { runId: summary.runId, tasks: summary.tasks, solved: summary.solved, cf: acceptedCf(summary.runId), steps: summary.stepsUsed, seconds }
      explorations.set(count, e)
      return e
    }
    const lf = cfg.leafe
    const leafeCurrent: LeafeSetting = { beta: lf.beta, epochs: lf.epochs }
    const stage2 = async (runId: number, s: { beta: number; epochs: number; lr: number }, name: string) => {
      const config = { name, from: grpoFrom, beta: s.beta, env, runs: [runId], train: { epochs: s.epochs, lr: s.lr, batchSize: lf.batchSize }, seed }
      const r = await timed(() => job('leafe_sft', { config }, name))
      return { ck: doneJobResult(r.value, 'leafe_sft').checkpointId, seconds: r.seconds }
    }
    let leafe: TuneResults['leafe']
    if (methods.has('leafe')) {
      const current = await explore(cfg.explore.tasks)
      const leafeGrid: LeafeSetting[] = distinct([lf.beta / 4, lf.beta, lf.beta * 4].flatMap((beta) => [Math.max(1, Math.round(lf.epochs / 2)), lf.epochs, 2 * lf.epochs].map((epochs) => ({ beta, epochs }))))
      const leafeRuns: { s: LeafeSetting; ck: number; seconds: number }[] = []
      for (const s of leafeGrid) {
        if (reuseCurrent && same(s, leafeCurrent)) continue
        leafeRuns.push({ s, ...(await stage2(current.runId, { ...s, lr: lf.lr }, `leafe β ${s.beta} × ${s.epochs}`)) })
      }
      const leafeScores = await evaluate(leafeRuns.map((r) => r.ck), 'leafe grid')
      const trials: Trial<LeafeSetting>[] = [
        ...(reuseCurrent ? [{ setting: leafeCurrent, seconds: phaseSeconds('leafe'), current: true, ...fromQs('LEAFE') }] : []),
        ...leafeRuns.map((r, i) => ({ setting: r.s, seconds: r.seconds, current: !reuseCurrent && same(r.s, leafeCurrent), ...leafeScores[i]! })),
      ]
      leafe = { trials, chosen: best(trials).setting, from: grpoChosen, explored: { solved: current.solved, tasks: current.tasks, cf: current.cf } }
    } else leafe = carried(before?.leafe, before, 'LEAFE β × epochs')

    // Exploration size × Stage 2 learning rate × epochs at the chosen β. A trial's seconds are its
    // exploration's plus its Stage 2's: both are LEAFE's compute on top of GRPO's.
    let exploreSection: TuneResults['explore']
    if (methods.has('explore')) {
      const beta = methods.has('leafe') ? leafe.chosen.beta : lf.beta
      const current: ExploreSetting = { exploreTasks: cfg.explore.tasks, lr: lf.lr, epochs: lf.epochs }
      const grid: ExploreSetting[] = distinct([1, 2, 4].flatMap((m) => [lf.lr / 5, lf.lr].flatMap((lr) => [Math.max(1, Math.round(lf.epochs / 2)), lf.epochs].map((epochs) => ({ exploreTasks: m * cfg.explore.tasks, lr: round(lr * 1e6) / 1e6, epochs })))))
      const runs: { s: ExploreSetting; ck: number; seconds: number }[] = []
      let currentTrial: Trial<ExploreSetting> | undefined
      for (const s of grid) {
        const e = await explore(s.exploreTasks)
        if (reuseCurrent && same(s, current) && beta === lf.beta) {
          currentTrial = { setting: s, seconds: e.seconds + phaseSeconds('leafe'), current: true, ...fromQs('LEAFE') }
          continue
        }
        const r = await stage2(e.runId, { beta, epochs: s.epochs, lr: s.lr }, `leafe ${s.exploreTasks} levels, lr ${s.lr} × ${s.epochs}`)
        runs.push({ s, ck: r.ck, seconds: e.seconds + r.seconds })
      }
      const scores = await evaluate(runs.map((r) => r.ck), 'exploration grid')
      const trials: Trial<ExploreSetting>[] = [...(currentTrial ? [currentTrial] : []), ...runs.map((r, i) => ({ setting: r.s, seconds: r.seconds, current: !currentTrial && same(r.s, current), ...scores[i]! }))]
      exploreSection = { trials, chosen: best(trials).setting, beta, from: grpoChosen, explorations: [...explorations.values()].map(({ runId: _r, ...e }) => e) }
      console.error(`${env}: exploration ${trials.map((t) => `${label(t.setting)}: ${pct(t.pass1)}/${pct(t.passN)}`).join(' · ')} → ${label(exploreSection.chosen)}`)
    } else exploreSection = before?.explore ? carried(before.explore, before, 'the exploration grid') : undefined

    return {
      env,
      seed,
      split: 'valid',
      tasks: cfg.eval.tasks,
      n,
      criterion: `(Pass@1 + Pass@${n}) / 2 on ${cfg.eval.tasks} validation tasks, n = ${n} at temperature ${temperature}; ties keep the current setting`,
      base: fromQs('base'),
      quickstart: Object.fromEntries(Object.keys(qs.counts).map((m) => [m, fromQs(m)])),
      grpo,
      ee: eeSection,
      leafe,
      ...(exploreSection ? { explore: exploreSection } : {}),
      sizes: cfg,
      quickstartSeconds: Object.fromEntries(Object.entries(qs.phaseSeconds).map(([p, t]) => [p, Math.round(t ?? 0)])),
      seconds: Math.round((Date.now() - started) / 1000),
      machine: machine(),
      date: new Date().toISOString(),
      commit: commitOf(),
    }
  })
}

const pct = (x: number) => (100 * x).toFixed(1)
const label = (s: object) => Object.entries(s).map(([k, v]) => `${k} ${v}`).join(', ')

const quickstartLine = (r: TuneResults): string => {
  const scores = r.quickstart ? ` Its quickstart at the current settings (Pass@1 / Pass@${r.n}): ${Object.entries(r.quickstart).map(([m, x]) => `${m} ${pct(x.pass1)} / ${pct(x.passN)}`).join(', ')}.` : ''
  const phases = Object.entries(r.quickstartSeconds ?? {})
  const took = phases.length ? ` The quickstart at these sizes took ${phases.reduce((a, [, t]) => a + t, 0)} s (${phases.map(([p, t]) => `${p} ${t}`).join(', ')}).` : ''
  return scores + took
}

/** tune.md from every environment's tune/<env>.json. */
export function tuneMarkdown(all: TuneResults[]): string {
  const lines = ['# Settings chosen on validation levels', '', 'Written by `npm run bench:tune`. Test levels are not used. Each table is one method\'s grid from one read-trained base; ★ marks the chosen setting, (current) the quickstart\'s setting when the grid ran. Seconds are wall-clock training time on a shared machine (the current setting\'s from its quickstart phase), a rough guide to cost only.', '']
  for (const r of all) {
    lines.push(`## ${r.env} — seed ${r.seed}, ${r.tasks} validation tasks, n = ${r.n}`, '', `Criterion: ${r.criterion}. Run on ${r.machine}, ${Math.round(r.seconds / 60)} min, commit ${r.commit} (${r.date}). Base (read-trained): ${pct(r.base.pass1)} / ${pct(r.base.passN)}.${quickstartLine(r)}`, '')
    const table = <S extends object>(name: string, t: { trials: Trial<S>[]; chosen: S } & RanAt, note = '') => {
      const ran = t.ranAt ? ` — grid from an earlier run, commit ${t.ranAt.commit} (${t.ranAt.date}), from its own quickstart` : ''
      const budget = Math.max(...t.trials.map((x) => x.seconds))
      lines.push(`${name}${note}${ran}`, '', `| setting | Pass@1 | Pass@${r.n} | score | seconds |`, '|---|---:|---:|---:|---:|')
      for (const x of t.trials) lines.push(`| ${same(x.setting, t.chosen) ? '★ ' : ''}${label(x.setting)}${x.current ? ' (current)' : ''} | ${pct(x.pass1)} | ${pct(x.passN)} | ${pct(x.score)} | ${x.seconds} |`)
      lines.push('', `Budget: the grid's largest setting took ${budget} s.`, '')
    }
    table('GRPO', r.grpo)
    table('Early Experience', r.ee)
    table('LEAFE Stage 2', r.leafe, ` (from GRPO ${label(r.leafe.from)}; its exploration solved ${r.leafe.explored.solved} of ${r.leafe.explored.tasks} levels, ${r.leafe.explored.cf} D_cf items)`)
    if (r.explore) {
      const ex = r.explore.explorations.map((e) => `${e.tasks} levels: ${e.solved} solved, ${e.cf} D_cf items, ${e.steps} environment steps, ${e.seconds} s`).join('; ')
      table('LEAFE exploration size × Stage 2 lr × epochs', r.explore, ` (β ${r.explore.beta}, from GRPO ${label(r.explore.from)}; explorations: ${ex}; seconds = exploration + Stage 2)`)
    }
  }
  return lines.join('\n')
}

const dir = join(resultsDir, 'tune')
function writeAll(): string {
  const all = readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as TuneResults)
  const md = tuneMarkdown(all)
  writeFileSync(join(resultsDir, 'tune.md'), md + '\n')
  return md
}

async function main(): Promise<void> {
  const envs = (process.env.LEAFE_TUNE_ENVS ?? QUICKSTART_ENVS.join(',')).split(',')
  const seed = Number(process.env.LEAFE_TUNE_SEED ?? 0)
  const named = (process.env.LEAFE_TUNE_METHODS ?? TUNED.join(',')).split(',').map((m) => m.trim())
  const unknown = named.filter((m) => !(TUNED as readonly string[]).includes(m))
  if (unknown.length) throw new Error(`LEAFE_TUNE_METHODS: ${unknown.join(', ')} is not one of ${TUNED.join(', ')}.`)
  const methods = new Set(named as Tuned[])
  mkdirSync(dir, { recursive: true })
  for (const env of envs) {
    const r = await tuneEnv(env, seed, methods)
    writeFileSync(join(dir, `${env}.json`), JSON.stringify(r, null, 2) + '\n')
    console.error(`${env}: chosen GRPO ${label(r.grpo.chosen)} · Early Experience ${label(r.ee.chosen)} · Stage 2 ${label(r.leafe.chosen)}`)
  }
  console.log(writeAll())
}

if (process.env.LEAFE_TUNE_RENDER) console.log(writeAll())
else await main()
