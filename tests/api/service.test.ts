// The service as the API sees it (what dispatch calls for IPC and HTTP), where it differs from
// the engine the CLI drives: jobs.start confines the files a job may read.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src-main/api/dispatch.ts'
import { createService } from '../../src-main/api/service.ts'
import { Engine } from '../../src-main/core/engine.ts'
import { tempDir } from '../fixtures/tmp.ts'

describe('jobs.start through the API', () => {
  let engine: Engine
  let outside: string
  const sft = (path: string) => ({ kind: 'sft', params: { config: { start: { preset: 'nano' }, datasets: [{ path }], epochs: 1 } } })
  const start = (input: unknown) => dispatch(createService(engine), 'jobs.start', input, () => undefined)

  beforeAll(() => {
    engine = new Engine({ dataDir: tempDir(), log: () => undefined })
    outside = join(tempDir(), 'secret.txt')
    writeFileSync(outside, 'root:$6$verysecrethash:19000:0:99999:7:::\n')
  })
  afterAll(() => engine.close())

  it('refuses a dataset outside the data directory, without reading it or creating a job', async () => {
    const jobsBefore = engine.jobs.list().length
    for (const path of ['/etc/shadow', outside, '/no/such/file.jsonl', join(engine.opts.dataDir, '..', 'x.jsonl')]) {
      const r = await start(sft(path))
      expect(r).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/config\.datasets\.0\.path: only files inside the data directory/) } })
      if (!r.ok) expect(r.error.message).not.toMatch(/root|secret|ENOENT|no such file/)
    }
    // A link inside the data directory that points out is outside too.
    mkdirSync(join(engine.opts.dataDir, 'datasets'), { recursive: true })
    const link = join(engine.opts.dataDir, 'datasets', 'link.jsonl')
    symlinkSync(outside, link)
    expect(await start(sft(link))).toMatchObject({ ok: false, error: { message: expect.stringMatching(/only files inside the data directory/) } })
    const evalOut = await start({ kind: 'sft', params: { config: { start: { preset: 'nano' }, datasets: [{ path: join(engine.opts.dataDir, 'datasets', 'a.jsonl') }], eval: { path: outside } } } })
    expect(evalOut).toMatchObject({ ok: false, error: { message: expect.stringMatching(/config\.eval\.path: only files inside/) } })
    expect(engine.jobs.list().length).toBe(jobsBefore)
  })

  it('accepts a dataset inside the data directory', async () => {
    const inside = join(engine.opts.dataDir, 'datasets', 'mine.jsonl')
    writeFileSync(inside, JSON.stringify({ prompt: 'ab', target: 'c' }) + '\n')
    const r = await start(sft(inside))
    expect(r.ok).toBe(true)
    if (r.ok) engine.jobs.cancel((r.result as { id: number }).id)
  })
})
