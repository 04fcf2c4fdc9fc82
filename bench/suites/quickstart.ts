import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Engine } from '../../src-main/core/engine.ts'
import { quickstartSizes } from '../../src-main/core/quickstart/config.ts'
import type { QuickstartResult } from '../../src-main/core/quickstart/job.ts'
import type { Suite } from './index.ts'

// `leafe quickstart` with its standard sizes in a fresh data directory: the time goal (≤ 10
// minutes on a 2-core CPU with wasm), each phase's seconds, and the table it prints.
export const quickstartSuite: Suite = {
  name: 'quickstart',
  summary: "The standard quickstart (the paper's comparison, n = 32): total and per-phase seconds, Pass@1 and Pass@32 per method",
  async run(log) {
    const dataDir = mkdtempSync(join(tmpdir(), 'leafe-bench-quickstart-'))
    const engine = new Engine({ dataDir, log: () => undefined })
    try {
      const job = engine.jobs.start('quickstart', { config: quickstartSizes('standard') })
      let last = ''
      const onUpdate = (j: { id: number; message?: string | null }) => {
        const phase = j.message?.split(':')[0] ?? ''
        if (j.id === job.id && phase !== last) log((last = phase))
      }
      engine.on('job.updated', onUpdate)
      const end = await engine.jobs.waitFor(job.id)
      engine.off('job.updated', onUpdate)
      if (end.status !== 'done') throw new Error(`quickstart job ${end.status}: ${end.error ?? end.message}`)
      const r = end.result as QuickstartResult
      const out: Record<string, number> = { total_seconds: Math.round(r.seconds) }
      for (const [phase, s] of Object.entries(r.phaseSeconds)) out[`${phase}_seconds`] = Math.round(s)
      for (const row of r.rows) {
        const key = row.method.toLowerCase().replace(/[^a-z]+/g, '_')
        out[`${key}_pass1`] = Number(row.passAt1.toFixed(4))
        out[`${key}_pass${r.n}`] = Number(row.passAtN.toFixed(4))
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
    } finally {
      await engine.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  },
}
