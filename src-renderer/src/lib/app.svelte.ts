// App-wide state: which view is open, the engine connection, engine status and the job list
// kept live from 'job.updated' events. Views read it; only the client talks to the engine.
import { ApiError, type Client } from '../../../src-main/api/client.ts'
import type { EngineStatus, Job } from '../../../src-main/api/contract.ts'
import { connect } from './transport.ts'

export const VIEWS = [
  { id: 'episodes', label: 'Episodes' },
  { id: 'tree', label: 'Tree' },
  { id: 'corpus', label: 'Corpus' },
  { id: 'train', label: 'Train' },
  { id: 'evaluate', label: 'Evaluate' },
  { id: 'settings', label: 'Settings' },
] as const
export type ViewId = (typeof VIEWS)[number]['id']

const isView = (v: string): v is ViewId => VIEWS.some((x) => x.id === v)

export type Notice = { id: number; message: string }

export class AppState {
  view = $state<ViewId>('episodes')
  connection = $state<'connecting' | 'open' | 'closed'>('connecting')
  status = $state<EngineStatus | null>(null)
  jobs = $state<Job[]>([])
  notices = $state<Notice[]>([])
  readonly client: Client
  readonly via: 'ipc' | 'http'
  private nextNotice = 1

  constructor() {
    const { client, via } = connect((s) => {
      const wasClosed = this.connection === 'closed'
      this.connection = s
      if (s === 'open' && wasClosed) void this.refresh()
    })
    this.client = client
    this.via = via
    this.client.on('job.updated', (job) => this.upsertJob(job))
    const fromHash = location.hash.replace(/^#\/?/, '')
    if (isView(fromHash)) this.view = fromHash
    window.addEventListener('hashchange', () => {
      const v = location.hash.replace(/^#\/?/, '')
      if (isView(v)) this.view = v
    })
  }

  open(view: ViewId): void {
    this.view = view
    if (location.hash !== `#/${view}`) history.replaceState(null, '', `#/${view}`)
  }

  async refresh(): Promise<void> {
    await this.attempt(async () => {
      const [status, jobs] = await Promise.all([
        this.client.call('engine.status', {}),
        this.client.call('jobs.list', { limit: 50 }),
      ])
      this.status = status
      this.jobs = jobs
    })
  }

  /** Runs an engine call; a failure becomes a readable notice instead of a broken page. */
  async attempt<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn()
    } catch (err) {
      this.notify(err instanceof ApiError ? err.message : `Unexpected error: ${(err as Error)?.message ?? String(err)}`)
      return undefined
    }
  }

  notify(message: string): void {
    const id = this.nextNotice++
    this.notices.push({ id, message })
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id)
  }

  private upsertJob(job: Job): void {
    const i = this.jobs.findIndex((j) => j.id === job.id)
    if (i >= 0) this.jobs[i] = job
    else this.jobs.unshift(job)
  }
}
