// The Tree view's state: one episode's tree laid out once, the selected node with its texts.
import type { BranchEvent, EpisodeSummary, HumanRequest, Transcript } from '../../../src-main/api/contract-runs.ts'
import type { CorpusItem } from '../../../src-main/api/contract-corpus.ts'
import type { Output } from '../../../src-main/api/contract.ts'
import type { AppState } from './app.svelte.ts'
import { layoutTree, type TreeLayout } from './tree-layout.ts'

export type NodeDetail = Output<'episodes.node'>

/** What a redraw depends on: the nodes, and each branch event with where and how it ended. */
function treeShape(nodes: readonly { id: number }[], events: readonly BranchEvent[]): string {
  return `${nodes.length}:${nodes.at(-1)?.id ?? ''}|${events.map((e) => `${e.id}.${e.childNodeId ?? ''}.${e.outcome}`).join(',')}`
}

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0))

export class TreeState {
  episode = $state<EpisodeSummary | null>(null)
  events = $state.raw<Output<'episodes.tree'>['branchEvents']>([])
  layout = $state.raw<TreeLayout | null>(null)
  selected = $state<number | null>(null)
  detail = $state<NodeDetail | null>(null)
  recent = $state<EpisodeSummary[]>([])
  loading = $state(false)
  /** Attempts of this episode waiting for the user's reflection, and the first one's path. */
  requests = $state<HumanRequest[]>([])
  attempt = $state<Transcript | null>(null)
  sent = $state<string | null>(null)

  constructor(private readonly app: AppState) {}

  async loadRecent(): Promise<void> {
    const page = await this.app.attempt(() => this.app.client.call('episodes.list', { filter: {}, limit: 30 }))
    if (page) this.recent = page.items
  }

  async load(episodeId: number, focus: number | null): Promise<void> {
    this.loading = true
    const tree = await this.app.attempt(() => this.app.client.call('episodes.tree', { id: episodeId }))
    this.loading = false
    if (!tree) return
    // Layout and drawing run in separate tasks, so neither holds the page for both.
    await nextTask()
    const layout = layoutTree(tree.nodes, tree.branchEvents)
    await nextTask()
    this.episode = tree.episode
    this.events = tree.branchEvents
    this.layout = layout
    this.detail = null
    await this.loadRequests()
    await this.select(focus ?? this.requests[0]?.failedNodeId ?? tree.nodes[0]?.id ?? null)
  }

  /** Refreshes issued; an answer older than the newest one already applied is dropped. */
  private asked = 0
  private applied = 0

  /**
   * Looks again at the shown episode, keeping the selection: branches appear as they are made (a
   * sent reflection's branch among them) and answered requests go away. The timer looks only
   * while the episode runs; a job event looks in any case (`always`), so a tree whose last look
   * saw it end, or that a resumed run grows again, is still brought up to date. Answers may come
   * back out of order: only the newest applies.
   */
  async refresh(always = false): Promise<void> {
    const shown = this.episode
    if (!shown || (!always && shown.status !== 'running')) return
    const ticket = ++this.asked
    const tree = await this.app.attempt(() => this.app.client.call('episodes.tree', { id: shown.id }))
    if (!tree || this.episode?.id !== shown.id || ticket < this.applied) return
    this.applied = ticket
    if (treeShape(tree.nodes, tree.branchEvents) !== treeShape(this.layout?.nodes.map((n) => n.data) ?? [], this.events)) {
      await nextTask()
      if (ticket < this.applied || this.episode?.id !== shown.id) return
      this.layout = layoutTree(tree.nodes, tree.branchEvents)
      this.events = tree.branchEvents
    }
    this.episode = tree.episode
    await this.loadRequests()
  }

  async loadRequests(): Promise<void> {
    const episode = this.episode
    if (!episode) return
    this.requests = (await this.app.attempt(() => this.app.client.call('reflections.pending', { episodeId: episode.id }))) ?? []
    const first = this.requests[0]
    this.attempt = first ? ((await this.app.attempt(() => this.app.client.call('episodes.transcript', { id: episode.id, leafId: first.failedNodeId }))) ?? null) : null
  }

  async answer(requestId: number, rollbackStep: number, experience: string, avoid: string[]): Promise<boolean> {
    const r = await this.app.attempt(() => this.app.client.call('reflections.answer', { id: requestId, rollbackStep, experience, avoid }))
    if (r) {
      this.sent = `Reflection sent (τ = ${rollbackStep}); the exploration branches from it at its next look.`
      await this.loadRequests()
    }
    return !!r
  }

  async skip(requestId: number): Promise<void> {
    if (await this.app.attempt(() => this.app.client.call('reflections.skip', { id: requestId }))) await this.loadRequests()
  }

  async select(id: number | null): Promise<void> {
    this.selected = id
    if (id === null) return void (this.detail = null)
    const d = await this.app.attempt(() => this.app.client.call('episodes.node', { id }))
    if (d && this.selected === id) this.detail = d
  }

  /** "Branch from here": a manual correction at the selected state, through curation. */
  /** Stores a manual correction at the selected node; the engine's refusal (an action the environment does not accept there) comes back as the error. */
  async correct(action: string, note: string): Promise<{ value: CorpusItem } | { error: string }> {
    const at = this.selected
    if (at === null) return { error: 'Pick a state in the tree first.' }
    const r = await this.app.settle(() => this.app.client.call('corpus.manual', { nodeId: at, action, note }))
    if ('value' in r) await this.select(at)
    return r
  }
}
