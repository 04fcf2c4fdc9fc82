import type { ExploreConfigInput } from '../../src-main/shared/jobs/explore.ts'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { QUICKSTART_ENVS, quickstartExploreConfig, quickstartSizes, quickstartTrainTasks } from '../../src-main/shared/jobs/quickstart.ts'
import { resultsDir } from '../results-dir.ts'
import { bootstrapBase } from '../../src-main/core/train/bootstrap.ts'
import { doneJobResult } from '../../src-main/shared/jobs/kinds.ts'
import { runJobToEnd, withBenchEngine } from '../engine.ts'
import type { Suite } from './index.ts'

// Does the local policy read the experience? On VALIDATION levels (never the test levels), from
// the quickstart's base after its reading fine-tune: the Stage-1 samplers at one execution budget
// — IS, IR (codes of earlier attempts at the state they were blamed at), and LEAFE's tree with the
// critic's whole code, with the diagnosis only (no fix), and with no code (the failed action only
// masked) — their solved shares, how often a decision with a fix in its context took that fix, and
// greedy Pass@1 of the base before and after reading (what reading costs the plain policy).
const VALID_TASKS = 128

// Sokoban's figures keep their plain names; every other environment's are prefixed with its id
// (household_solved_share_ir, …). LEAFE_EXPLORE_ENVS (default: every quickstart environment)
// picks which run; an environment not run keeps its earlier figures from explore.json.
export const exploreSuite: Suite = {
  name: 'explore',
  summary: 'Stage-1 samplers on 128 validation tasks (Sokoban, household) from the read-trained base: IS / IR / LEAFE (full code, diagnosis only, no code), solved shares and how often the code is followed',
  async run(log) {
    const envs = (process.env.LEAFE_EXPLORE_ENVS ?? QUICKSTART_ENVS.join(',')).split(',')
    const file = join(resultsDir, 'explore.json')
    const earlier = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {}
    const prefixOf = (env: string) => (env === 'sokoban' ? '' : `${env}_`)
    const out: Record<string, number> = {}
    for (const [key, value] of Object.entries(earlier)) {
      const owner = QUICKSTART_ENVS.find((e) => e !== 'sokoban' && key.startsWith(prefixOf(e))) ?? 'sokoban'
      if (!envs.includes(owner) && typeof value === 'number') out[key] = value
    }
    for (const env of envs) {
      const figures = await exploreEnv(env, (m) => log(`${env}: ${m}`))
      for (const [key, value] of Object.entries(figures)) out[prefixOf(env) + key] = value
    }
    return out
  },
}

function exploreEnv(env: string, log: (m: string) => void): Promise<Record<string, number>> {
  return withBenchEngine(`explore-${env}`, async (engine) => {
      const qs = quickstartSizes('standard', env)
      const runJob = (kind: string, params: unknown) => runJobToEnd(engine, kind, params, kind)
      const base = await bootstrapBase({ env: qs.env, params: qs.params, ...qs.base, evalTasks: 20, seed: qs.seed }, { runJob })
      log(`base checkpoint ${base.checkpointId} in ${base.seconds.toFixed(0)} s`)
      const { tasks: _count, episodes, temperature, ...train } = qs.reading
      const t0 = Date.now()
      const reading = doneJobResult(await runJob('reading', { config: { from: base.checkpointId, env: qs.env, tasks: quickstartTrainTasks(qs, 'reading'), episodes, temperature, train, seed: qs.seed } }), 'reading')
      log(`reading: ${reading.blamed} blamed states from ${reading.failures}/${reading.episodes} failed episodes, ${((Date.now() - t0) / 1000).toFixed(0)} s`)
      const out: Record<string, number> = { reading_blamed_states: reading.blamed, reading_s: Math.round((Date.now() - t0) / 1000) }

      const valid = { split: 'valid', count: VALID_TASKS, seed: 0, params: qs.params }
      const greedy = doneJobResult(await runJob('eval', { config: { env: qs.env, tasks: valid, policies: [{ kind: 'checkpoint', id: base.checkpointId }, { kind: 'checkpoint', id: reading.checkpointId }], n: 1, temperature: 0, seed: qs.seed } }), 'eval')
      out.greedy_pass1_base = greedy.policies[0]!.passAt1
      out.greedy_pass1_reading = greedy.policies[1]!.passAt1
      log(`greedy Pass@1 on ${VALID_TASKS} validation levels: base ${out.greedy_pass1_base}, after reading ${out.greedy_pass1_reading}`)

      const variants: [string, Partial<ExploreConfigInput>][] = [
        ['is', { sampler: 'is' }],
        ['ir', { sampler: 'ir' }],
        ['leafe', { sampler: 'leafe' }],
        ['leafe_diagnosis', { sampler: 'leafe', experienceCode: 'diagnosis' }],
        ['leafe_nocode', { sampler: 'leafe', experienceCode: 'none' }],
      ]
      for (const [name, v] of variants) {
        const t1 = Date.now()
        const config = { ...quickstartExploreConfig(qs, { tasks: valid, checkpoint: reading.checkpointId, sampler: v.sampler!, buildCorpus: false }), ...v }
        const s = doneJobResult(await runJob('explore', { config }), 'explore')
        const seconds = (Date.now() - t1) / 1000
        log(`${name}: solved ${s.solved}/${s.tasks} (first attempt ${s.solvedAtFirstAttempt}, by a branch ${s.solvedByBranch}), ${s.stepsUsed} steps, codes shown ${s.codes.shown}, fix followed ${s.codes.followedFix}/${s.codes.withFix}, branches took the fix ${s.branchFix.tookFix}/${s.branchFix.branches}, ${seconds.toFixed(1)} s`)
        out[`solved_share_${name}`] = Number((s.solved / s.tasks).toFixed(4))
        out[`steps_used_${name}`] = s.stepsUsed
        out[`codes_shown_${name}`] = s.codes.shown
        if (s.codes.withFix) out[`fix_follow_rate_${name}`] = Number((s.codes.followedFix / s.codes.withFix).toFixed(4))
        // At branch points, shown the code or not: the revised action equals the critic's fix.
        if (s.branchFix.branches) out[`branch_took_fix_${name}`] = Number((s.branchFix.tookFix / s.branchFix.branches).toFixed(4))
        if (name === 'leafe') {
          out.explore_128_valid_s = Number(seconds.toFixed(1))
          out.solved_share_first_attempt = Number((s.solvedAtFirstAttempt / s.tasks).toFixed(4))
          out.branch_events_leafe = s.branchEvents
          out.replay_steps_leafe = s.replaySteps
        }
      }
      out.ir_minus_is = Number((out.solved_share_ir! - out.solved_share_is!).toFixed(4))
      out.budget_steps_per_task = qs.explore.budget
      return out
  })
}
