// The one-writer-per-table check (scripts/lint-table-writers.ts, run by `npm run lint`) fires on a
// table written from two modules and on a write outside the store modules, and the repository
// itself has none.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { engineSources, tableWriters, writerViolations } from '../../scripts/lint-table-writers.ts'

const repo = resolve(import.meta.dirname, '../..')

describe('one writer per table', () => {
  it('finds the tables each module writes, whatever the statement', () => {
    const writers = tableWriters({
      'src-main/core/store/runs.ts': "db.prepare(`INSERT INTO runs (kind) VALUES (?)`); db.prepare('UPDATE runs SET status = ?')",
      'src-main/core/store/jobs.ts': "db.prepare(`INSERT OR IGNORE INTO jobs (kind) VALUES (?)`); db.prepare(`DELETE FROM job_logs WHERE id = ?`)",
      'src-main/core/store/reads.ts': "db.prepare('SELECT * FROM runs')",
    })
    expect(Object.fromEntries(writers)).toEqual({ runs: ['src-main/core/store/runs.ts'], jobs: ['src-main/core/store/jobs.ts'], job_logs: ['src-main/core/store/jobs.ts'] })
  })

  it('refuses a second writer of a table, and a write outside the store modules', () => {
    const found = writerViolations({
      'src-main/core/store/runs.ts': "db.prepare(`UPDATE runs SET status = 'done'`)",
      'src-main/core/train/grpo.ts': "db.prepare(`UPDATE runs SET ended_at = ?`)",
    })
    expect(found).toEqual([
      'runs: written by 2 modules (src-main/core/store/runs.ts, src-main/core/train/grpo.ts); keep its writes in one',
      'runs: written by src-main/core/train/grpo.ts, outside the store modules (src-main/core/store/ or DOMAIN_STORES)',
    ])
  })

  it('holds for the engine as it is', () => {
    const sources = engineSources(repo)
    expect(Object.keys(sources).length).toBeGreaterThan(100)
    expect(writerViolations(sources)).toEqual([])
    // The check sees the real writers (a broken pattern would find nothing and pass).
    expect(tableWriters(sources).get('runs')).toEqual(['src-main/core/store/runs.ts'])
  })
})
