import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openStore, StoreError, writeTransaction } from '../../../src-main/core/store/db.ts'
import { latestVersion, migrations } from '../../../src-main/core/store/migrations.ts'
import { tempDir } from '../../fixtures/tmp.ts'

describe('openStore', () => {
  it('applies every migration, with WAL and foreign keys', () => {
    const path = join(tempDir(), 'a.sqlite')
    const { db, info } = openStore(path)
    expect(info).toMatchObject({ schemaVersion: latestVersion, integrity: 'ok', walMode: true })
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name)
    for (const t of ['task_sets', 'tasks', 'runs', 'episodes', 'nodes', 'branch_events', 'corpus_items', 'checkpoints', 'train_metrics', 'eval_results', 'jobs']) {
      expect(tables).toContain(t)
    }
    // Foreign keys are enforced, not just declared.
    expect(() => db.prepare(`INSERT INTO nodes (episode_id, step, observation) VALUES (999, 0, 'x')`).run()).toThrow(/FOREIGN KEY/)
    db.close()
    // Reopening is a no-op.
    const again = openStore(path)
    expect(again.info.schemaVersion).toBe(latestVersion)
    again.db.close()
  })

  it('reports a damaged file in plain words and leaves it byte for byte untouched', () => {
    const path = join(tempDir(), 'broken.sqlite')
    const junk = Buffer.from('this is not a database, just some bytes '.repeat(200))
    writeFileSync(path, junk)
    let error: unknown
    try {
      openStore(path)
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(StoreError)
    expect((error as StoreError).code).toBe('corrupt')
    expect((error as StoreError).message).toContain(path)
    expect((error as StoreError).message).toMatch(/damaged and was left untouched/)
    expect(readFileSync(path).equals(junk)).toBe(true)
  })

  it('reports a database damaged inside its pages (a valid header, broken b-tree)', () => {
    const path = join(tempDir(), 'pages.sqlite')
    const { db } = openStore(path)
    const ins = db.prepare(`INSERT INTO settings (key, value) VALUES (?, ?)`)
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) ins.run(`k${i}`, JSON.stringify('x'.repeat(100)))
    })()
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.pragma('journal_mode = DELETE')
    db.close()
    const bytes = readFileSync(path)
    // Scribble over the middle pages, keeping page 1 (the header and schema) intact.
    for (let i = 4096 * 3; i < bytes.length - 4096; i += 7) bytes[i] = 0xa5
    writeFileSync(path, bytes)
    expect(() => openStore(path)).toThrow(StoreError)
    expect(readFileSync(path).equals(bytes)).toBe(true)
  })

  it('leaves a damaged file that has a WAL exactly as it was, main file and -wal', async () => {
    const path = join(tempDir(), 'walled.sqlite')
    // A writer killed mid-work leaves a WAL behind (a clean close would checkpoint and delete it).
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/crash-writer.ts', path, '250'], { stdio: ['ignore', 'pipe', 'inherit'] })
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (d) => {
        const m = [...String(d).matchAll(/committed (\d+)/g)].pop()
        if (m && Number(m[1]) >= 30_000) child.kill('SIGKILL')
      })
      child.once('exit', () => resolve())
    })
    expect(existsSync(`${path}-wal`)).toBe(true)
    const bytes = readFileSync(path)
    for (let i = 4096 * 3; i < bytes.length - 4096; i += 7) bytes[i] = 0xa5
    writeFileSync(path, bytes)
    const hash = (f: string) => (existsSync(f) ? createHash('sha256').update(readFileSync(f)).digest('hex') : 'absent')
    const before = [path, `${path}-wal`].map(hash)
    expect(() => openStore(path)).toThrow(/damaged and was left untouched/)
    // The data (main file and WAL) byte for byte; -shm is only an index of the WAL that any reader
    // rebuilds after a crash, but it too must still be there.
    expect([path, `${path}-wal`].map(hash)).toEqual(before)
    expect(existsSync(`${path}-shm`)).toBe(true)
  })

  it('rolls a failing migration back completely', () => {
    const path = join(tempDir(), 'm.sqlite')
    const list = [
      migrations[0]!,
      { version: 2, name: 'half broken', sql: `CREATE TABLE extra (x INTEGER); INSERT INTO nosuchtable VALUES (1);` },
    ]
    expect(() => openStore(path, { migrationList: list })).toThrow(/Migration 2 \(half broken\) failed/)
    const { db } = openStore(path, { migrate: false })
    expect(db.pragma('user_version', { simple: true })).toBe(1)
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'extra'`).get()).toBeUndefined()
    db.close()
  })
})

describe('writeTransaction', () => {
  // Two connections to one file, as the main thread and a job's worker hold. The worker reads,
  // the other connection tries to commit in between, then the worker writes what it read.
  const readThenWrite = (path: string) => {
    const worker = openStore(path).db
    const other = openStore(path).db
    other.pragma('busy_timeout = 0')
    worker.prepare(`INSERT INTO settings (key, value) VALUES ('k', '1')`).run()
    let otherWrote = true
    const take = writeTransaction(worker, () => {
      const value = (worker.prepare(`SELECT value FROM settings WHERE key = 'k'`).get() as { value: string }).value
      try {
        other.prepare(`INSERT INTO settings (key, value) VALUES ('other', 'x')`).run()
      } catch {
        otherWrote = false // it waits for the lock (here: gives up at once) instead of slipping in
      }
      worker.prepare(`UPDATE settings SET value = ? WHERE key = 'k'`).run(String(Number(value) + 1))
    })
    return { worker, other, take, otherWrote: () => otherWrote }
  }

  it('holds the write lock from BEGIN, so a read followed by a write cannot be overtaken', () => {
    const t = readThenWrite(join(tempDir(), 'w.sqlite'))
    // A deferred transaction here throws SQLITE_BUSY_SNAPSHOT at its UPDATE: the other
    // connection committed after its read, and the busy timeout does not cover that upgrade.
    expect(() => t.take()).not.toThrow()
    expect(t.otherWrote()).toBe(false)
    expect(t.worker.prepare(`SELECT value FROM settings WHERE key = 'k'`).get()).toEqual({ value: '2' })
    t.worker.close()
    t.other.close()
  })

  it('nests as a savepoint inside an open transaction', () => {
    const { db } = openStore(join(tempDir(), 'n.sqlite'))
    const inner = writeTransaction(db, () => db.prepare(`INSERT INTO settings (key, value) VALUES ('inner', '1')`).run())
    writeTransaction(db, () => {
      inner()
      expect(db.inTransaction).toBe(true)
    })()
    expect(db.prepare(`SELECT value FROM settings WHERE key = 'inner'`).get()).toEqual({ value: '1' })
    db.close()
  })
})
