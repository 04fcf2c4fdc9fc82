// The Corpus view's state: a window cache over a filtered, sorted corpus of any size (pages of
// rows fetched as the table scrolls), the item under the cursor in full, counts, and curation.
import type { BulkAction, BulkResult, CorpusCounts, CorpusFilter, CorpusItem, CorpusRow, CorpusSort } from '../../../src-main/api/contract-corpus.ts'
import type { AppState } from './app.svelte.ts'
import { throttle } from './throttle.ts'

const PAGE = 200

export class CorpusState {
  filter = $state<CorpusFilter>({})
  sort = $state<CorpusSort>({ by: 'id', dir: 'asc' })
  total = $state(0)
  /** Bumped when cached rows change, so the table redraws; the cache itself is not reactive. */
  version = $state(0)
  cursor = $state(0)
  detail = $state<CorpusItem | null>(null)
  counts = $state<CorpusCounts | null>(null)
  allCounts = $state<CorpusCounts | null>(null)
  loaded = $state(false)

  private pages = new Map<number, CorpusRow[]>()
  private inflight = new Set<number>()
  /** Answers to an older filter are dropped. */
  private generation = 0
  readonly refreshCounts = throttle(() => void this.loadCounts(), 500)

  constructor(private readonly app: AppState) {}

  rowAt(i: number): CorpusRow | undefined {
    return this.pages.get(Math.floor(i / PAGE))?.[i % PAGE]
  }

  get current(): CorpusRow | undefined {
    return this.rowAt(this.cursor)
  }

  async reload(): Promise<void> {
    this.generation++
    this.pages.clear()
    this.inflight.clear()
    this.cursor = 0
    this.detail = null
    await this.ensure(0, 60)
    this.loaded = true
    void this.loadCounts()
    void this.openCurrent()
  }

  /** Makes sure rows [from, to) are cached, fetching the pages that are missing. */
  async ensure(from: number, to: number): Promise<void> {
    const gen = this.generation
    const first = Math.floor(Math.max(0, from) / PAGE)
    const last = Math.floor(Math.max(0, to - 1) / PAGE)
    const wanted: Promise<void>[] = []
    for (let p = first; p <= last; p++) {
      if (this.pages.has(p) || this.inflight.has(p)) continue
      if (p > 0 && p * PAGE >= this.total) continue
      this.inflight.add(p)
      wanted.push(
        (async () => {
          const r = await this.app.attempt(() => this.app.client.call('corpus.list', { filter: this.filter, sort: this.sort, offset: p * PAGE, limit: PAGE }))
          this.inflight.delete(p)
          if (!r || gen !== this.generation) return
          this.total = r.total
          this.pages.set(p, r.items)
          this.version++
        })(),
      )
    }
    await Promise.all(wanted)
  }

  async loadCounts(): Promise<void> {
    const unfiltered = Object.keys(this.filter).length === 0
    const [filtered, all] = await Promise.all([
      this.app.attempt(() => this.app.client.call('corpus.counts', { filter: this.filter })),
      unfiltered ? undefined : this.app.attempt(() => this.app.client.call('corpus.counts', {})),
    ])
    if (filtered) this.counts = filtered
    if (all ?? (unfiltered && filtered)) this.allCounts = (all ?? filtered)!
  }

  setFilter(patch: Partial<CorpusFilter>): void {
    const next: CorpusFilter = { ...this.filter, ...patch }
    for (const k of Object.keys(next) as (keyof CorpusFilter)[]) if (next[k] === undefined || next[k] === '') delete next[k]
    this.filter = next
    void this.reload()
  }

  setSort(sort: CorpusSort): void {
    this.sort = sort
    void this.reload()
  }

  async move(to: number): Promise<void> {
    if (this.total === 0) return
    this.cursor = Math.max(0, Math.min(this.total - 1, to))
    await this.ensure(this.cursor - 20, this.cursor + 40)
    await this.openCurrent()
  }

  async openCurrent(): Promise<void> {
    const row = this.current
    if (!row) return
    const id = row.id
    const item = await this.app.attempt(() => this.app.client.call('corpus.get', { id }))
    if (item && this.current?.id === id) this.detail = item
  }

  /** Keeps the cached row, the detail pane and the counts in step with an item the engine changed. */
  private patch(item: CorpusItem): void {
    for (const rows of this.pages.values()) {
      const i = rows.findIndex((r) => r.id === item.id)
      if (i >= 0) rows[i] = { ...rows[i]!, status: item.status, target: item.target, edited: item.edited, note: item.note.slice(0, 200), updatedAt: item.updatedAt, targetProblem: item.targetProblem }
    }
    if (this.detail?.id === item.id) this.detail = item
    this.version++
    this.refreshCounts()
  }

  async setStatus(status: CorpusItem['status'], advance = true): Promise<void> {
    const row = this.current
    if (!row) return
    const done = await this.app.attempt(() => this.app.client.call('corpus.setStatus', { ids: [row.id], status }))
    if (!done) return
    const item = await this.app.attempt(() => this.app.client.call('corpus.get', { id: row.id }))
    if (item) this.patch(item)
    if (advance && this.cursor < this.total - 1) await this.move(this.cursor + 1)
  }

  /** Runs an edit of the item under the cursor and takes the engine's updated item. */
  private async editCurrent(edit: (id: number) => Promise<CorpusItem>): Promise<boolean> {
    const row = this.current
    if (!row) return false
    const item = await this.app.attempt(() => edit(row.id))
    if (item) this.patch(item)
    return !!item
  }

  /** Edits the target of the item under the cursor; returns the engine's refusal (e.g. an action the environment does not accept), or null. */
  async editTarget(target: string): Promise<string | null> {
    const row = this.current
    if (!row) return null
    const r = await this.app.settle(() => this.app.client.call('corpus.editTarget', { id: row.id, target }))
    if ('error' in r) return r.error
    this.patch(r.value)
    return null
  }

  editNote(note: string): Promise<boolean> {
    return this.editCurrent((id) => this.app.client.call('corpus.editNote', { id, note }))
  }

  /**
   * How many items the filter matches now. The counts are refreshed after every edit; the table's
   * total only on reload (an accepted item stays in view under a "pending" filter until then).
   */
  get matching(): number {
    return this.counts?.total ?? this.total
  }

  async bulk(action: BulkAction): Promise<BulkResult | undefined> {
    const r = await this.app.attempt(() => this.app.client.call('corpus.bulk', { filter: this.filter, action, expectMatched: this.matching }))
    const at = this.cursor
    await this.reload()
    if (at) await this.move(at)
    return r
  }
}
