import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Engine } from '../../src-main/core/engine.ts'
import { exploreCorridorKind } from '../../tests/fixtures/explore-kind.ts'
import { killExplorationWithOpenEpisodes } from '../../tests/fixtures/killed-exploration.ts'
import type { Suite } from './index.ts'

// Issue 13, attack 3: an exploration SIGKILLed with ≥ 2,000 episodes open (every task of a big
// run advances together), then resumed. resume_open_2000_s runs from jobs.resume to the job's
// end: clearing the open episodes, then exploring those tasks again (corridor, small budget).
export const resumeSuite: Suite = {
  name: 'resume',
  summary: 'Resume of an exploration killed with 2,000+ open episodes: seconds from resume to done',
  async run(log) {
    const dataDir = mkdtempSync(join(tmpdir(), 'leafe-bench-resume-'))
    try {
      const killed = await killExplorationWithOpenEpisodes(dataDir, 2_200, 2_000)
      log(`killed with ${killed.openEpisodes} open episodes, ${killed.nodes} nodes, ${killed.branchEvents} branch events`)
      const engine = new Engine({ dataDir, log: () => undefined })
      try {
        engine.jobs.register(exploreCorridorKind)
        const [job] = engine.jobs.list()
        if (job?.status !== 'interrupted') throw new Error(`expected an interrupted job, found ${job?.status}`)
        const t = performance.now()
        engine.jobs.resume(job.id)
        const done = await engine.jobs.waitFor(job.id)
        const seconds = (performance.now() - t) / 1000
        if (done.status !== 'done') throw new Error(`the resumed job ended ${done.status}: ${done.error}`)
        log(`resumed and finished in ${seconds.toFixed(1)} s`)
        return { resume_open_2000_s: Number(seconds.toFixed(2)), open_episodes: killed.openEpisodes, open_nodes: killed.nodes }
      } finally {
        await engine.close()
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  },
}
