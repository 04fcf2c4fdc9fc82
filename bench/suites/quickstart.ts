import { quickstartSizes } from '../../src-main/shared/jobs/quickstart.ts'
import { doneJobResult } from '../../src-main/shared/jobs/kinds.ts'
import { methodKey, runJobToEnd, withBenchEngine } from '../engine.ts'
import type { Suite } from './index.ts'

// `leafe quickstart` with its standard sizes in a fresh data directory: the time goal (≤ 10
// minutes on a 2-core CPU with wasm), each phase's seconds, and the table it prints.
export const quickstartSuite: Suite = {
  name: 'quickstart',
  summary: "The standard quickstart (the paper's comparison, n = 32): total and per-phase seconds, Pass@1 and Pass@32 per method",
  run: (log) =>
    withBenchEngine('quickstart', async (engine) => {
      let last = ''
      const end = await runJobToEnd(engine, 'quickstart', { config: quickstartSizes('standard') }, 'quickstart', (j) => {
        const phase = j.message?.split(':')[0] ?? ''
        if (phase !== last) log((last = phase))
      })
      const r = doneJobResult(end, 'quickstart')
      const out: Record<string, number> = { total_seconds: Math.round(r.seconds) }
      for (const [phase, s] of Object.entries(r.phaseSeconds)) out[`${phase}_seconds`] = Math.round(s)
      for (const row of r.rows) {
        out[`${methodKey(row.method)}_pass1`] = Number(row.passAt1.toFixed(4))
        out[`${methodKey(row.method)}_pass${r.n}`] = Number(row.passAtN.toFixed(4))
      }
      Object.assign(out, {
        heldout_tasks: r.testTasks,
        n: r.n,
        leafe_only_solved: r.expansion.leafeOnly,
        grpo_only_solved: r.expansion.grpoOnly,
        explore_solved: r.explore.solved,
        explore_tasks: r.explore.tasks,
        cf_items: r.explore.corpusItems.cf,
        reh_items: r.explore.corpusItems.reh,
      })
      return out
    }),
}
