// `leafe train base` end to end, for the CLI and the bench alike: the base job (demonstrations
// with injected mistakes on training tasks → SFT from a fresh model), then greedy Pass@1 on
// validation tasks against random play (an eval job) and against the solver.
import type { Job } from '../../api/contract.ts'
import { getEnvironment } from '../envs/registry.ts'
import { expertSuccess } from './base.ts'
import type { BaseConfig } from '../../shared/jobs/train.ts'
import { doneJobResult } from '../../shared/jobs/kinds.ts'
import type { ModelPresetName } from '../../shared/model-presets.ts'

export type BootstrapOptions = {
  env: string
  /** The environment's task parameters (Sokoban: { preset: '7x7-2' }). */
  params: Record<string, unknown>
  model: ModelPresetName
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
  /** Runs a job to its end (the CLI shows a progress bar). */
  runJob: (kind: string, params: unknown, label: string) => Promise<Job>
}

/** The base job's config for these options: generated environments train on the seed's base slice. */
export function bootstrapBaseConfig(o: BootstrapOptions): BaseConfig {
  const env = getEnvironment(o.env)
  // Generated environments: the seed's base slice, so other seeds (and this seed's later phases) train on other levels.
  const tasks = { split: 'train', ...(env.seededSplits ? { role: 'base' as const } : {}), seed: o.seed, count: o.tasks, params: o.params }
  return { env: env.id, tasks, model: o.model, epochs: o.epochs, batchSize: o.batchSize, lr: o.lr, mistakeRate: o.mistakeRate, seed: o.seed }
}

/** Runs the base job and the eval job through `hooks.runJob`. */
export async function bootstrapBase(o: BootstrapOptions, hooks: BootstrapHooks): Promise<BootstrapResult> {
  const started = Date.now()
  const env = getEnvironment(o.env)
  const baseJob = await hooks.runJob('base', { config: bootstrapBaseConfig(o) }, 'base')
  if (baseJob.status !== 'done') throw new Error(`Base job ${baseJob.id} ${baseJob.status}: ${baseJob.error ?? baseJob.message}`)
  const base = doneJobResult(baseJob, 'base')

  const evalConfig = {
    env: env.id,
    // The same validation levels for every seed: seeds differ in their training data, not their judge.
    tasks: { split: 'valid', count: o.evalTasks, seed: 0, params: o.params },
    policies: [{ kind: 'checkpoint', id: base.checkpointId }, { kind: 'random' }],
    n: 1,
    temperature: 0,
    seed: o.seed,
  }
  const evalJob = await hooks.runJob('eval', { config: evalConfig }, 'eval')
  if (evalJob.status !== 'done') throw new Error(`Eval job ${evalJob.id} ${evalJob.status}: ${evalJob.error ?? evalJob.message}`)
  const ev = doneJobResult(evalJob, 'eval')
  const solver = await expertSuccess(env, env.tasks('valid', o.evalTasks, 0, o.params))
  return {
    checkpointId: base.checkpointId,
    dataset: base.dataset,
    demonstrations: { steps: base.demonstrations.steps, tasks: base.demonstrations.tasks, withoutExpert: base.demonstrations.withoutExpert, mistakes: base.demonstrations.mistakes },
    sft: { runId: base.runId, steps: base.steps, evalLoss: base.evalLoss, seconds: base.seconds, backend: base.backend },
    heldOut: { tasks: ev.tasks, evalRunId: ev.runId, base: ev.policies[0]!.passAt1, random: ev.policies[1]!.passAt1, solver },
    seconds: (Date.now() - started) / 1000,
  }
}
