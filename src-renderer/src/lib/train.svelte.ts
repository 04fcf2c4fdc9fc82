// The Train view's state: checkpoints with lineage, training runs, and the metrics of the chosen
// run kept live from train.metrics events.
import type { CheckpointInfo, MetricPoint } from '../../../src-main/api/contract-training.ts'
import type { RunInfo } from '../../../src-main/api/contract-runs.ts'
import type { AppState } from './app.svelte.ts'

/** Run kinds that are not training: everything else (sft, grpo, early_experience, …) is. */
const NOT_TRAINING = new Set(['explore', 'eval'])
/** The kinds the start form offers, in its order (plain `sft` needs dataset files: the CLI's). */
const STARTABLE = ['leafe_sft', 'grpo', 'early_experience']

export class TrainState {
  checkpoints = $state<CheckpointInfo[]>([])
  runs = $state<RunInfo[]>([])
  runId = $state<number | null>(null)
  /** Raw so that thousands of points are not made deeply reactive; replaced on every change. */
  points = $state.raw<MetricPoint[]>([])
  kinds = $state<{ kind: string; title: string }[]>([])
  envs = $state<string[]>([])
  /** A job the form just started: its run is shown as soon as it exists. */
  follow = $state<number | null>(null)
  private lastId = 0

  constructor(private readonly app: AppState) {}

  get run(): RunInfo | undefined {
    return this.runs.find((r) => r.id === this.runId)
  }

  async load(): Promise<void> {
    const [cps, runs, kinds, envs] = await Promise.all([
      this.app.attempt(() => this.app.client.call('checkpoints.list', {})),
      this.app.attempt(() => this.app.client.call('runs.list', { limit: 200 })),
      this.app.attempt(() => this.app.client.call('jobs.kinds', {})),
      this.envs.length ? Promise.resolve(undefined) : this.app.attempt(() => this.app.client.call('envs.list', {})),
    ])
    if (cps) this.checkpoints = cps
    if (runs) this.runs = runs.filter((r) => !NOT_TRAINING.has(r.kind))
    if (kinds) this.kinds = STARTABLE.flatMap((id) => kinds.filter((k) => k.kind === id))
    if (envs) this.envs = envs.map((e) => e.id)
    const followed = this.follow === null ? undefined : this.runs.find((r) => r.jobId === this.follow)
    if (followed) {
      this.follow = null
      if (followed.id !== this.runId) await this.choose(followed.id)
    } else if (this.runId === null && this.runs[0]) await this.choose(this.runs[0].id)
  }

  async choose(runId: number): Promise<void> {
    this.runId = runId
    this.points = []
    this.lastId = 0
    // Pages of 20,000 rows until caught up; live rows then arrive as events.
    for (;;) {
      const m = await this.app.attempt(() => this.app.client.call('train.metrics', { runId, afterId: this.lastId }))
      if (!m || this.runId !== runId) return
      this.append(m.points)
      if (m.points.length < 20_000) break
    }
  }

  /** Rows from a train.metrics event or a page; rows already held are ignored. */
  append(points: MetricPoint[]): void {
    const fresh = points.filter((p) => p.id > this.lastId)
    if (!fresh.length) return
    this.lastId = fresh[fresh.length - 1]!.id
    this.points = [...this.points, ...fresh]
  }
}
