// A data directory on a disk that fills up. Before, SQLITE_FULL came out of
// flushProgress as an uncaught stack trace and the job stayed `running`; now the job is failed
// with a plain message, the engine lives, and the job resumes once there is room.
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { afterAll, describe, expect, it } from 'vitest'
import { Engine } from '../../../src-main/core/engine.ts'
import { tempDir } from '../../fixtures/tmp.ts'

/** A 4 MB tmpfs: mount needs root (CI runs as root); elsewhere the test says why it is skipped. */
function smallDisk(): { dir: string; grow(mb: number): void; remove(): void } | string {
  if (process.getuid?.() !== 0) return 'mounting a small tmpfs needs root'
  const dir = join(tempDir(), 'disk')
  mkdirSync(dir)
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir], { stdio: 'pipe' })
  } catch (err) {
    return `mount -t tmpfs failed here: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`
  }
  return {
    dir,
    grow: (mb) => execFileSync('mount', ['-o', `remount,size=${mb}m`, dir]),
    remove: () => execFileSync('umount', ['-l', dir]),
  }
}

const disk = smallDisk()
if (typeof disk === 'string') console.warn(`disk-full test skipped: ${disk}`)

describe.skipIf(typeof disk === 'string')('a job on a disk that fills up', () => {
  const d = disk as Exclude<typeof disk, string>
  const logged: string[] = []
  let engine: Engine | undefined
  afterAll(async () => {
    await engine?.close()
    d.remove()
  })

  it('fails with a plain message, keeps the engine alive, and resumes once there is room', async () => {
    engine = new Engine({ dataDir: join(d.dir, 'data'), log: (m) => logged.push(m) })
    engine.jobs.register({
      kind: 'test.fill', label: 'Fill the disk (test)', params: z.object({ mb: z.number() }).strict(), title: () => 'fill', resumable: true,
      moduleUrl: new URL('../../fixtures/fill-job.ts', import.meta.url).href,
    })
    const job = engine.jobs.start('test.fill', { mb: 8 })
    const failed = await engine.jobs.waitFor(job.id)
    expect(failed.status).toBe('failed')
    expect(failed.error).toBe('The disk holding the data directory is full (SQLite: SQLITE_FULL); free some space, then resume the job.')
    expect(failed.resumable).toBe(true)
    expect(failed.progress.done).toBeGreaterThan(0)
    expect(engine.jobs.get(job.id).status).toBe('failed') // the status reached the store
    expect(logged.join('\n')).not.toMatch(/SqliteError: database or disk is full\n\s+at /)

    d.grow(64)
    engine.jobs.resume(job.id)
    const done = await engine.jobs.waitFor(job.id)
    expect({ status: done.status, error: done.error }).toEqual({ status: 'done', error: null })
    expect(engine.db.prepare(`SELECT COUNT(*) FROM nodes`).pluck().get()).toBe(800)
  })
})
