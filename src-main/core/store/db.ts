import Database from 'better-sqlite3'
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { checkSequence, latestVersion, migrations, type Migration } from './migrations.ts'

export type DB = Database.Database

/**
 * `db.transaction(fn)`, begun IMMEDIATE: it takes the write lock at BEGIN. The main thread and
 * every job's worker hold their own connections to one file; a deferred transaction that reads
 * and then writes fails at once (SQLITE_BUSY_SNAPSHOT, which the busy timeout does not cover)
 * when another connection commits between its read and its first write. Waiting for the lock at
 * BEGIN is covered by the busy timeout. Nested inside another transaction it is a savepoint.
 */
export function writeTransaction<A extends unknown[], R>(db: DB, fn: (...args: A) => R): (...args: A) => R {
  return db.transaction(fn).immediate
}

/** Thrown when the database file cannot be used as it is; the file is never touched. */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly code: 'corrupt' | 'too_new' | 'unreadable' | 'migration_failed',
    readonly path: string,
  ) {
    super(message)
    this.name = 'StoreError'
  }
}

export type OpenOptions = {
  /** Apply pending migrations (the process that owns the data directory does this). */
  migrate?: boolean
  /** Run SQLite's quick_check at open; workers opening a store that was just checked skip it. */
  check?: boolean
  readonly?: boolean
  migrationList?: Migration[]
}

export type StoreInfo = { path: string; schemaVersion: number; integrity: string; walMode: boolean }

/**
 * Opens the workbench database: WAL, foreign keys, a busy timeout so that the engine and its
 * worker threads can share the file, an integrity check, then migrations. A damaged file is
 * reported and left exactly as it was — never deleted or re-created behind the user's back.
 */
export function openStore(path: string, opts: OpenOptions = {}): { db: DB; info: StoreInfo } {
  const { migrate = true, check = true, readonly = false, migrationList = migrations } = opts
  checkSequence(migrationList)
  if (path !== ':memory:') {
    if (existsSync(path) && statSync(path).isDirectory()) {
      throw new StoreError(`The database path ${path} is a folder, not a file.`, 'unreadable', path)
    }
    if (!readonly) mkdirSync(dirname(path), { recursive: true })
  }

  let integrity = 'skipped'
  // The check runs on a read-only connection of its own: closing a read-write connection to a
  // damaged file would checkpoint its WAL into it and delete -wal and -shm, destroying what a
  // recovery tool could still read.
  if (check && path !== ':memory:' && existsSync(path)) integrity = checkReadOnly(path)

  let db: DB
  try {
    db = new Database(path, { readonly, fileMustExist: readonly })
  } catch (err) {
    throw new StoreError(`Cannot open the database at ${path}: ${(err as Error).message}`, 'unreadable', path)
  }

  try {
    db.pragma('busy_timeout = 10000')
    if (check && integrity === 'skipped') integrity = quickCheck(db) // a new or in-memory database
    if (!readonly) db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('synchronous = NORMAL')
  } catch (err) {
    db.close()
    throw damaged(path, err)
  }

  const current = db.pragma('user_version', { simple: true }) as number
  const target = migrationList.length
  if (current > target) {
    db.close()
    throw new StoreError(
      `The database at ${path} has schema version ${current}, newer than this workbench knows (${target}). ` +
        'Update the workbench; the file was not changed.',
      'too_new',
      path,
    )
  }
  if (migrate && current < target) {
    try {
      runMigrations(db, path, current, migrationList)
    } catch (err) {
      db.close()
      throw err
    }
  }

  const walMode = (db.pragma('journal_mode', { simple: true }) as string) === 'wal'
  return { db, info: { path, schemaVersion: db.pragma('user_version', { simple: true }) as number, integrity, walMode } }
}

/** SQLite's quick_check (every page and b-tree, not index contents: linear in the file's size). */
function quickCheck(db: DB): string {
  // The first statement that reads the header is where SQLite notices a file that is not a database.
  const rows = db.pragma('quick_check') as { quick_check: string }[]
  const result = rows.map((r) => r.quick_check).join('; ')
  if (result !== 'ok') throw new Error(`integrity check (quick_check) reported: ${result.slice(0, 500)}`)
  return result
}

function checkReadOnly(path: string): string {
  let db: DB
  try {
    db = new Database(path, { readonly: true, fileMustExist: true })
  } catch (err) {
    throw new StoreError(`Cannot open the database at ${path}: ${(err as Error).message}`, 'unreadable', path)
  }
  try {
    db.pragma('busy_timeout = 10000')
    return quickCheck(db)
  } catch (err) {
    throw damaged(path, err)
  } finally {
    db.close()
  }
}

const damaged = (path: string, err: unknown) =>
  new StoreError(
    `The database at ${path} is damaged and was left untouched (SQLite: ${(err as Error).message}). ` +
      'Move it aside together with its -wal and -shm files, or restore a backup; the workbench will not overwrite it.',
    'corrupt',
    path,
  )

function runMigrations(db: DB, path: string, from: number, list: Migration[]): void {
  for (const m of list.slice(from)) {
    const apply = writeTransaction(db, () => {
      db.exec(m.sql)
      if (m.foreignKeysOff) {
        const broken = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[]
        if (broken.length) throw new Error(`it would leave ${broken.length} row(s) pointing at nothing (first: ${broken[0]!.table} row ${broken[0]!.rowid} → ${broken[0]!.parent})`)
      }
      db.pragma(`user_version = ${m.version}`)
    })
    // SQLite ignores this pragma inside a transaction, so it is switched around it.
    if (m.foreignKeysOff) db.pragma('foreign_keys = OFF')
    try {
      apply()
    } catch (err) {
      throw new StoreError(
        `Migration ${m.version} (${m.name}) failed on ${path}: ${(err as Error).message}. ` +
          `The database stays at version ${m.version - 1}.`,
        'migration_failed',
        path,
      )
    } finally {
      if (m.foreignKeysOff) db.pragma('foreign_keys = ON')
    }
  }
}

export { latestVersion }

/** ISO timestamp used in every *_at column. */
export const now = (): string => new Date().toISOString()
