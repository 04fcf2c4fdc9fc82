import { EvalParams, type EvalConfig } from '../../shared/jobs/eval.ts'
import { QuickstartParams, type QuickstartConfig } from '../../shared/jobs/quickstart.ts'
import { ExploreParams, type ExploreConfig } from '../../shared/jobs/explore.ts'
import { BaseParams, EarlyExperienceParams, GrpoParams, LeafeSftParams, ReadingParams, SftParams, type BaseConfig, type EarlyExperienceConfig, type GrpoConfig, type LeafeSftConfig, type ReadingConfig, type SftConfig } from '../../shared/jobs/train.ts'
import type { DB } from '../store/db.ts'
import { taskParamsLabel } from '../../shared/format.ts'
import { checkByteLevelStart, checkCheckpoint, checkDatasets, checkEndpoint, checkLoraStart, checkEnvironment, checkPolicy, ReferenceProblem } from './references.ts'
import type { JobKind } from './types.ts'

/**
 * Every kind of long work the engine knows. Each entry names its parameter schema and how its
 * worker code is loaded; the worker thread (worker-entry.ts) imports this same table.
 */
export const builtinJobKinds: JobKind[] = [
  {
    kind: 'explore',
    label: 'Exploration (LEAFE Stage 1 / IS / IR)',
    params: ExploreParams,
    title: (p: { config: ExploreConfig }) => `explore ${p.config.env} · ${p.config.sampler} · ${p.config.reflector}`,
    resumable: true,
    check: ({ config: c }: { config: ExploreConfig }, db: DB) => {
      const env = checkEnvironment(db, 'config.env', c.env)
      checkPolicy(db, 'config.policy', c.policy, c.env, env)
      if (c.llm) checkEndpoint(db, 'config.llm.endpoint', c.llm.endpoint)
      if (c.sampler !== 'is' && c.reflector === 'critic' && !env.critic) {
        throw new ReferenceProblem('config.reflector', `the environment "${c.env}" has no critic; choose self, llm or human.`)
      }
    },
    load: () => import('../explore/job.ts'),
  },
  {
    kind: 'eval',
    label: 'Evaluation (Pass@k)',
    params: EvalParams,
    title: (p: { config: EvalConfig }) => `eval ${p.config.env} · ${p.config.policies.length} ${p.config.policies.length === 1 ? 'policy' : 'policies'} · n=${p.config.n}`,
    resumable: true,
    check: ({ config: c }: { config: EvalConfig }, db: DB) => {
      const env = checkEnvironment(db, 'config.env', c.env)
      c.policies.forEach((p, i) => checkPolicy(db, `config.policies.${i}`, p, c.env, env))
    },
    load: () => import('../eval/job.ts'),
  },
  {
    kind: 'base',
    label: "Base model (SFT on the expert's demonstrations, with mistakes)",
    params: BaseParams,
    title: (p: { config: BaseConfig }) => `base ${p.config.env} ${taskParamsLabel(p.config.tasks.params)} · ${p.config.model} · ${p.config.tasks.count} tasks`,
    resumable: true,
    check: ({ config: c }: { config: BaseConfig }, db: DB) => {
      const env = checkEnvironment(db, 'config.env', c.env)
      if (!env.expert) throw new ReferenceProblem('config.env', `the environment "${c.env}" has no expert to demonstrate with.`)
    },
    load: () => import('../train/base-job.ts'),
  },
  {
    kind: 'sft',
    label: 'Supervised fine-tuning',
    params: SftParams,
    title: (p: { config: SftConfig }) => `sft ${p.config.name} · ${p.config.epochs} epochs`,
    resumable: true,
    filesRead: (p: { config: SftConfig }) => [
      ...p.config.datasets.map((d, i) => ({ where: `config.datasets.${i}.path`, path: d.path })),
      ...('path' in p.config.eval ? [{ where: 'config.eval.path', path: p.config.eval.path }] : []),
    ],
    check: ({ config: c }: { config: SftConfig }, db: DB) => {
      if ('checkpoint' in c.start) checkCheckpoint(db, 'config.start.checkpoint', c.start.checkpoint)
      checkLoraStart(db, 'config.lora', c.lora, 'checkpoint' in c.start ? c.start.checkpoint : null)
      checkDatasets(c)
    },
    load: () => import('../train/sft.ts'),
  },
  {
    kind: 'grpo',
    label: 'GRPO (outcome-driven RL)',
    params: GrpoParams,
    title: (p: { config: GrpoConfig }) => `grpo ${p.config.name} · ${p.config.iterations} iterations × ${p.config.tasksPerIteration} tasks × G=${p.config.groupSize}`,
    resumable: true,
    check: ({ config: c }: { config: GrpoConfig }, db: DB) => {
      checkEnvironment(db, 'config.env', c.env)
      checkCheckpoint(db, 'config.from', c.from)
      if (c.reference !== undefined) checkCheckpoint(db, 'config.reference', c.reference)
      checkLoraStart(db, 'config.lora', c.lora, c.from)
    },
    load: () => import('../train/grpo.ts'),
  },
  {
    kind: 'early_experience',
    label: 'Early Experience (implicit world modelling)',
    params: EarlyExperienceParams,
    title: (p: { config: EarlyExperienceConfig }) => `early experience ${p.config.name} from checkpoint ${p.config.from}`,
    resumable: true,
    check: ({ config: c }: { config: EarlyExperienceConfig }, db: DB) => {
      checkEnvironment(db, 'config.env', c.env)
      checkCheckpoint(db, 'config.from', c.from)
      checkLoraStart(db, 'config.train.lora', c.train.lora, c.from)
    },
    load: () => import('../train/early-experience-job.ts'),
  },
  {
    kind: 'reading',
    label: 'Reading experience (teach a checkpoint the experience codes)',
    params: ReadingParams,
    title: (p: { config: ReadingConfig }) => `reading ${p.config.name} from checkpoint ${p.config.from}`,
    resumable: true,
    check: ({ config: c }: { config: ReadingConfig }, db: DB) => {
      checkEnvironment(db, 'config.env', c.env)
      checkCheckpoint(db, 'config.from', c.from)
      checkByteLevelStart(db, 'config.from', c.from, 'reading teaches the built-in byte-level model the compact experience codes, and an imported model reads the experience as text.')
    },
    load: () => import('../train/reading-job.ts'),
  },
  {
    kind: 'leafe_sft',
    label: 'LEAFE Stage 2 (distil the accepted corpus)',
    params: LeafeSftParams,
    title: (p: { config: LeafeSftConfig }) => `leafe stage 2 ${p.config.name} from checkpoint ${p.config.from} · β=${p.config.beta}`,
    resumable: true,
    check: ({ config: c }: { config: LeafeSftConfig }, db: DB) => {
      checkCheckpoint(db, 'config.from', c.from)
      checkLoraStart(db, 'config.train.lora', c.train.lora, c.from)
    },
    load: () => import('../train/leafe-job.ts'),
  },
  {
    kind: 'quickstart',
    label: 'Quickstart: base → GRPO → Early Experience → LEAFE → Pass@k',
    params: QuickstartParams,
    title: (p: { config: QuickstartConfig }) => `quickstart ${p.config.env} ${taskParamsLabel(p.config.params)}`,
    resumable: true,
    check: ({ config: c }: { config: QuickstartConfig }, db: DB) => void checkEnvironment(db, 'config.env', c.env),
    load: () => import('../quickstart/job.ts'),
  },
]

export function findBuiltinKind(kind: string): JobKind | undefined {
  return builtinJobKinds.find((k) => k.kind === kind)
}
