// A write lock held past the busy timeout by another process must not end
// this one. Before, the heartbeat or the progress flush threw an uncaught SqliteError and `serve`
// died with its jobs.
import { spawn } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { startHttpServer } from '../../../src-main/api/http-server.ts'
import { createService } from '../../../src-main/api/service.ts'
import { Engine } from '../../../src-main/core/engine.ts'
import { countKind } from '../../fixtures/count-kind.ts'
import { tempDir } from '../../fixtures/tmp.ts'

const token = 'lock-test-token'

/** Starts the lock holder; resolves with a promise for its end once it holds the lock. */
function holdLock(dbPath: string, ms: number): Promise<Promise<void>> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/lock-holder.ts', dbPath, String(ms)], { stdio: ['ignore', 'pipe', 'inherit'] })
  const ended = new Promise<void>((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`lock holder exited ${code}`)))))
  return new Promise((resolve) => child.stdout.on('data', (d) => String(d).includes('locked') && resolve(ended)))
}

describe('a write lock held past the busy timeout by another process', () => {
  const logged: string[] = []
  const engine = new Engine({ dataDir: tempDir(), log: (m) => logged.push(m) })
  engine.jobs.register(countKind)
  afterAll(() => engine.close())

  it('leaves serve and the engine alive; the job it broke fails with a plain message and resumes', async () => {
    const server = await startHttpServer({ service: createService(engine), events: engine, staticDir: null, token, log: (m) => logged.push(m) })
    const status = () =>
      fetch(`http://127.0.0.1:${server.port}/api/engine.status`, { method: 'POST', headers: { 'x-leafe-token': token, 'content-type': 'application/json' }, body: '{}' })
    try {
      const job = engine.jobs.start('test.count', { n: 300, delayMs: 10 })
      await new Promise((r) => setTimeout(r, 300))
      // Longer than the busy timeout (10 s) and than a heartbeat period (5 s).
      const released = await holdLock(engine.paths.db, 16_000)
      await released
      const broken = await engine.jobs.waitFor(job.id)
      expect(broken.status).toBe('failed')
      expect(broken.error).toMatch(/^The database stayed locked by another process for longer than the busy timeout; resume the job/)
      expect(logged.some((m) => /locked by another process.*Retrying\./.test(m))).toBe(true)
      expect((await status()).status).toBe(200)

      engine.jobs.resume(job.id)
      const resumed = await engine.jobs.waitFor(job.id)
      expect(resumed.status).toBe('done')
      expect(resumed.result).toMatchObject({ counted: 300 })
    } finally {
      await server.close()
    }
  })
})
