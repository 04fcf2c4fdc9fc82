// The Episodes view's state: runs (live through their jobs), a filtered page of episodes, and
// the transcript of the selected one along a chosen path.
import type { EpisodeFilter, EpisodeSummary, HumanRequest, RunInfo, Transcript } from '../../../src-main/api/contract-runs.ts'
import type { AppState } from './app.svelte.ts'

export const PAGE = 50

export class EpisodesState {
  runs = $state<RunInfo[]>([])
  filter = $state<EpisodeFilter>({})
  offset = $state(0)
  total = $state(0)
  episodes = $state<EpisodeSummary[]>([])
  facets = $state<{ envs: string[]; samplers: string[]; tasks: string[] }>({ envs: [], samplers: [], tasks: [] })
  transcript = $state<Transcript | null>(null)
  loading = $state(false)
  waiting = $state<HumanRequest[]>([])

  constructor(private readonly app: AppState) {}

  async loadRuns(): Promise<void> {
    const runs = await this.app.attempt(() => this.app.client.call('runs.list', { limit: 100 }))
    if (runs) this.runs = runs
  }

  async loadWaiting(): Promise<void> {
    const w = await this.app.attempt(() => this.app.client.call('reflections.pending', {}))
    if (w) this.waiting = w
  }

  async loadFacets(): Promise<void> {
    const f = await this.app.attempt(() => this.app.client.call('episodes.facets', this.filter.runId ? { runId: this.filter.runId } : {}))
    if (f) this.facets = f
  }

  async loadEpisodes(): Promise<void> {
    this.loading = true
    const page = await this.app.attempt(() => this.app.client.call('episodes.list', { filter: this.filter, offset: this.offset, limit: PAGE }))
    this.loading = false
    if (page) {
      this.total = page.total
      this.episodes = page.items
    }
  }

  setFilter(patch: Partial<EpisodeFilter>): void {
    const next: EpisodeFilter = { ...this.filter, ...patch }
    for (const k of Object.keys(next) as (keyof EpisodeFilter)[]) if (next[k] === undefined || next[k] === '') delete next[k]
    this.filter = next
    this.offset = 0
    void this.loadEpisodes()
    if ('runId' in patch) void this.loadFacets()
  }

  page(delta: number): void {
    this.offset = Math.max(0, Math.min(this.offset + delta * PAGE, Math.max(0, this.total - 1)))
    void this.loadEpisodes()
  }

  async open(id: number, leafId?: number): Promise<void> {
    const t = await this.app.attempt(() => this.app.client.call('episodes.transcript', leafId === undefined ? { id } : { id, leafId }))
    if (t) {
      if (t.episode.id !== this.transcript?.episode.id) this.closeCompare()
      this.transcript = t
    }
  }

  /** The attempt shown beside the transcript, and the episodes of the same task it may be taken from. */
  compare = $state<Transcript | null>(null)
  comparing = $state(false)
  compareChoices = $state<EpisodeSummary[]>([])

  /**
   * Opens the side-by-side comparison of the shown attempt with another: by default another
   * path of the same episode (a branch against the first attempt), else another episode of the
   * same task.
   */
  async openCompare(): Promise<void> {
    const a = this.transcript
    if (!a) return
    this.comparing = true
    const page = await this.app.attempt(() => this.app.client.call('episodes.list', { filter: { task: a.episode.taskKey, env: a.episode.env }, limit: 50 }))
    this.compareChoices = (page?.items ?? []).filter((e) => e.taskKey === a.episode.taskKey)
    const otherLeaf = a.leaves.find((l) => l.id !== a.leafId)
    const otherEpisode = this.compareChoices.find((e) => e.id !== a.episode.id)
    if (otherLeaf) await this.compareWith(a.episode.id, otherLeaf.id)
    else if (otherEpisode) await this.compareWith(otherEpisode.id)
  }

  async compareWith(id: number, leafId?: number): Promise<void> {
    const t = await this.app.attempt(() => this.app.client.call('episodes.transcript', leafId === undefined ? { id } : { id, leafId }))
    if (t && this.comparing) this.compare = t
  }

  closeCompare(): void {
    this.comparing = false
    this.compare = null
    this.compareChoices = []
  }
}
