// The `quickstart` job: the paper's comparison in one worker thread, phase by phase, each phase
// the same job code a user can run alone (SFT, GRPO, Early Experience, exploration, Stage 2,
// evaluation). Resumable: finished phases keep their results, the current one resumes from its
// own saved state. Writes a table, a Pass@k SVG and the whole result as JSON.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { acceptPending } from '../corpus/curation.ts'
import { policyTaskCounts } from '../store/eval-results.ts'
import { getEnvironment } from '../envs/registry.ts'
import { passAtKSvg } from '../eval/chart-svg.ts'
import { policyKey } from '../../shared/jobs/eval.ts'
import { run as runEval } from '../eval/job.ts'
import { pairedBootstrap, type PairedInterval } from '../eval/paired-bootstrap.ts'
import { compareSolved, passAtK, passCurve, type TaskCount } from '../eval/passk.ts'
import { run as runExplore } from '../explore/job.ts'
import { phaseContext } from '../jobs/phases.ts'
import { throwIfCancelled, type JobContext } from '../jobs/types.ts'
import { run as runBase } from '../train/base-job.ts'
import { run as runEarlyExperience } from '../train/early-experience-job.ts'
import { run as runGrpo } from '../train/grpo.ts'
import { run as runLeafe } from '../train/leafe-job.ts'
import { run as runReading } from '../train/reading-job.ts'
import { percent, taskParamsLabel } from '../../shared/format.ts'
import { savedJobState } from '../../shared/jobs/kinds.ts'
import {
  phaseDone, QUICKSTART_PHASES, QuickstartParams, quickstartExploreConfig, quickstartTrainTasks,
  type PairedRow, type PhaseDone, type QuickstartPhase, type QuickstartResult, type QuickstartRow, type QuickstartState,
} from '../../shared/jobs/quickstart.ts'

const PHASES = QUICKSTART_PHASES.map((p) => p.phase)

export type { PairedRow, QuickstartResult, QuickstartRow }

