import { getEnvironment, hasSeededSplits } from '../../core/envs/registry.ts'
import { MAX_TRAINING_SEED, ROLE_SLICE } from '../../core/envs/splits.ts'
import { isModelPreset, MODEL_PRESET_NAMES } from '../../shared/model-presets.ts'
import { bootstrapBase, type BootstrapOptions } from '../../core/train/bootstrap.ts'
import { BASE_DEFAULTS, EarlyExperienceConfig, GrpoConfig, LeafeSftConfig, SftConfig } from '../../shared/jobs/train.ts'
import { doneJobResult } from '../../shared/jobs/kinds.ts'
import { parseLoraFlag, type LoraSettings } from '../../core/model/hf/lora-settings.ts'
import { bool, intFlag, numberFlag, parse, str, UsageError } from '../args.ts'
import type { Command } from '../command.ts'
import { openEngine } from '../engine.ts'
import { configUsage, jobProblem, runJobWithProgress } from '../jobs.ts'
import { DEFAULTS } from '../../shared/defaults.ts'

const baseUsage =
  'base --env ENV [--preset P] [--model PRESET] [--tasks N] [--epochs E] [--batch-size B] [--lr LR] [--mistakes 0.15] [--eval-tasks N] [--seed S] [--json]'
const sftUsage = 'sft --data FILE[:WEIGHT][,FILE[:WEIGHT]…] (--from CHECKPOINT | --model PRESET) [--eval-data FILE | --eval-share 0.05] [--epochs E] [--batch-size B] [--micro-batch M] [--train-threads N] [--lr LR] [--packing] [--seed S] [--name NAME] [--lora r=16,alpha=32[,dropout=D][,targets=q_proj+v_proj]] (LoRA: imported models only)'

async function trainBase(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    env: str('ENV', 'the environment whose expert demonstrates'),
    preset: str('P', 'Sokoban room preset', DEFAULTS.sokobanPreset),
    model: str('PRESET', `model size: ${MODEL_PRESET_NAMES.join(', ')}`, BASE_DEFAULTS.model),
    tasks: str('N', 'training levels demonstrated', BASE_DEFAULTS.tasks),
    epochs: str('E', 'epochs', BASE_DEFAULTS.epochs),
    'batch-size': str('B', 'examples per step', BASE_DEFAULTS.batchSize),
    lr: str('LR', 'peak learning rate', BASE_DEFAULTS.lr),
    mistakes: str('RATE', 'share of demonstrated steps replaced by another action', BASE_DEFAULTS.mistakeRate),
    'eval-tasks': str('N', 'held-out levels for the greedy evaluation', BASE_DEFAULTS.evalTasks),
    seed: str('S', 'the seed', 0),
    json: bool('print the result as JSON'),
  })
  if (!values.env) throw new UsageError('--env is required.')
  const model = values.model ?? BASE_DEFAULTS.model
  if (!isModelPreset(model)) throw new UsageError(`--model must be one of ${MODEL_PRESET_NAMES.join(', ')} (got "${model}").`)
  const options: BootstrapOptions = {
    env: values.env,
    params: values.preset ? { preset: values.preset } : {},
    model,
    tasks: intFlag(values.tasks, 'tasks', 1, ROLE_SLICE) ?? BASE_DEFAULTS.tasks,
    epochs: intFlag(values.epochs, 'epochs', 1, 10_000) ?? BASE_DEFAULTS.epochs,
    batchSize: intFlag(values['batch-size'], 'batch-size', 1, 4096) ?? BASE_DEFAULTS.batchSize,
    lr: numberFlag(values.lr, 'lr', 1e-6, 1) ?? BASE_DEFAULTS.lr,
    mistakeRate: numberFlag(values.mistakes, 'mistakes', 0, 0.9) ?? BASE_DEFAULTS.mistakeRate,
    evalTasks: intFlag(values['eval-tasks'], 'eval-tasks', 1, 100_000) ?? BASE_DEFAULTS.evalTasks,
    seed: intFlag(values.seed, 'seed', 0, MAX_TRAINING_SEED) ?? 0,
  }
  getEnvironment(options.env) // an unknown environment is reported before anything runs
  const engine = openEngine(values['data-dir'])
  try {
    const r = await bootstrapBase(options, {
      runJob: async (kind, params, label) => {
        const job = await runJobWithProgress(engine, kind, params, label)
        const problem = jobProblem(job)
        if (problem) throw new Error(problem)
        return job
      },
    })
    if (values.json) console.log(JSON.stringify(r, null, 2))
    else {
      const d = r.demonstrations
      console.log(`demonstrations: ${d.steps} steps from ${d.tasks - d.withoutExpert} training tasks, ${d.mistakes} injected mistakes → ${r.dataset}`)
      console.log(`base checkpoint ${r.checkpointId}: ${r.sft.steps} steps in ${r.sft.seconds.toFixed(0)} s on ${r.sft.backend}, held-out loss ${r.sft.evalLoss?.toFixed(4) ?? '—'}`)
      console.log(`greedy Pass@1 on ${r.heldOut.tasks} validation tasks: base ${r.heldOut.base.toFixed(3)} · random ${r.heldOut.random.toFixed(3)} · solver ${r.heldOut.solver.toFixed(3)}`)
      console.log(`total ${r.seconds.toFixed(0)} s`)
    }
    return 0
  } finally {
    await engine.close()
  }
}

