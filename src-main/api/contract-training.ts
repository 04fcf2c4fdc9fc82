// Checkpoints (local and served, with their lineage) and training metrics, and the event that
// streams new metrics. Part of the one contract (contract.ts). Pure: no Node, no Electron.
import { z } from 'zod'
import { Int, RowId } from './contract-shapes.ts'

export const CheckpointInfo = z.object({
  id: Int,
  name: z.string(),
  kind: z.enum(['local', 'endpoint']),
  parentId: Int.nullable(),
  /** Ancestors, parent first. */
  lineage: z.array(z.object({ id: Int, name: z.string() })),
  runId: Int.nullable(),
  runKind: z.string().nullable(),
  runName: z.string().nullable(),
  path: z.string().nullable(),
  config: z.unknown(),
  createdAt: z.string(),
})
export type CheckpointInfo = z.infer<typeof CheckpointInfo>

export const MetricPoint = z.object({
  id: Int,
  step: Int,
  epoch: z.number().nullable(),
  split: z.enum(['train', 'eval']),
  name: z.string(),
  value: z.number(),
})
export type MetricPoint = z.infer<typeof MetricPoint>

export const TrainMetrics = z.object({ runId: Int, points: z.array(MetricPoint), lastId: Int })
export type TrainMetrics = z.infer<typeof TrainMetrics>

export const trainingMethods = {
  'checkpoints.list': {
    input: z.object({}).strict(),
    output: z.array(CheckpointInfo),
    doc: 'Checkpoints, newest first, each with its lineage and the run that made it.',
  },
  'train.metrics': {
    input: z.object({ runId: RowId, afterId: Int.min(0).default(0) }).strict(),
    output: TrainMetrics,
    doc: "A training run's metrics (loss, lr, …) after a row id; train.metrics events bring the rest live.",
  },
} as const

export const trainingEvents = {
  /** New train_metrics rows of a run, as they are written by the training job. */
  'train.metrics': TrainMetrics,
} as const
