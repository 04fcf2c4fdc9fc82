// Every migration upgrades a real SQLite file that holds data from the version before it, keeps
// that data, and makes its change; and the whole chain from version 1 to the latest does the same.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openStore, StoreError, type DB } from '../../../src-main/core/store/db.ts'
import { checkSequence, latestVersion, migrations } from '../../../src-main/core/store/migrations.ts'
import { tempDir } from '../../fixtures/tmp.ts'

const AT = '2026-01-01T00:00:00.000Z'

/**
 * A database file at `version` that has lived through the versions before: version-1 data
 * (fillV1, whose ids land in `ids`), upgraded, then what `more` writes at `version`; closed.
 */
function databaseAt(version: number, ids: Record<string, number>, more: (db: DB) => void = () => {}): string {
  const path = join(tempDir(), `v${version}.sqlite`)
  const first = openStore(path, { migrationList: migrations.slice(0, 1) }).db
  Object.assign(ids, fillV1(first))
  first.close()
  const { db } = openStore(path, { migrationList: migrations.slice(0, version) })
  expect(db.pragma('user_version', { simple: true })).toBe(version)
  more(db)
  db.close()
  return path
}

/** Opens `path` with migrations up to `version` applied (all by default). */
function upgrade(path: string, version = latestVersion): DB {
  const { db, info } = openStore(path, { migrationList: migrations.slice(0, version) })
  expect(info.schemaVersion).toBe(version)
  expect(db.pragma('foreign_key_check')).toEqual([])
  return db
}

const count = (db: DB, table: string): number => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number
const columns = (db: DB, table: string): string[] => (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[])
const tables = (db: DB): string[] => db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[]

/**
 * What a version-1 database of a user who has worked with it holds: a task set, a job and its
 * run (in an experiment), an episode with two nodes and a branch, a corpus item, a checkpoint,
 * metrics and an eval result. Every table of version 1 has a row.
 */
function fillV1(db: DB): Record<string, number> {
  const id = (sql: string, ...args: unknown[]) => Number(db.prepare(sql).run(...args).lastInsertRowid)
  db.prepare(`INSERT INTO settings (key, value) VALUES ('tfBackend', '"auto"')`).run()
  const experiment = id(`INSERT INTO experiments (name, created_at) VALUES ('first', ?)`, AT)
  const taskSet = id(`INSERT INTO task_sets (name, env, split, source, created_at) VALUES ('s', 'sokoban', 'train', 'generated', ?)`, AT)
  const task = id(`INSERT INTO tasks (task_set_id, env, task_key, split, seed, instruction) VALUES (?, 'sokoban', 't1', 'train', 1, 'push')`, taskSet)
  const job = id(`INSERT INTO jobs (kind, params, status, created_at) VALUES ('explore', '{}', 'done', ?)`, AT)
  const run = id(`INSERT INTO runs (experiment_id, job_id, kind, name, config, status, summary, started_at, ended_at) VALUES (?, ?, 'explore', 'r', '{"seed":3}', 'done', '{"solved":1}', ?, ?)`, experiment, job, AT, AT)
  const run2 = id(`INSERT INTO runs (kind, started_at) VALUES ('eval', ?)`, AT)
  const checkpoint = id(`INSERT INTO checkpoints (name, run_id, path, created_at) VALUES ('ck', ?, 'checkpoints/1', ?)`, run, AT)
  const episode = id(`INSERT INTO episodes (run_id, task_id, env, task_key, status, steps, created_at) VALUES (?, ?, 'sokoban', 't1', 'success', 2, ?)`, run, task, AT)
  const root = id(`INSERT INTO nodes (episode_id, step, observation) VALUES (?, 0, 'o0')`, episode)
  const child = id(`INSERT INTO nodes (episode_id, parent_id, step, action, observation) VALUES (?, ?, 1, 'u', 'o1')`, episode, root)
  const branch = id(`INSERT INTO branch_events (episode_id, node_id, failed_node_id, child_node_id, tau, reflector, experience, created_at) VALUES (?, ?, ?, ?, 1, 'critic', 'e', ?)`, episode, root, child, child, AT)
  const item = id(
    `INSERT INTO corpus_items (kind, env, task_key, prompt, target, source_run_id, source_node_id, branch_event_id, dedup_key, created_at, updated_at) VALUES ('cf', 'sokoban', 't1', 'p', 'u', ?, ?, ?, 'k1', ?, ?)`,
    run, root, branch, AT, AT,
  )
  db.prepare(`INSERT INTO corpus_history (item_id, field, before, after, at) VALUES (?, 'status', 'pending', 'accepted', ?)`).run(item, AT)
  db.prepare(`INSERT INTO train_metrics (run_id, step, split, name, value, at) VALUES (?, 1, 'train', 'loss', 0.5, ?)`).run(run, AT)
  db.prepare(`INSERT INTO eval_results (run_id, checkpoint_id, task_id, task_key, n, c) VALUES (?, ?, ?, 't1', 4, 3)`).run(run2, checkpoint, task)
  const empty = (tables(db).filter((t) => !t.startsWith('sqlite_') && count(db, t) === 0))
  expect(empty).toEqual([])
  return { experiment, job, run, run2, checkpoint, episode, root, child, branch, item, task }
}

