// Starting a job from a form: jobs.start with { kind, params: { config } }. The kind's own zod
// schema validates the config in the engine; its message (what was wrong and where) is kept
// here for the form to show beside its button, not as a passing notice.
import { ApiError } from '../../../src-main/api/client.ts'
import type { Job } from '../../../src-main/api/contract.ts'
import type { AppState } from './app.svelte.ts'
import { readableStartError } from './job-config.ts'

export class JobLauncher {
  jobId = $state<number | null>(null)
  error = $state<string | null>(null)
  busy = $state(false)

  constructor(
    private readonly app: AppState,
    readonly kind: string,
  ) {}

  /** The job this form started last, live from job.updated events. */
  get job(): Job | undefined {
    return this.jobId === null ? undefined : this.app.jobs.find((j) => j.id === this.jobId)
  }

  get active(): boolean {
    const s = this.job?.status
    return s === 'queued' || s === 'running'
  }

  /** A config the form could not even build (e.g. bad JSON) is reported the same way. */
  fail(message: string): void {
    this.error = message
  }

  async start(config: unknown): Promise<Job | undefined> {
    this.busy = true
    this.error = null
    try {
      const job = await this.app.client.call('jobs.start', { kind: this.kind, params: { config } })
      this.jobId = job.id
      this.app.trackJob(job)
      return job
    } catch (err) {
      this.error = err instanceof ApiError ? readableStartError(err.message) : `Unexpected error: ${(err as Error)?.message ?? String(err)}`
      return undefined
    } finally {
      this.busy = false
    }
  }
}
