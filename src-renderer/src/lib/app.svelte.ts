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

/** `#/tree/12` → the view and what it shows (an episode, …); a bad hash leaves both as they are. */
function parseHash(hash: string): { view: ViewId; arg: number | null } | null {
  const [view = '', arg] = hash.replace(/^#\/?/, '').split('/')
  if (!isView(view)) return null
  const n = Number(arg)
  return { view, arg: arg !== undefined && Number.isInteger(n) && n > 0 ? n : null }
}

export type Notice = { id: number; message: string }

export class AppState {
  view = $state<ViewId>('episodes')
  /** What the open view shows, from the address (#/tree/12: episode 12). */
  arg = $state<number | null>(null)
  /** The node the tree view should select when it opens (from a transcript or a corpus item). */
  focusNode = $state<number | null>(null)
  connection = $state<'connecting' | 'open' | 'closed'>('connecting')
  status = $state<EngineStatus | null>(null)
  jobs = $state<Job[]>([])
  notices = $state<Notice[]>([])
  /** The quickstart panel stays open (Episodes view) once asked for, even when runs exist. */
  quickstartOpen = $state(false)
  readonly client: Client
  readonly via: 'ipc' | 'http'
  private nextNotice = 1
  /** The item each view showed last, so that coming back to a view shows it again. */
  private readonly lastArg = new Map<ViewId, number | null>()

  constructor() {
    const { client, via } = connect((s) => {
      const wasClosed = this.connection === 'closed'
      this.connection = s
      if (s === 'open' && wasClosed) void this.refresh()
    })
    this.client = client
    this.via = via
    this.client.on('job.updated', (job) => this.trackJob(job))
    const follow = () => {
      const r = parseHash(location.hash)
      if (r) {
        this.view = r.view
        this.arg = r.arg
        this.lastArg.set(r.view, r.arg)
      }
    }
    follow()
    window.addEventListener('hashchange', follow)
  }

  /** Opens a view; with an argument (an episode id for Episodes and Tree) it shows that item. */
  open(view: ViewId, arg: number | null = this.lastArg.get(view) ?? null): void {
    this.view = view
    this.arg = arg
    this.lastArg.set(view, arg)
    const hash = arg === null ? `#/${view}` : `#/${view}/${arg}`
    if (location.hash !== hash) history.replaceState(null, '', hash)
  }

  /** Opens an episode's tree, optionally with one node selected. */
  openTree(episodeId: number, nodeId: number | null = null): void {
    this.focusNode = nodeId
    this.open('tree', episodeId)
  }

  async refresh(): Promise<void> {
    // Each on its own: a job list the engine cannot read (a stored job it refuses) becomes a
    // notice, and the engine's status still shows.
    const [status, jobs] = await Promise.all([this.attempt(() => this.client.call('engine.status', {})), this.attempt(() => this.client.call('jobs.list', { limit: 50 }))])
    if (status) this.status = status
    if (jobs) this.jobs = jobs
  }

  /** Runs an engine call; a failure becomes a readable notice instead of a broken page. */
  async attempt<T>(fn: () => Promise<T>): Promise<T | undefined> {
    const r = await this.settle(fn)
    if ('error' in r) {
      this.notify(r.error)
      return undefined
    }
    return r.value
  }

  /** Runs an engine call and hands back its value or its readable error, for forms that show the refusal beside the field. */
  async settle<T>(fn: () => Promise<T>): Promise<{ value: T } | { error: string }> {
    try {
      return { value: await fn() }
    } catch (err) {
      return { error: err instanceof ApiError ? err.message : `Unexpected error: ${(err as Error)?.message ?? String(err)}` }
    }
  }

  notify(message: string): void {
    const id = this.nextNotice++
    this.notices.push({ id, message })
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id)
  }

  /** Keeps a job in the list (from an event, or at once when a form has just started it). */
  trackJob(job: Job): void {
    const i = this.jobs.findIndex((j) => j.id === job.id)
    if (i >= 0) this.jobs[i] = job
    else this.jobs.unshift(job)
  }
}
