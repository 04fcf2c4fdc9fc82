import { z } from 'zod'
import { TfBackendSetting } from '../../api/contract.ts'
import { presetNames } from '../model/transformer.ts'

/** One JSONL file of {prompt, target} lines and the weight of its examples in the loss. */
export const DatasetSpec = z
  .object({
    path: z.string().min(1),
    /** Multiplies this file's per-token loss: L = L_cf + β·L_reh is datasets [{cf, 1}, {reh, β}]. */
    weight: z.number().min(0).max(1000).default(1),
  })
  .strict()
export type DatasetSpec = z.output<typeof DatasetSpec>

/** Supervised fine-tuning: from a checkpoint or a fresh preset, on weighted datasets. */
export const SftConfig = z
  .object({
    name: z.string().min(1).max(200).default('sft'),
    start: z.union([
      z.object({ checkpoint: z.number().int().positive() }).strict(),
      z
        .object({
          preset: z.enum(presetNames as [string, ...string[]]),
          /** Overrides the preset's context length (shorter trains faster). */
          contextLength: z.number().int().min(8).max(4096).optional(),
        })
        .strict(),
    ]),
    datasets: z.array(DatasetSpec).min(1).max(32),
    /** Held out for the eval loss: a share of every dataset (chosen by seed), or a file of its own. */
    eval: z.union([z.object({ share: z.number().min(0).max(0.5) }).strict(), z.object({ path: z.string().min(1) }).strict()]).default({ share: 0.05 }),
    epochs: z.number().int().min(1).max(10_000).default(3),
    batchSize: z.number().int().min(1).max(4096).default(64),
    lr: z.number().gt(0).max(1).default(3e-3),
    warmupSteps: z.number().int().min(0).default(20),
    decay: z.enum(['cosine', 'linear', 'none']).default('cosine'),
    minLrRatio: z.number().min(0).max(1).default(0.1),
    weightDecay: z.number().min(0).max(10).default(0.1),
    /** Clip the global gradient norm to this (null: no clipping). */
    gradClip: z.number().gt(0).nullable().default(1),
    seed: z.number().int().min(0).default(0),
    /** Several short examples per row (block-diagonal attention) instead of one padded example per row. */
    packing: z.boolean().default(false),
    backend: TfBackendSetting.optional(),
  })
  .strict()
export type SftConfig = z.output<typeof SftConfig>
export type SftInput = z.input<typeof SftConfig>
