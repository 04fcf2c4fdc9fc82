// SQLite failures that are about the moment, not the data: another process holds the write lock
// longer than the busy timeout, or the disk is full. A timer or an event handler that writes
// must survive them (an exception there ends the process and every job it runs) and try again.
import Database from 'better-sqlite3'

export type StoreFailure = 'busy' | 'full' | 'io'

/** Which passing failure this is, or null for anything else (a bug, a constraint, damage). */
export function storeFailure(err: unknown): StoreFailure | null {
  if (!(err instanceof Database.SqliteError)) return null
  if (err.code.startsWith('SQLITE_BUSY') || err.code.startsWith('SQLITE_LOCKED')) return 'busy'
  if (err.code === 'SQLITE_FULL') return 'full'
  if (err.code.startsWith('SQLITE_IOERR')) return 'io'
  return null
}

/** The failure in one plain line for a job's error field and the log; null when it is not one. */
export function describeStoreFailure(err: unknown): string | null {
  switch (storeFailure(err)) {
    case 'busy':
      return 'The database stayed locked by another process for longer than the busy timeout; resume the job when that work is done.'
    case 'full':
      return 'The disk holding the data directory is full (SQLite: SQLITE_FULL); free some space, then resume the job.'
    case 'io':
      return `The database could not be written (SQLite: ${(err as { code: string }).code}); check the disk, then resume the job.`
    default:
      return null
  }
}

/**
 * Runs store work for a timer or an event handler, where an exception would end the process and
 * every job it runs. A failure is logged once per streak (`streaks` remembers which `what` are
 * failing) and returns false: the caller tries again on its next tick or with a retry timer.
 */
export function tryStore(what: string, fn: () => void, log: (m: string) => void, streaks: Set<string>): boolean {
  try {
    fn()
    if (streaks.delete(what)) log(`${what}: the database answers again.`)
    return true
  } catch (err) {
    if (!streaks.has(what)) {
      const plain = describeStoreFailure(err)
      log(`${what}: ${plain ?? `failed: ${(err as Error)?.stack ?? String(err)}`} Retrying.`)
    }
    streaks.add(what)
    return false
  }
}