/** The version-1 rows are all still there, with their values. */
function expectV1Rows(db: DB, ids: Record<string, number>): void {
  expect(db.prepare(`SELECT value FROM settings WHERE key = 'tfBackend'`).pluck().get()).toBe('"auto"')
  expect(db.prepare(`SELECT job_id, kind, name, config, status, summary, started_at, ended_at FROM runs WHERE id = ?`).get(ids.run)).toEqual({
    job_id: ids.job, kind: 'explore', name: 'r', config: '{"seed":3}', status: 'done', summary: '{"solved":1}', started_at: AT, ended_at: AT,
  })
  expect(db.prepare(`SELECT run_id FROM checkpoints WHERE id = ?`).pluck().get(ids.checkpoint)).toBe(ids.run)
  expect(db.prepare(`SELECT run_id, task_id, status FROM episodes WHERE id = ?`).get(ids.episode)).toEqual({ run_id: ids.run, task_id: ids.task, status: 'success' })
  expect(count(db, 'nodes')).toBe(2)
  expect(db.prepare(`SELECT child_node_id FROM branch_events WHERE id = ?`).pluck().get(ids.branch)).toBe(ids.child)
  expect(db.prepare(`SELECT source_run_id, branch_event_id, dedup_key FROM corpus_items WHERE id = ?`).get(ids.item)).toEqual({ source_run_id: ids.run, branch_event_id: ids.branch, dedup_key: 'k1' })
  expect(count(db, 'corpus_history')).toBe(1)
  expect(db.prepare(`SELECT value FROM train_metrics WHERE run_id = ?`).pluck().get(ids.run)).toBe(0.5)
  expect(db.prepare(`SELECT n, c, checkpoint_id FROM eval_results WHERE run_id = ?`).get(ids.run2)).toEqual({ n: 4, c: 3, checkpoint_id: ids.checkpoint })
}

