// Numbered schema migrations, one file each under migrations/: migration N brings the database
// from user_version N-1 to N inside one transaction. Never edit a migration that has shipped —
// add the next file (NNNN-what-it-does.ts, version NNNN) and list it here. Each file is a module
// exporting its SQL, so that electron-vite bundles it like any other source.
// tests/core/store/migrations.test.ts upgrades a database holding data through every version.
import m0001 from './migrations/0001-base-tables.ts'
import m0002 from './migrations/0002-human-reflection-requests.ts'
import m0003 from './migrations/0003-eval-results-for-any-policy.ts'
import m0004 from './migrations/0004-corpus-dedup-and-read-indexes.ts'
import m0005 from './migrations/0005-per-task-outcomes-of-a-run.ts'
import m0006 from './migrations/0006-endpoints-remote-envs-prompts-errors.ts'
import m0007 from './migrations/0007-foreign-key-indexes.ts'
import m0008 from './migrations/0008-drop-experiments.ts'

export type Migration = {
  version: number
  name: string
  sql: string
  /**
   * Runs with foreign keys off (a rebuild of a table others reference, which a DROP would
   * otherwise cascade through); the runner checks foreign_key_check before it commits.
   */
  foreignKeysOff?: boolean
}

/** Throws unless the list is versions 1, 2, …, N in order: a gap or a repeat is a programming error. */
export function checkSequence(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`Migration "${m.name}" is at position ${i + 1} but has version ${m.version}: migrations must be numbered 1, 2, … without gaps.`)
    }
  })
}

export const migrations: Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008]
checkSequence(migrations)

export const latestVersion = migrations.length
