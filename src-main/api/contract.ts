// The ONE service contract between the engine and every client (renderer over IPC or HTTP, tests).
// Each method has a zod schema for its input and its output; each event a schema for its
// payload. Each domain declares its methods in its own file — contract-jobs.ts, -runs.ts,
// -corpus.ts, -training.ts, -eval.ts, -endpoints.ts — and this file adds the engine's own
// (status, settings, environments) and gathers them into one typed surface. Pure: no Node, no
// Electron, so the renderer bundles it too.
import { z } from 'zod'
import { corpusMethods } from './contract-corpus.ts'
import { endpointMethods } from './contract-endpoints.ts'
import { evalMethods } from './contract-eval.ts'
import { jobMethods } from './contract-jobs.ts'
import { runMethods } from './contract-runs.ts'
import { Empty, method } from './contract-shapes.ts'
import { trainingEvents, trainingMethods } from './contract-training.ts'
import { TfBackendSetting } from '../shared/run-inputs.ts'
import { Job, JobStatus } from '../shared/jobs/kinds.ts'

// ---------------------------------------------------------------------------------------------
// Shared shapes

// A job's params and result are typed per kind (shared/jobs/kinds.ts): the union on `kind` is
// built from each built-in kind's own schemas.
export { Job, JobStatus }

export const BackendInfo = z.object({
  id: z.string(),
  reason: z.string(),
  attempts: z.array(z.object({ id: z.string(), ok: z.boolean(), detail: z.string() })),
  /** On wasm: which kernels run the matrix products (onnxruntime-node's or wasm SIMD), and why. */
  matmul: z.object({ id: z.enum(['native', 'wasm']), detail: z.string() }).optional(),
})

export const EngineStatus = z.object({
  version: z.string(),
  dataDir: z.string(),
  db: z.object({
    path: z.string(),
    schemaVersion: z.number().int(),
    latestVersion: z.number().int(),
    integrity: z.string(),
    walMode: z.boolean(),
  }),
  /** null when selection failed; the error is then in tfError. */
  tf: BackendInfo.nullable(),
  tfError: z.string().nullable(),
  jobs: z.object({ queued: z.number().int(), running: z.number().int(), interrupted: z.number().int() }),
  runtime: z.object({
    node: z.string(),
    platform: z.string(),
    arch: z.string(),
    electron: z.string().nullable(),
    cpus: z.number().int(),
  }),
})
export type EngineStatus = z.infer<typeof EngineStatus>


export const Settings = z.object({
  tfBackend: TfBackendSetting,
  /** Jobs allowed to run at once; the rest wait in the queue. */
  maxConcurrentJobs: z.number().int().min(1).max(16),
})
export type Settings = z.infer<typeof Settings>


// ---------------------------------------------------------------------------------------------
// Methods

export const methods = {
  'engine.status': method(Empty, EngineStatus, 'Data directory, schema version, TF.js backend and why, job counts.'),

  'settings.get': method(Empty, Settings, 'Current settings.'),
  'settings.set': method(Settings.partial().strict(), Settings, 'Change some settings; returns all of them.'),

  'envs.list': method(
    Empty,
    z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        actionSpace: z.array(z.string()).nullable(),
        /** An AgentGym-style server stored in Settings (its status is not probed here: "Check" does that). */
        remote: z.boolean(),
        status: z.object({ available: z.boolean(), summary: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
      }),
    ),
    'The environments the engine can open — built-in and remote — with what each reports about itself (e.g. the code sandbox’s isolation level).',
  ),

  // Each domain's methods live in its own contract file.
  ...jobMethods,
  ...runMethods,
  ...corpusMethods,
  ...trainingMethods,
  ...evalMethods,
  // Model endpoints, remote environments, per-environment prompts, served checkpoints.
  ...endpointMethods,
} as const

export type Methods = typeof methods
export type MethodName = keyof Methods
export type Input<M extends MethodName> = z.input<Methods[M]['input']>
export type ParsedInput<M extends MethodName> = z.output<Methods[M]['input']>
export type Output<M extends MethodName> = z.output<Methods[M]['output']>

/** What the engine implements; transports and the in-process client call it through dispatch(). */
export type Service = { [M in MethodName]: (input: ParsedInput<M>) => Promise<Output<M>> }

export const isMethodName = (name: unknown): name is MethodName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name)

// ---------------------------------------------------------------------------------------------
// Events (engine → every client)

export const events = {
  'job.updated': Job,
  ...trainingEvents,
} as const
export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<E extends EventName> = z.output<Events[E]>
export const eventNames = Object.keys(events) as EventName[]

// ---------------------------------------------------------------------------------------------
// Errors

export const ErrorCode = z.enum(['bad_request', 'unknown_method', 'not_found', 'conflict', 'unauthorized', 'internal'])
export type ErrorCode = z.infer<typeof ErrorCode>
export const ApiErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
  /** For bad_request: where in the input and what was wrong. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
})
export type ApiErrorBody = z.infer<typeof ApiErrorBody>

export type Reply<T> = { ok: true; result: T } | { ok: false; error: ApiErrorBody }
