import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { importSnapshot } from '../../../../src-main/core/model/hf/checkpoint.ts'
import { parseRepo, pullSnapshot } from '../../../../src-main/core/model/hf/pull.ts'
import { openStore } from '../../../../src-main/core/store/db.ts'
import { hubStandIn, type StandIn } from '../../../fixtures/hub-standin.ts'
import { writeTinyModel } from '../../../fixtures/hf-models.ts'
import { tempDir } from '../../../fixtures/tmp.ts'

let hub: StandIn | undefined
afterEach(async () => {
  await hub?.close()
  hub = undefined
})

async function serve() {
  const src = join(tempDir(), 'src')
  writeTinyModel(src, 'llama')
  hub = await hubStandIn('tiny/llama', 'main', src)
  return src
}

describe('leafe model pull (against a loopback stand-in of the Hub)', () => {
  it('downloads the snapshot files, checked by size and hash, and the folder imports', async () => {
    const src = await serve()
    const downloads = tempDir()
    const seen: number[] = []
    const dir = await pullSnapshot('tiny/llama', downloads, { hubUrl: hub!.url, onProgress: (done) => seen.push(done) })
    expect(dir).toBe(join(downloads, 'tiny--llama@main'))
    expect(readdirSync(dir).sort()).toEqual(readdirSync(src).sort())
    for (const f of readdirSync(src)) expect(readFileSync(join(dir, f)).equals(readFileSync(join(src, f)))).toBe(true)
    expect(seen.at(-1)).toBe(readdirSync(src).reduce((s, f) => s + readFileSync(join(src, f)).byteLength, 0))
    const { db } = openStore(join(tempDir(), 'leafe.sqlite'))
    expect(importSnapshot(db, tempDir(), dir).config).toMatchObject({ family: 'llama' })
    // A second pull finds every file in place and fetches nothing.
    const before = hub!.ranges.length
    await pullSnapshot('tiny/llama', downloads, { hubUrl: hub!.url })
    expect(hub!.ranges.length).toBe(before)
  })

  it('resumes a partial file from the bytes it has', async () => {
    const src = await serve()
    const downloads = tempDir()
    const dir = join(downloads, 'tiny--llama@main')
    const weights = readFileSync(join(src, 'model.safetensors'))
    const half = Math.floor(weights.byteLength / 2)
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'model.safetensors.part'), weights.subarray(0, half))
    await pullSnapshot('tiny/llama', downloads, { hubUrl: hub!.url })
    expect(hub!.ranges).toContain(`model.safetensors ${half}-${weights.byteLength - 1}`)
    expect(readFileSync(join(dir, 'model.safetensors')).equals(weights)).toBe(true)
    expect(existsSync(join(dir, 'model.safetensors.part'))).toBe(false)
  })

  it('refuses a file whose bytes do not match the listed hash, and keeps nothing of it', async () => {
    await serve()
    hub!.corrupt.add('model.safetensors')
    const downloads = tempDir()
    await expect(pullSnapshot('tiny/llama', downloads, { hubUrl: hub!.url })).rejects.toThrow(/model\.safetensors arrived with the wrong size or hash/)
    const dir = join(downloads, 'tiny--llama@main')
    expect(existsSync(join(dir, 'model.safetensors'))).toBe(false)
    expect(existsSync(join(dir, 'model.safetensors.part'))).toBe(false)
  })

  it('refuses a bad name, an unknown repo and a repo without safetensors weights in one line', async () => {
    expect(() => parseRepo('not a repo')).toThrow(/not a Hub model name/)
    expect(parseRepo('Qwen/Qwen2.5-0.5B-Instruct@v1.0')).toEqual({ repo: 'Qwen/Qwen2.5-0.5B-Instruct', revision: 'v1.0' })
    await serve()
    await expect(pullSnapshot('other/model', tempDir(), { hubUrl: hub!.url })).rejects.toThrow(/^Cannot list other\/model@main/)
    const bare = join(tempDir(), 'bare')
    mkdirSync(bare)
    writeFileSync(join(bare, 'config.json'), '{}')
    const h2 = await hubStandIn('tiny/bare', 'main', bare)
    await expect(pullSnapshot('tiny/bare', tempDir(), { hubUrl: h2.url })).rejects.toThrow(/has no safetensors weights/)
    await h2.close()
  })
})
