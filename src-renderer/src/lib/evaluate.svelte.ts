// The Evaluate view's state: which task set and policies (checkpoints, baselines), their Pass@k curves, which curves
// are shown, and the sharpening/expansion comparison of two of them.
import type { EvalScopeInfo, PassCurveOut, SolvedComparisonOut } from '../../../src-main/api/contract-eval.ts'
import type { AppState } from './app.svelte.ts'
import { toCsv } from './export.ts'

export class EvaluateState {
  scopes = $state<EvalScopeInfo[]>([])
  scopeIndex = $state(0)
  /** Policy keys ('checkpoint:12', 'random', …). */
  chosen = $state<string[]>([])
  hidden = $state<string[]>([])
  curves = $state<PassCurveOut[]>([])
  resamples = $state(1000)
  compareA = $state<string | null>(null)
  compareB = $state<string | null>(null)
  comparison = $state<SolvedComparisonOut | null>(null)
  loading = $state(false)

  constructor(private readonly app: AppState) {}

  get scope(): EvalScopeInfo | undefined {
    return this.scopes[this.scopeIndex]
  }

  /**
   * Loads the scopes and shows the one holding an eval run's results, or else the newest
   * evaluation's: what was evaluated last is what a person comes to look at.
   */
  async loadScopes(evalRunId?: number): Promise<void> {
    const s = await this.app.attempt(() => this.app.client.call('eval.scopes', {}))
    if (!s) return
    this.scopes = s
    const newest = Math.max(0, ...s.flatMap((x) => x.policies.map((p) => p.runId)))
    const want = evalRunId ?? newest
    const i = s.findIndex((x) => x.policies.some((p) => p.runId === want))
    this.chooseScope(Math.max(0, i), evalRunId)
  }

  /** Shows a scope's first five policies, or those an eval run evaluated. */
  chooseScope(i: number, evalRunId?: number): void {
    this.scopeIndex = i
    const all = this.scope?.policies ?? []
    const ofRun = all.filter((p) => p.runId === evalRunId)
    this.chosen = (ofRun.length ? ofRun : all).slice(0, 5).map((p) => p.policy)
    this.hidden = []
    this.compareA = this.chosen[0] ?? null
    this.compareB = this.chosen[this.chosen.length - 1] ?? null
    void this.load()
  }

  toggleChosen(id: string): void {
    this.chosen = this.chosen.includes(id) ? this.chosen.filter((x) => x !== id) : [...this.chosen, id]
    void this.load()
  }

  toggleHidden(id: string): void {
    this.hidden = this.hidden.includes(id) ? this.hidden.filter((x) => x !== id) : [...this.hidden, id]
  }

  async load(): Promise<void> {
    const scope = this.scope
    if (!scope || this.chosen.length === 0) {
      this.curves = []
      this.comparison = null
      return
    }
    this.loading = true
    const curves = await this.app.attempt(() => this.app.client.call('eval.curves', { scope: scope.scope, policies: this.chosen, resamples: this.resamples, seed: 0 }))
    this.loading = false
    if (curves) this.curves = curves
    await this.compare()
  }

  async compare(): Promise<void> {
    const scope = this.scope
    if (!scope || this.compareA === null || this.compareB === null || this.compareA === this.compareB) return void (this.comparison = null)
    const c = await this.app.attempt(() => this.app.client.call('eval.compare', { scope: scope.scope, a: this.compareA!, b: this.compareB! }))
    if (c) this.comparison = c
  }

  csv(): string {
    const rows: (string | number)[][] = [['policy', 'name', 'k', 'pass_at_k', 'band_lo', 'band_hi', 'tasks', 'n', 'eval_run']]
    for (const c of this.curves) c.ks.forEach((k, j) => rows.push([c.policy, c.name, k, c.mean[j]!, c.lo[j]!, c.hi[j]!, c.tasks, c.n, c.runId]))
    return toCsv(rows)
  }
}
