import { z } from 'zod'
import { EvalConfig } from '../eval/config.ts'
import { ExploreConfig } from '../explore/config.ts'
import { SftConfig } from '../train/config.ts'
import type { JobKind } from './types.ts'

/**
 * Every kind of long work the engine knows. Each entry names its parameter schema and how its
 * worker code is loaded; the worker thread (worker-entry.ts) imports this same table.
 */
export const builtinJobKinds: JobKind[] = [
  {
    kind: 'explore',
    label: 'Exploration (LEAFE Stage 1 / IS / IR)',
    params: z.object({ config: ExploreConfig }).strict(),
    title: (p: { config: ExploreConfig }) => `explore ${p.config.env} · ${p.config.sampler} · ${p.config.reflector}`,
    resumable: true,
    load: () => import('../explore/job.ts'),
  },
  {
    kind: 'eval',
    label: 'Evaluation (Pass@k)',
    params: z.object({ config: EvalConfig }).strict(),
    title: (p: { config: EvalConfig }) => `eval ${p.config.env} · ${p.config.policies.length} policies · n=${p.config.n}`,
    resumable: true,
    load: () => import('../eval/job.ts'),
  },
  {
    kind: 'sft',
    label: 'Supervised fine-tuning',
    params: z.object({ config: SftConfig }).strict(),
    title: (p: { config: SftConfig }) => `sft ${p.config.name} · ${p.config.epochs} epochs`,
    resumable: true,
    load: () => import('../train/sft.ts'),
  },
]

export function findBuiltinKind(kind: string): JobKind | undefined {
  return builtinJobKinds.find((k) => k.kind === kind)
}