export async function run(ctx: JobContext<unknown>): Promise<QuickstartResult> {
  const cfg = QuickstartParams.parse(ctx.params).config
  const started = Date.now()
  const db = ctx.db()
  const env = getEnvironment(cfg.env)
  const state: QuickstartState = savedJobState('quickstart', ctx.state) ?? { done: {} }
  const backend = cfg.backend ? { backend: cfg.backend } : {}
  const outDir = join(ctx.dataDir, 'quickstart', `job-${ctx.jobId}`)

  /** Runs one phase (or returns its stored result) with its share of the overall progress bar. */
  const phase = async <N extends QuickstartPhase>(name: N, body: (sub: <P>(params: P) => JobContext<P>) => Promise<Omit<PhaseDone<N>, 'seconds'>>): Promise<PhaseDone<N>> => {
    const stored = phaseDone(name, state.done[name])
    if (stored) return stored
    throwIfCancelled(ctx.signal)
    const index = PHASES.indexOf(name)
    const t0 = Date.now()
    const sub = <P>(params: P) =>
      phaseContext(ctx, {
        params,
        state: state.current?.phase === name ? state.current.state : null,
        saveState: (s) => {
          state.current = { phase: name, state: s }
          ctx.saveState(state)
        },
        progress: (done, total, message) => ctx.progress(index + (total ? Math.min(1, done / total) : 0), PHASES.length, `${index + 1}/${PHASES.length} ${name}: ${message ?? ''}`),
      })
    ctx.progress(index, PHASES.length, `${index + 1}/${PHASES.length} ${name}`)
    const record = { ...(await body(sub)), seconds: (Date.now() - t0) / 1000 }
    // Read back through the phase's declaration: what a resumed run will read is checked now.
    const done = phaseDone(name, record)
    if (!done) throw new Error(`The quickstart's ${name} phase made a record its declaration does not accept.`)
    state.done[name] = record
    state.current = undefined
    ctx.saveState(state)
    return done
  }

  const base = await phase('base', async (sub) => {
    const { tasks: _count, ...sizes } = cfg.base
    const r = await runBase(sub({ config: { env: env.id, tasks: quickstartTrainTasks(cfg, 'base'), ...sizes, seed: cfg.seed, ...backend } }))
    return { checkpointId: r.checkpointId, demonstrations: r.demonstrations.steps }
  })
  // The base learns to read experience codes; every method below starts from this checkpoint.
  const reading = await phase('reading', async (sub) => {
    const { tasks, episodes, temperature, ...trainKnobs } = cfg.reading
    const r = await runReading(
      sub({ config: { name: 'reading', from: base.checkpointId, env: env.id, tasks: quickstartTrainTasks(cfg, 'reading'), episodes, temperature, train: trainKnobs, seed: cfg.seed, ...backend } }),
    )
    return { checkpointId: r.checkpointId, episodes: r.episodes, failures: r.failures, blamed: r.blamed }
  })
  const grpo = await phase('grpo', async (sub) => {
    const r = await runGrpo(sub({ config: { name: 'grpo', from: reading.checkpointId, env: env.id, tasks: quickstartTrainTasks(cfg, 'grpo'), ...cfg.grpo, seed: cfg.seed, ...backend } }))
    return { checkpointId: r.checkpointId, meanReward: r.meanReward }
  })
  const ee = await phase('early_experience', async (sub) => {
    const rest = cfg.earlyExperience
    const r = await runEarlyExperience(
      sub({ config: { name: 'early experience', from: reading.checkpointId, env: env.id, tasks: quickstartTrainTasks(cfg, 'early_experience'), alternatives: rest.alternatives, worldWeight: rest.worldWeight, train: { epochs: rest.epochs, lr: rest.lr, batchSize: rest.batchSize }, seed: cfg.seed, ...backend } }),
    )
    return { checkpointId: r.checkpointId, imitation: r.imitationExamples, world: r.worldExamples }
  })
  const explored = await phase('explore', async (sub) => {
    const config = quickstartExploreConfig(cfg, { tasks: quickstartTrainTasks(cfg, 'explore'), checkpoint: grpo.checkpointId, sampler: 'leafe', buildCorpus: true })
    const s = await runExplore(sub({ config }))
    // The quickstart accepts every correction this run produced (in the UI a person curates them).
    return { ...s, accepted: acceptPending(db, s.runId) }
  })
  const leafe = await phase('leafe', async (sub) => {
    const r = await runLeafe(sub({ config: { name: 'leafe', from: grpo.checkpointId, beta: cfg.leafe.beta, env: env.id, runs: [explored.runId], train: { epochs: cfg.leafe.epochs, lr: cfg.leafe.lr, batchSize: cfg.leafe.batchSize }, seed: cfg.seed, ...backend } }))
    return { checkpointId: r.checkpointId, cf: r.cfExamples, reh: r.rehExamples }
  })
  const methods: { method: string; spec: { kind: 'checkpoint'; id: number } | { kind: 'random' } }[] = [
    { method: 'base', spec: { kind: 'checkpoint', id: reading.checkpointId } },
    { method: 'GRPO', spec: { kind: 'checkpoint', id: grpo.checkpointId } },
    { method: 'Early Experience', spec: { kind: 'checkpoint', id: ee.checkpointId } },
    { method: 'LEAFE', spec: { kind: 'checkpoint', id: leafe.checkpointId } },
    { method: 'random play', spec: { kind: 'random' } },
  ]
  const evaluated = await phase('eval', async (sub) => {
    const r = await runEval(
      sub({
        config: {
          env: env.id, tasks: { split: cfg.eval.split, count: cfg.eval.tasks, seed: 0, params: cfg.params }, policies: methods.map((m) => m.spec),
          n: cfg.eval.n, temperature: cfg.eval.temperature, seed: cfg.seed,
        },
      }),
    )
    return { runId: r.runId, taskSet: r.taskSet }
  })

  // The report: Pass@1 and Pass@n per method, curves with bootstrap bands, expansion vs GRPO.
  const counts = methods.map((m) => policyTaskCounts(db, evaluated.runId, policyKey(m.spec)))
  const rows: QuickstartRow[] = methods.map((m, i) => {
    const mean = (k: number) => counts[i]!.reduce((a, t) => a + passAtK(t.n, t.c, k), 0) / Math.max(1, counts[i]!.length)
    return { method: m.method, policy: policyKey(m.spec), checkpointId: m.spec.kind === 'checkpoint' ? m.spec.id : null, passAt1: mean(1), passAtN: mean(cfg.eval.n) }
  })
  const cmp = compareSolved(counts[3]!, counts[1]!) // LEAFE against GRPO
  const paired = [0, 1].map((i) => pairedRows(counts[3]!, counts[i]!, methods[i]!.method, cfg.eval.n, cfg.seed))
  mkdirSync(outDir, { recursive: true })
  const files = { svg: join(outDir, 'passk.svg'), json: join(outDir, 'results.json'), markdown: join(outDir, 'results.md') }
  const curves = methods.map((m, i) => ({ label: m.method, policy: policyKey(m.spec), curve: passCurve(counts[i]!, { seed: cfg.seed }) }))
  writeFileSync(files.svg, passAtKSvg(curves, `Pass@k on ${cfg.eval.tasks} ${cfg.eval.split === 'test' ? 'held-out' : 'validation'} ${env.id} tasks (${taskParamsLabel(cfg.params)}), n = ${cfg.eval.n}`))
  const phaseSeconds = { base: base.seconds, reading: reading.seconds, grpo: grpo.seconds, early_experience: ee.seconds, explore: explored.seconds, leafe: leafe.seconds, eval: evaluated.seconds }
  const result: QuickstartResult = {
    config: cfg,
    rows,
    n: cfg.eval.n,
    testTasks: cfg.eval.tasks,
    paired,
    counts: Object.fromEntries(methods.map((m, i) => [m.method, counts[i]!])),
    expansion: { leafeOnly: cmp.onlyA.length, grpoOnly: cmp.onlyB.length, both: cmp.both.length, neither: cmp.neither.length },
    explore: explored,
    phaseSeconds,
    files,
    seconds: (Date.now() - started) / 1000,
  }
  writeFileSync(files.markdown, quickstartMarkdown(result))
  writeFileSync(files.json, JSON.stringify(result, null, 2) + '\n')
  ctx.progress(PHASES.length, PHASES.length, 'done')
  return result
}