async function trainSft(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    data: str('FILE[:WEIGHT],…', 'JSONL files of {prompt, target} (or chat messages), each with a loss weight', 'weight 1'),
    from: str('CHECKPOINT', 'start from this checkpoint'),
    model: str('PRESET', 'or start a fresh model of this preset'),
    'eval-data': str('FILE', 'held-out examples for the eval loss'),
    'eval-share': str('SHARE', 'or hold out this share of every dataset', 0.05),
    epochs: str('E', 'epochs', DEFAULTS.sft.epochs),
    'batch-size': str('B', 'examples per step', DEFAULTS.sft.batchSize),
    'micro-batch': str('M', 'examples per forward pass (gradients of a batch summed over its parts)'),
    'train-threads': str('N', 'training threads, each a shard of every batch', 'LEAFE_TRAIN_THREADS, else one per core at ≥ 8 examples each on wasm and cpu'),
    lr: str('LR', 'peak learning rate', DEFAULTS.sft.lr),
    packing: bool('pack several short examples per row'),
    seed: str('S', 'the seed', 0),
    name: str('NAME', 'the run name', 'sft'),
    json: bool('print the result as JSON'),
    lora: str('r=R,alpha=A[,dropout=D][,targets=a+b]', 'imported models: train a LoRA adapter'),
  })
  if (!values.data) throw new UsageError('--data is required.')
  if (!values.from === !values.model) throw new UsageError('give exactly one of --from CHECKPOINT and --model PRESET.')
  const datasets = values.data.split(',').map((part) => {
    const m = /^(.*?)(?::([0-9.]+))?$/.exec(part.trim())!
    return { path: m[1]!, weight: m[2] === undefined ? 1 : Number(m[2]) }
  })
  const parsed = SftConfig.safeParse({
    name: values.name ?? 'sft',
    start: values.from ? { checkpoint: intFlag(values.from, 'from', 1, 2 ** 31) } : { preset: values.model },
    datasets,
    ...(values['eval-data'] ? { eval: { path: values['eval-data'] } } : values['eval-share'] ? { eval: { share: numberFlag(values['eval-share'], 'eval-share', 0, 0.5) } } : {}),
    ...(values.epochs ? { epochs: intFlag(values.epochs, 'epochs', 1, 10_000) } : {}),
    ...(values['batch-size'] ? { batchSize: intFlag(values['batch-size'], 'batch-size', 1, 4096) } : {}),
    ...(values['micro-batch'] ? { microBatch: intFlag(values['micro-batch'], 'micro-batch', 1, 4096) } : {}),
    ...threadsFlag(values['train-threads']),
    ...(values.lr ? { lr: numberFlag(values.lr, 'lr', 1e-6, 1) } : {}),
    ...(values.packing ? { packing: true } : {}),
    ...(values.seed ? { seed: intFlag(values.seed, 'seed', 0, 2 ** 31) } : {}),
    ...loraFlag(values.lora),
  })
  if (!parsed.success) throw configUsage(parsed.error)
  const engine = openEngine(values['data-dir'])
  try {
    const job = await runJobWithProgress(engine, 'sft', { config: parsed.data }, 'sft')
    const problem = jobProblem(job)
    if (problem) {
      console.error(problem)
      return 1
    }
    const r = doneJobResult(job, 'sft')
    if (values.json) console.log(JSON.stringify(job.result, null, 2))
    else console.log(`checkpoint ${r.checkpointId}: ${r.steps} steps, ${r.epochs} epochs in ${r.seconds.toFixed(0)} s on ${r.backend}, held-out loss ${r.evalLoss?.toFixed(4) ?? '—'}`)
    return 0
  } finally {
    await engine.close()
  }
}

