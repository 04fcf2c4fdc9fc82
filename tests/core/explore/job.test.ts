import { spawn } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { Engine } from '../../../src-main/core/engine.ts'
import type { ExploreSummary } from '../../../src-main/core/explore/job.ts'
import { exploreCorridorKind } from '../../fixtures/explore-kind.ts'
import { killExplorationWithOpenEpisodes } from '../../fixtures/killed-exploration.ts'
import { tempDir } from '../../fixtures/tmp.ts'

const config = { env: 'corridor', tasks: { split: 'train', count: 40 }, policy: { kind: 'random' }, budget: 40, seed: 7, corpus: { rehearsalShare: 1 } }

const engines: Engine[] = []
const open = (dir: string) => {
  const e = new Engine({ dataDir: dir, log: () => undefined })
  e.jobs.register(exploreCorridorKind)
  engines.push(e)
  return e
}
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()))
})

describe('the explore job', () => {
  it('explores a stored task set in a worker, records the run, and builds the corpus', async () => {
    const e = open(tempDir())
    const job = e.jobs.start('test.explore', { config })
    const done = await e.jobs.waitFor(job.id)
    expect(done.status).toBe('done')
    const s = done.result as ExploreSummary
    expect(s.tasks).toBe(40)
    expect(s.solved).toBeGreaterThan(0)
    expect(s.corpusItems.reh).toBeGreaterThan(0)
    const run = e.db.prepare('SELECT kind, status, config FROM runs WHERE id = ?').get(s.runId) as { kind: string; status: string; config: string }
    expect(run).toMatchObject({ kind: 'explore', status: 'done' })
    expect(JSON.parse(run.config)).toMatchObject({ seed: 7, sampler: 'leafe', budget: 40, taskSetName: s.taskSet })
    expect((e.db.prepare('SELECT COUNT(*) AS n FROM tasks').get() as { n: number }).n).toBe(40)
    const cf = e.db.prepare(`SELECT prompt, experience FROM corpus_items WHERE kind = 'cf'`).all() as { prompt: string; experience: string }[]
    expect(cf.length).toBe(s.corpusItems.cf)
    for (const c of cf) expect(c.prompt).not.toContain(c.experience)
  })

  it('is reproducible: the same config and seed give the same tree', async () => {
    const trees: string[] = []
    for (let i = 0; i < 2; i++) {
      const e = open(tempDir())
      const job = e.jobs.start('test.explore', { config: { ...config, tasks: { split: 'train', count: 8 } } })
      await e.jobs.waitFor(job.id)
      trees.push(JSON.stringify(e.db.prepare('SELECT e.task_key, n.step, n.action, n.observation FROM nodes n JOIN episodes e ON e.id = n.episode_id ORDER BY n.id').all()))
    }
    expect(trees[0]).toBe(trees[1])
  })

  it('resumes after the process is SIGKILLed: finished tasks stay, the rest are explored once', async () => {
    const dir = tempDir()
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/explore-host.ts', dir, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'] })
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (d) => {
        const m = [...String(d).matchAll(/progress (\d+)/g)].pop()
        if (m && Number(m[1]) >= 400) {
          child.kill('SIGKILL')
          resolve()
        }
      })
    })
    await new Promise((r) => child.once('exit', r))
    const e = open(dir)
    const [job] = e.jobs.list()
    expect(job!.status).toBe('interrupted')
    const before = (e.db.prepare(`SELECT COUNT(*) AS n FROM run_tasks`).get() as { n: number }).n
    expect(before).toBeGreaterThan(0)
    expect(before).toBeLessThan(40)
    e.jobs.resume(job!.id)
    const done = await e.jobs.waitFor(job!.id)
    expect({ status: done.status, error: done.error }).toEqual({ status: 'done', error: null })
    expect((done.result as ExploreSummary).tasks).toBe(40)
    // One LEAFE tree per task, none duplicated or left half-done.
    const perTask = e.db.prepare(`SELECT task_key, COUNT(*) AS n, MIN(status) AS status FROM episodes GROUP BY task_key`).all() as { n: number; status: string }[]
    expect(perTask.length).toBe(40)
    for (const r of perTask) expect(r.n).toBe(1)
    for (const r of perTask) expect(r.status).not.toBe('running')
    expect(e.db.prepare('SELECT status FROM runs').all()).toEqual([{ status: 'done' }])
    expect((e.db.prepare('SELECT COUNT(*) AS n FROM run_tasks').get() as { n: number }).n).toBe(40)
    // Every task that produced a branch success has its D_cf items, none lost to the kill.
    const missing = e.db.prepare(`SELECT COUNT(*) AS n FROM branch_events b WHERE b.outcome = 'success' AND NOT EXISTS (SELECT 1 FROM corpus_items c WHERE c.branch_event_id = b.id)`).get() as { n: number }
    expect(missing.n).toBe(0)
  }, 120_000)

  it('resumes a run killed with 2,000 open episodes: clears them in small transactions and explores each task once', async () => {
    const dir = tempDir()
    const killed = await killExplorationWithOpenEpisodes(dir, 2_100, 2_000)
    expect(killed.openEpisodes).toBeGreaterThanOrEqual(2_000)
    const e = open(dir)
    const [job] = e.jobs.list()
    expect(job!.status).toBe('interrupted')
    e.jobs.resume(job!.id)
    const done = await e.jobs.waitFor(job!.id)
    expect({ status: done.status, error: done.error }).toEqual({ status: 'done', error: null })
    const perTask = e.db.prepare(`SELECT COUNT(*) AS n FROM episodes GROUP BY task_key`).pluck().all() as number[]
    expect(perTask.length).toBe(2_100)
    expect(perTask.every((n) => n === 1)).toBe(true)
    expect(e.db.prepare(`SELECT COUNT(*) FROM episodes WHERE status = 'running'`).pluck().get()).toBe(0)
  }, 180_000)
})