/**
 * LEAFE − another method task by task: Pass@1 and Pass@n per task from the same levels' (n, c),
 * their mean differences and paired bootstrap intervals over tasks.
 */
export function pairedRows(leafe: TaskCount[], other: TaskCount[], versus: string, n: number, seed: number): PairedRow {
  const byTask = new Map(other.map((t) => [t.taskKey, t]))
  const common = leafe.filter((t) => byTask.has(t.taskKey))
  const at = (t: TaskCount, k: number) => passAtK(t.n, t.c, Math.min(k, t.n))
  const side = (k: number) => pairedBootstrap(common.map((t) => at(t, k)), common.map((t) => at(byTask.get(t.taskKey)!, k)), { seed })
  return { versus, passAt1: side(1), passAtN: side(n) }
}

export function quickstartMarkdown(r: QuickstartResult): string {
  const pct = (x: number) => percent(x)
  const ci = (p: PairedInterval) => `${p.mean >= 0 ? '+' : ''}${pct(p.mean)} [${pct(p.lo)}, ${pct(p.hi)}]`
  return [
    `| method | Pass@1 | Pass@${r.n} |`,
    '|---|---:|---:|',
    ...r.rows.map((row) => `| ${row.method} | ${pct(row.passAt1)} | ${pct(row.passAtN)} |`),
    '',
    `| LEAFE minus | Pass@1 (95 % CI) | Pass@${r.n} (95 % CI) |`,
    '|---|---:|---:|',
    ...r.paired.map((p) => `| ${p.versus} | ${ci(p.passAt1)} | ${ci(p.passAtN)} |`),
    '',
    'In percentage points, task by task on the same levels; the intervals are paired bootstrap intervals over tasks.',
    '',
    `${r.testTasks} ${r.config.eval.split === 'test' ? 'held-out test' : 'validation'} tasks, n = ${r.n} samples each at temperature ${r.config.eval.temperature}. ` +
      `LEAFE vs GRPO within ${r.n} samples: ${r.expansion.leafeOnly} tasks solved only by LEAFE, ${r.expansion.grpoOnly} only by GRPO, ${r.expansion.both} by both.`,
  ].join('\n')
}