describe('migrations', () => {
  it('are numbered 1..N, one file each whose number is its version, all listed', () => {
    migrations.forEach((m, i) => expect(m.version).toBe(i + 1))
    const files = readdirSync(join(import.meta.dirname, '../../../src-main/core/store/migrations')).sort()
    expect(files.map((f) => Number(f.slice(0, 4)))).toEqual(migrations.map((m) => m.version))
    expect(files.every((f) => /^\d{4}-[a-z0-9-]+\.ts$/.test(f))).toBe(true)
  })

  it('a list with a gap or out of order is refused before any database is touched', () => {
    expect(() => checkSequence([migrations[0]!, migrations[2]!])).toThrow(/position 2 but has version 3/)
    expect(() => openStore(':memory:', { migrationList: [migrations[1]!] })).toThrow(/without gaps/)
  })

  it('a database newer than the code is refused with the versions named, and left as it was', () => {
    const path = databaseAt(latestVersion, {})
    const { db } = openStore(path)
    db.pragma(`user_version = ${latestVersion + 1}`)
    db.close()
    let error: unknown
    try {
      openStore(path)
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(StoreError)
    expect((error as StoreError).code).toBe('too_new')
    expect((error as StoreError).message).toContain(`schema version ${latestVersion + 1}, newer than this workbench knows (${latestVersion})`)
    const again = openStore(path, { migrate: false, migrationList: [...migrations, { version: latestVersion + 1, name: 'future', sql: '' }] })
    expect(again.db.pragma('user_version', { simple: true })).toBe(latestVersion + 1)
    again.db.close()
  })

  it('2: adds reflection requests to a version-1 database with data', () => {
    const ids: Record<string, number> = {}
    const path = databaseAt(1, ids)
    const db = upgrade(path, 2)
    expectV1Rows(db, ids)
    db.prepare(`INSERT INTO reflection_requests (run_id, episode_id, failed_node_id, created_at) VALUES (?, ?, ?, ?)`).run(ids.run, ids.episode, ids.child, AT)
    expect(db.prepare(`SELECT status FROM reflection_requests`).pluck().get()).toBe('pending')
    db.close()
  })

  it('3: keys eval results by policy, a checkpoint result becoming "checkpoint:<id>"', () => {
    const ids: Record<string, number> = {}
    const path = databaseAt(2, ids)
    const db = upgrade(path, 3)
    expectV1Rows(db, ids)
    expect(db.prepare(`SELECT policy FROM eval_results WHERE run_id = ?`).pluck().get(ids.run2)).toBe(`checkpoint:${ids.checkpoint}`)
    // A policy without a checkpoint (random play) can now be stored.
    db.prepare(`INSERT INTO eval_results (run_id, policy, task_key, n, c) VALUES (?, 'random', 't1', 4, 1)`).run(ids.run2)
    db.close()
  })

  it('4: makes the corpus dedup key unique', () => {
    const ids: Record<string, number> = {}
    const path = databaseAt(3, ids)
    const db = upgrade(path, 4)
    expectV1Rows(db, ids)
    const insert = db.prepare(`INSERT INTO corpus_items (kind, env, prompt, target, dedup_key, created_at, updated_at) VALUES ('manual', 'sokoban', 'p2', 'd', ?, ?, ?)`)
    expect(() => insert.run('k1', AT, AT)).toThrow(/UNIQUE/)
    insert.run('k2', AT, AT)
    db.close()
  })

  it('5: adds per-task outcomes of a run', () => {
    const ids: Record<string, number> = {}
    const path = databaseAt(4, ids)
    const db = upgrade(path, 5)
    expectV1Rows(db, ids)
    db.prepare(`INSERT INTO run_tasks (run_id, task_key, solved) VALUES (?, 't1', 1)`).run(ids.run)
    expect(() => db.prepare(`INSERT INTO run_tasks (run_id, task_key, solved) VALUES (?, 't1', 0)`).run(ids.run)).toThrow(/UNIQUE|PRIMARY KEY/)
    db.close()
  })

  it('6: adds endpoints, remote environments, prompts, and error columns (empty on old rows)', () => {
    const ids: Record<string, number> = {}
    const path = databaseAt(5, ids, (db) => {
      db.prepare(`INSERT INTO run_tasks (run_id, task_key, solved) VALUES (?, 't1', 1)`).run(ids.run)
    })
    const db = upgrade(path, 6)
    expectV1Rows(db, ids)
    expect(count(db, 'run_tasks')).toBe(1)
    expect(db.prepare(`SELECT error FROM episodes WHERE id = ?`).pluck().get(ids.episode)).toBeNull()
    expect(db.prepare(`SELECT errors FROM eval_results WHERE run_id = ?`).pluck().get(ids.run2)).toBe(0)
    for (const t of ['endpoints', 'remote_envs', 'env_prompts']) expect(tables(db)).toContain(t)
    db.close()
  })

  it('7: adds an index for every foreign key', () => {
    const ids: Record<string, number> = {}
    const path = databaseAt(6, ids)
    const db = upgrade(path, 7)
    expectV1Rows(db, ids)
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM branch_events WHERE child_node_id = ?`).all(ids.child) as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX branch_events_child_node/)
    db.close()
  })

  it('8: drops the experiments table and runs.experiment_id, keeping every run and what hangs off it', () => {
    const ids: Record<string, number> = {}
    const path = databaseAt(7, ids, (db) => {
      db.prepare(`INSERT INTO run_tasks (run_id, task_key, solved) VALUES (?, 't1', 1)`).run(ids.run)
      db.prepare(`INSERT INTO reflection_requests (run_id, episode_id, failed_node_id, created_at) VALUES (?, ?, ?, ?)`).run(ids.run, ids.episode, ids.child, AT)
    })
    const db = upgrade(path, 8)
    expectV1Rows(db, ids)
    expect(tables(db)).not.toContain('experiments')
    expect(tables(db)).not.toContain('runs_new')
    expect(columns(db, 'runs')).not.toContain('experiment_id')
    expect(count(db, 'run_tasks')).toBe(1)
    expect(count(db, 'reflection_requests')).toBe(1)
    // The children still reference runs, with their cascades: deleting the run takes its episodes.
    expect(() => db.prepare(`INSERT INTO episodes (run_id, env, task_key, created_at) VALUES (999, 'sokoban', 't', ?)`).run(AT)).toThrow(/FOREIGN KEY/)
    db.prepare(`INSERT INTO runs (kind, started_at) VALUES ('sft', ?)`).run(AT)
    db.prepare(`DELETE FROM runs WHERE id = ?`).run(ids.run)
    expect(count(db, 'episodes')).toBe(0)
    expect(db.prepare(`SELECT run_id FROM checkpoints WHERE id = ?`).pluck().get(ids.checkpoint)).toBeNull()
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    db.close()
  })

  it('a migration that would leave dangling references is rolled back, foreign keys on again', () => {
    let runs = 0
    const path = databaseAt(latestVersion, {}, (db) => {
      runs = count(db, 'runs')
      const run = db.prepare(`INSERT INTO runs (kind, started_at) VALUES ('explore', ?)`).run(AT).lastInsertRowid
      db.prepare(`INSERT INTO episodes (run_id, env, task_key, created_at) VALUES (?, 'sokoban', 't', ?)`).run(run, AT)
    })
    const bad = { version: latestVersion + 1, name: 'loses runs', foreignKeysOff: true, sql: `DELETE FROM runs;` }
    expect(() => openStore(path, { migrationList: [...migrations, bad] })).toThrow(/Migration \d+ \(loses runs\) failed.*pointing at nothing/)
    const { db } = openStore(path)
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion)
    expect(count(db, 'runs')).toBe(runs + 1)
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    db.close()
  })

  it('gives every foreign key an index (a delete of a parent otherwise scans each child table)', () => {
    const { db } = openStore(':memory:')
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[]
    const missing: string[] = []
    for (const t of tables) {
      const leading = (db.prepare(`SELECT name FROM pragma_index_list(?)`).pluck().all(t) as string[]).map(
        (i) => db.prepare(`SELECT name FROM pragma_index_info(?) WHERE seqno = 0`).pluck().get(i) as string,
      )
      for (const fk of db.prepare(`SELECT "from" FROM pragma_foreign_key_list(?)`).pluck().all(t) as string[]) {
        if (!leading.includes(fk)) missing.push(`${t}.${fk}`)
      }
    }
    expect(missing).toEqual([])
  })

  it('a version-1 database with data upgrades through every version to the latest', () => {
    const ids: Record<string, number> = {}
    const path = databaseAt(1, ids)
    const db = upgrade(path)
    expectV1Rows(db, ids)
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    db.close()
  })
})
