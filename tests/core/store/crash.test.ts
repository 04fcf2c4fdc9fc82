import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openStore } from '../../../src-main/core/store/db.ts'
import { tempDir } from '../../fixtures/tmp.ts'

describe('a process killed in the middle of writes', () => {
  it('leaves a store that passes the integrity check and holds every committed row', async () => {
    const path = join(tempDir(), 'crash.sqlite')
    const batch = 250
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/crash-writer.ts', path, String(batch)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let committed = 0
    await new Promise<void>((resolve, reject) => {
      let buf = ''
      child.stdout!.on('data', (d) => {
        buf += String(d)
        const all = [...buf.matchAll(/committed (\d+)\n/g)]
        if (all.length) committed = Number(all[all.length - 1]![1])
        // Kill it well into its work, while it is writing.
        if (committed >= 20_000) {
          child.kill('SIGKILL')
          resolve()
        }
      })
      child.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own (${code})`))
      })
    })
    await new Promise((r) => child.once('exit', r))

    const { db, info } = openStore(path)
    expect(info.integrity).toBe('ok')
    const n = (db.prepare('SELECT COUNT(*) AS n FROM nodes').get() as { n: number }).n
    // Every commit it reported is there; a transaction cut off by the kill left nothing behind.
    expect(n).toBeGreaterThanOrEqual(committed)
    expect(n % batch).toBe(0)
    const steps = db.prepare('SELECT MIN(step) AS lo, MAX(step) AS hi FROM nodes').get() as { lo: number; hi: number }
    expect(steps).toEqual({ lo: 0, hi: n - 1 })
    db.close()
  })
})
