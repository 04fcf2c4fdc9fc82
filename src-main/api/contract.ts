// The ONE service contract between the engine and every client (renderer over IPC or HTTP, tests).
// Each method has a zod schema for its input and its output; each event a schema for its
// payload. This file is pure: no Node, no Electron, so the renderer bundles it too.
import { z } from 'zod'
import { dataEvents, dataMethods } from './contract-data.ts'
import { endpointMethods } from './contract-endpoints.ts'
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

const Id = z.object({ id: z.number().int().positive() }).strict()
const Empty = z.object({}).strict()

// ---------------------------------------------------------------------------------------------
// Methods

type MethodSpec<I extends z.ZodType, O extends z.ZodType> = { input: I; output: O; doc: string }
const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O, doc: string): MethodSpec<I, O> => ({
  input,
  output,
  doc,
})

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

  'jobs.kinds': method(
    Empty,
    z.array(z.object({ kind: z.string(), title: z.string(), resumable: z.boolean() })),
    'The kinds of long work the engine can run.',
  ),
  'jobs.list': method(
    z.object({ status: JobStatus.optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
    z.array(Job),
    'Jobs, newest first.',
  ),
  'jobs.get': method(Id, Job, 'One job.'),
  'jobs.start': method(
    z.object({ kind: z.string().min(1).max(100), params: z.unknown() }).strict(),
    Job,
    "Queue a job; params are validated by the kind's own schema.",
  ),
  'jobs.cancel': method(Id, Job, 'Ask a queued or running job to stop.'),
  'jobs.resume': method(Id, Job, 'Queue an interrupted, failed or cancelled job again from its saved state.'),

  // Runs, episodes, trees, corpus and curation, checkpoints, train metrics, Pass@k.
  ...dataMethods,
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
  ...dataEvents,
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
