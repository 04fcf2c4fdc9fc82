import { writeTransaction, type DB } from './db.ts'

/**
 * Rows per transaction for bulk writes. Every process on a data directory waits at most the busy
 * timeout (10 s) for the write lock; one transaction over 800k rows held it for 24 s and the
 * others failed. A few thousand small rows commit in well under a second even on a slow disk.
 */
export const WRITE_CHUNK = 2_000

/**
 * Applies `write` to every row, WRITE_CHUNK rows per transaction, so that other processes get
 * the lock between chunks. The caller makes the whole operation atomic where it must be (undo on
 * failure, or idempotent rows that a retry completes); inside an outer transaction this is one.
 */
export function writeInChunks<T>(db: DB, rows: readonly T[], write: (row: T) => void, size = WRITE_CHUNK): void {
  const chunk = writeTransaction(db, (part: readonly T[]) => {
    for (const row of part) write(row)
  })
  for (let i = 0; i < rows.length; i += size) chunk(rows.slice(i, i + size))
}