/** `--train-threads N`: the training thread count, recorded in the run (absent: chosen as train/data-parallel.ts says). */
function threadsFlag(text: string | undefined): { trainThreads?: number } {
  return text === undefined ? {} : { trainThreads: intFlag(text, 'train-threads', 1, 64)! }
}

/** `--lora r=16,alpha=32[,dropout=D][,targets=a+b]`: LoRA settings for an imported start. */
function loraFlag(text: string | undefined): { lora?: LoraSettings } {
  if (text === undefined) return {}
  try {
    return { lora: parseLoraFlag(text) }
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
}

const stageUsage = {
  leafe: 'leafe --from CHECKPOINT [--beta 1] [--env ENV] [--epochs E] [--batch-size B] [--micro-batch M] [--train-threads N] [--lr LR] [--seed S] [--lora r=16,alpha=32] [--json]',
  grpo: 'grpo --from CHECKPOINT --env ENV [--preset P] [--tasks N] [--base-tasks N] [--iterations I] [--tasks-per-iteration T] [--group G] [--minibatch M] [--train-threads N] [--lr LR] [--kl BETA] [--seed S] [--lora r=16,alpha=32] [--json]',
  ee: 'ee --from CHECKPOINT --env ENV [--preset P] [--tasks N] [--base-tasks N] [--alternatives A] [--world-weight L] [--epochs E] [--batch-size B] [--micro-batch M] [--train-threads N] [--lr LR] [--seed S] [--lora r=16,alpha=32] [--json]',
}

/** LEAFE Stage 2, GRPO and Early Experience: each one job kind, run here with a progress bar. */
async function trainStage(sub: 'leafe' | 'grpo' | 'ee', argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    from: str('CHECKPOINT', 'the checkpoint to start from'),
    beta: str('BETA', 'leafe: the weight of rehearsal (D_reh) against the corrections', DEFAULTS.leafe.beta),
    env: str('ENV', 'grpo, ee: the environment; leafe: only its accepted items', sub === 'leafe' ? 'all environments' : undefined),
    preset: str('P', 'Sokoban room preset', DEFAULTS.sokobanPreset),
    tasks: str('N', 'grpo, ee: training tasks', DEFAULTS.tasks.train),
    iterations: str('I', 'grpo: iterations', DEFAULTS.grpo.iterations),
    'tasks-per-iteration': str('T', 'grpo: tasks per iteration', DEFAULTS.grpo.tasksPerIteration),
    group: str('G', 'grpo: rollouts per task', DEFAULTS.grpo.groupSize),
    kl: str('BETA', 'grpo: KL penalty to the start checkpoint', DEFAULTS.grpo.klBeta),
    alternatives: str('A', 'ee: alternative actions per expert state', DEFAULTS.earlyExperience.alternatives),
    'world-weight': str('L', 'ee: weight λ of the world-model examples', DEFAULTS.earlyExperience.worldWeight),
    epochs: str('E', 'leafe, ee: epochs', DEFAULTS.sft.epochs),
    'batch-size': str('B', 'leafe, ee: examples per step', DEFAULTS.sft.batchSize),
    'micro-batch': str('M', 'leafe, ee: examples per forward pass (gradients of a batch summed over its parts)'),
    minibatch: str('M', 'grpo: (state, action) rows per gradient step'),
    'train-threads': str('N', 'training threads, each a shard of every batch', 'LEAFE_TRAIN_THREADS, else one per core at ≥ 8 examples each on wasm and cpu'),
    lr: str('LR', 'learning rate', sub === 'grpo' ? DEFAULTS.grpo.lr : DEFAULTS.sft.lr),
    seed: str('S', 'the seed', 0),
    json: bool('print the result as JSON'),
    'base-tasks': str('N', 'grpo, ee: leave out the levels of a base trained on this many', 2000),
    backend: str('NAME', 'the TF.js backend'),
    lora: str('r=R,alpha=A[,dropout=D][,targets=a+b]', 'from an imported model: train a LoRA adapter'),
  })
  const from = intFlag(values.from, 'from', 1, 2 ** 31)
  if (!from) throw new UsageError('--from CHECKPOINT is required.')
  if (sub !== 'leafe' && !values.env) throw new UsageError('--env is required.')
  const seed = intFlag(values.seed, 'seed', 0, sub === 'leafe' ? 2 ** 31 : MAX_TRAINING_SEED) ?? 0
  const train = {
    ...(values.epochs ? { epochs: intFlag(values.epochs, 'epochs', 1, 10_000) } : {}),
    ...(values['batch-size'] ? { batchSize: intFlag(values['batch-size'], 'batch-size', 1, 4096) } : {}),
    ...(values['micro-batch'] ? { microBatch: intFlag(values['micro-batch'], 'micro-batch', 1, 4096) } : {}),
    ...(sub !== 'grpo' ? threadsFlag(values['train-threads']) : {}),
    ...(values.lr && sub !== 'grpo' ? { lr: numberFlag(values.lr, 'lr', 1e-6, 1) } : {}),
    // GRPO holds its LoRA settings in its own config; the others pass them to their SFT phase.
    ...(sub !== 'grpo' ? loraFlag(values.lora) : {}),
  }
  // Generated environments: the seed's own slice for this phase, none of it a level the base (of
  // its default size, or --base-tasks) trained on with the same seed.
  const seeded = sub !== 'leafe' && hasSeededSplits(values.env!)
  const tasks = {
    split: 'train', count: intFlag(values.tasks, 'tasks', 1, ROLE_SLICE) ?? 256, seed, params: values.preset ? { preset: values.preset } : {},
    ...(seeded ? { role: sub === 'grpo' ? 'grpo' : 'early_experience', after: { base: intFlag(values['base-tasks'], 'base-tasks', 1, ROLE_SLICE) ?? BASE_DEFAULTS.tasks } } : {}),
  }
  const backend = values.backend ? { backend: values.backend } : {}
  const [kind, schema, config] =
    sub === 'leafe'
      ? (['leafe_sft', LeafeSftConfig, { from, beta: numberFlag(values.beta, 'beta', 0, 100) ?? 1, ...(values.env ? { env: values.env } : {}), train, seed, ...backend }] as const)
      : sub === 'grpo'
        ? ([
            'grpo',
            GrpoConfig,
            {
              from, env: values.env, tasks, seed, ...backend,
              ...(values.iterations ? { iterations: intFlag(values.iterations, 'iterations', 1, 100_000) } : {}),
              ...(values['tasks-per-iteration'] ? { tasksPerIteration: intFlag(values['tasks-per-iteration'], 'tasks-per-iteration', 1, 4096) } : {}),
              ...(values.group ? { groupSize: intFlag(values.group, 'group', 2, 256) } : {}),
              ...(values.lr ? { lr: numberFlag(values.lr, 'lr', 1e-7, 1) } : {}),
              ...(values.kl ? { klBeta: numberFlag(values.kl, 'kl', 0, 10) } : {}),
              ...(values.minibatch ? { minibatch: intFlag(values.minibatch, 'minibatch', 1, 65_536) } : {}),
              ...threadsFlag(values['train-threads']),
              ...loraFlag(values.lora),
            },
          ] as const)
        : ([
            'early_experience',
            EarlyExperienceConfig,
            {
              from, env: values.env, tasks, seed, train, ...backend,
              ...(values.alternatives ? { alternatives: intFlag(values.alternatives, 'alternatives', 1, 16) } : {}),
              ...(values['world-weight'] ? { worldWeight: numberFlag(values['world-weight'], 'world-weight', 0, 100) } : {}),
            },
          ] as const)
  const parsed = schema.safeParse(config)
  if (!parsed.success) throw configUsage(parsed.error)
  const engine = openEngine(values['data-dir'])
  try {
    const job = await runJobWithProgress(engine, kind, { config: parsed.data }, kind)
    const problem = jobProblem(job)
    if (problem) {
      console.error(problem)
      return 1
    }
    const r = doneJobResult(job, kind)
    if (values.json) console.log(JSON.stringify(job.result, null, 2))
    else console.log(`checkpoint ${r.checkpointId} (${kind}) in ${r.seconds.toFixed(0)} s on ${r.backend}: ${JSON.stringify(job.result)}`)
    return 0
  } finally {
    await engine.close()
  }
}

export const trainCommand: Command = {
  name: 'train',
  summary:
    'Train the local policy: `base` bootstraps a base checkpoint; `sft` fine-tunes on JSONL data; `leafe` distils the accepted corpus (Stage 2); `grpo` and `ee` train the baselines.',
  usage: `${baseUsage}\n       leafe train ${sftUsage}\n       leafe train ${stageUsage.leafe}\n       leafe train ${stageUsage.grpo}\n       leafe train ${stageUsage.ee}`,
  async run(argv) {
    const [sub, ...rest] = argv
    if (sub === 'base') return trainBase(rest)
    if (sub === 'sft') return trainSft(rest)
    if (sub === 'leafe' || sub === 'grpo' || sub === 'ee') return trainStage(sub, rest)
    throw new UsageError(`unknown subcommand "${sub ?? ''}"; use base, sft, leafe, grpo or ee.`)
  },
}
