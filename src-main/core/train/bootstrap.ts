// `leafe train base` end to end, for the CLI and the bench alike: demonstrations with injected
// mistakes on training tasks → SFT from a fresh model (a job) → greedy Pass@1 on validation tasks
// against random play (an eval job) and against the solver.
import { join } from 'node:path'
import type { Job } from '../../api/contract.ts'
import { getEnvironment } from '../envs/registry.ts'
import { generateTasks } from '../envs/tasksets.ts'
import type { PresetName } from '../model/transformer.ts'
import { demonstrationsWithMistakes, expertSuccess, writePairs } from './base.ts'
import { SftConfig } from './config.ts'
import { doneJobResult } from '../../shared/job-results.ts'

/** Sized to finish in a few minutes on a 2-core CPU with wasm (README, bench/results/base.json). */
export const BASE_DEFAULTS = { model: 'micro' as PresetName, tasks: 2000, epochs: 8, batchSize: 128, lr: 3e-3, mistakeRate: 0.15, evalTasks: 200 }

export type BootstrapOptions = {
  env: string
  /** The environment's task parameters (Sokoban: { preset: '7x7-2' }). */
  params: Record<string, unknown>
  model: PresetName
  tasks: number
  epochs: number
  batchSize: number
  lr: number
  mistakeRate: number
  evalTasks: number
  seed: number
}

export type BootstrapResult = {
  checkpointId: number
  dataset: string
  demonstrations: { steps: number; tasks: number; withoutExpert: number; mistakes: number }
  sft: { runId: number; steps: number; evalLoss: number | null; seconds: number; backend: string }
  /** Greedy Pass@1 on validation tasks (the test split is kept for final comparisons). */
  heldOut: { tasks: number; evalRunId: number; base: number; random: number; solver: number }
  seconds: number
}

export type BootstrapHooks = {
  onDemonstrations?: (done: number, total: number) => void
  /** Runs a job to its end (the CLI shows a progress bar). */
  runJob: (kind: string, params: unknown, label: string) => Promise<Job>
}

/** The SFT run that turns demonstrations into a base checkpoint (shared by `leafe train base` and the quickstart). */
export function baseSftConfig(o: Pick<BootstrapOptions, 'model' | 'epochs' | 'batchSize' | 'lr' | 'seed'>, label: string, dataset: string): SftConfig {
  return SftConfig.parse({
    name: `base ${label} (${o.model})`,
    start: { preset: o.model },
    datasets: [{ path: dataset }],
    eval: { share: 0.05 },
    epochs: o.epochs,
    batchSize: o.batchSize,
    lr: o.lr,
    // Weight decay holds the loss on its plateau (ln 2: the action at chance): with the defaults
    // and 0.1 the held-out loss was still 0.693 after 1,216 steps; with 0 it reached 0.445.
    weightDecay: 0,
    seed: o.seed,
  })
}

/** Writes its demonstrations under `dataDir`/datasets; the SFT and eval jobs run through `hooks.runJob`. */
export async function bootstrapBase(dataDir: string, o: BootstrapOptions, hooks: BootstrapHooks): Promise<BootstrapResult> {
  const started = Date.now()
  const env = getEnvironment(o.env)
  // Generated environments: the seed's base slice, so other seeds (and this seed's later phases) train on other levels.
  const tasks = generateTasks(env, { split: 'train', ...(env.seededSplits ? { role: 'base' as const } : {}), seed: o.seed, count: o.tasks, params: o.params })
  const demos = await demonstrationsWithMistakes({ env, tasks, mistakeRate: o.mistakeRate, seed: o.seed, onTask: hooks.onDemonstrations })
  const label = `${env.id}${typeof o.params.preset === 'string' ? `-${o.params.preset}` : ''}`
  const dataset = join(dataDir, 'datasets', `base-${label}-s${o.seed}-n${o.tasks}.jsonl`)
  writePairs(dataset, demos.pairs)

  const config = baseSftConfig(o, label, dataset)
  const sftJob = await hooks.runJob('sft', { config }, 'sft')
  if (sftJob.status !== 'done') throw new Error(`SFT job ${sftJob.id} ${sftJob.status}: ${sftJob.error ?? sftJob.message}`)
  const sft = doneJobResult(sftJob, 'sft')

  const evalConfig = {
    env: env.id,
    // The same validation levels for every seed: seeds differ in their training data, not their judge.
    tasks: { split: 'valid', count: o.evalTasks, seed: 0, params: o.params },
    policies: [{ kind: 'checkpoint', id: sft.checkpointId }, { kind: 'random' }],
    n: 1,
    temperature: 0,
    seed: o.seed,
  }
  const evalJob = await hooks.runJob('eval', { config: evalConfig }, 'eval')
  if (evalJob.status !== 'done') throw new Error(`Eval job ${evalJob.id} ${evalJob.status}: ${evalJob.error ?? evalJob.message}`)
  const ev = doneJobResult(evalJob, 'eval')
  const solver = await expertSuccess(env, env.tasks('valid', o.evalTasks, 0, o.params))
  return {
    checkpointId: sft.checkpointId,
    dataset,
    demonstrations: { steps: demos.pairs.length, tasks: demos.tasks, withoutExpert: demos.withoutExpert, mistakes: demos.mistakes },
    sft: { runId: sft.runId, steps: sft.steps, evalLoss: sft.evalLoss, seconds: sft.seconds, backend: sft.backend },
    heldOut: { tasks: ev.tasks, evalRunId: ev.runId, base: ev.policies[0]!.passAt1, random: ev.policies[1]!.passAt1, solver },
    seconds: (Date.now() - started) / 1000,
  }
}
