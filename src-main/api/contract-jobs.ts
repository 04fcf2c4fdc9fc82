// Long work: the job kinds, the queue (start, cancel, resume, list) and the quickstart's sizes
// and chart. A job's params and result are typed per kind (shared/jobs/kinds.ts). Part of the one
// contract (contract.ts). Pure: no Node, no Electron.
import { z } from 'zod'
import { QUICKSTART_ENVS, QuickstartConfig } from '../shared/jobs/quickstart.ts'
import { Job, JobStatus } from '../shared/jobs/kinds.ts'
import { ById, Empty, method } from './contract-shapes.ts'

export const jobMethods = {
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
  'jobs.get': method(ById, Job, 'One job.'),
  'jobs.start': method(
    z.object({ kind: z.string().min(1).max(100), params: z.unknown() }).strict(),
    Job,
    "Queue a job; params are validated by the kind's own schema.",
  ),
  'jobs.cancel': method(ById, Job, 'Ask a queued or running job to stop.'),
  'jobs.resume': method(ById, Job, 'Queue an interrupted, failed or cancelled job again from its saved state.'),
  'quickstart.sizes': {
    input: z.object({ size: z.enum(['standard', 'reduced']), env: z.enum(QUICKSTART_ENVS).optional() }).strict(),
    output: QuickstartConfig,
    doc: "The quickstart's sizes for an environment (Sokoban unless named): 'standard' (minutes on a 2-core CPU) or 'reduced' (a minute or two, for trying it out).",
  },
  'quickstart.chart': {
    input: ById,
    output: z.object({ path: z.string(), svg: z.string() }),
    doc: "A finished quickstart job's Pass@k chart: the SVG file it wrote, and the file's text (for a download).",
  },
} as const
