import { downloadFile, listFiles, type ListFileEntry } from '@huggingface/hub'
import { createHash } from 'node:crypto'
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { EngineError } from '../../errors.ts'

// `leafe model pull REPO[@REVISION]`: the files a model import reads, fetched from the Hugging
// Face Hub through @huggingface/hub (listFiles for names, sizes and hashes; downloadFile's
// ranged reads), into <dataDir>/downloads/<repo>@<revision>/. A file lands under `<name>.part`
// first, so an interrupted pull resumes from the bytes it has; a finished file is checked
// against the listed size and hash (sha256 of LFS files, git's blob sha1 of the others) before it
// is renamed into place. `hubUrl` points at another server (a mirror, or the tests' stand-in).

const WANTED = new Set(['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'model.safetensors', 'model.safetensors.index.json'])
const SHARD = /^model-\d+-of-\d+\.safetensors$/

export type PullOptions = { hubUrl?: string; accessToken?: string; fetch?: typeof fetch; onProgress?: (done: number, total: number, file: string) => void }

export function parseRepo(spec: string): { repo: string; revision: string } {
  const m = /^([\w.-]+\/[\w.-]+)(?:@([\w./-]+))?$/.exec(spec)
  if (!m) throw new EngineError('bad_request', `"${spec}" is not a Hub model name; write OWNER/NAME or OWNER/NAME@REVISION.`)
  return { repo: m[1]!, revision: m[2] ?? 'main' }
}

async function hashOf(path: string, algorithm: 'sha256' | 'sha1', prefix?: string): Promise<string> {
  const h = createHash(algorithm)
  if (prefix) h.update(prefix)
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer)
  return h.digest('hex')
}

/** Whether the file at `path` is the one the listing describes. */
async function matches(path: string, e: ListFileEntry): Promise<boolean> {
  if (!existsSync(path) || statSync(path).size !== e.size) return false
  if (e.lfs) return (await hashOf(path, 'sha256')) === e.lfs.oid
  return e.oid ? (await hashOf(path, 'sha1', `blob ${e.size}\0`)) === e.oid : true
}

/** Downloads a model's snapshot files (resuming partial ones) and returns the folder. */
export async function pullSnapshot(spec: string, downloadsDir: string, o: PullOptions = {}): Promise<string> {
  const { repo, revision } = parseRepo(spec)
  const hub = { repo: { type: 'model' as const, name: repo }, revision, ...(o.hubUrl ? { hubUrl: o.hubUrl } : {}), ...(o.accessToken ? { accessToken: o.accessToken } : {}), ...(o.fetch ? { fetch: o.fetch } : {}) }
  const files: ListFileEntry[] = []
  try {
    for await (const e of listFiles({ ...hub, recursive: true })) if (e.type === 'file' && (WANTED.has(e.path) || SHARD.test(e.path))) files.push(e)
  } catch (err) {
    throw new EngineError('bad_request', `Cannot list ${repo}@${revision}: ${(err as Error).message.split('\n')[0]}`)
  }
  if (!files.some((f) => f.path === 'model.safetensors' || f.path === 'model.safetensors.index.json')) {
    throw new EngineError('bad_request', `${repo}@${revision} has no safetensors weights (model.safetensors or model.safetensors.index.json); only those are imported.`)
  }
  const dir = join(downloadsDir, `${repo.replace('/', '--')}@${revision.replace(/\//g, '--')}`)
  mkdirSync(dir, { recursive: true })
  const total = files.reduce((s, f) => s + f.size, 0)
  let done = 0
  for (const f of files) {
    const dest = join(dir, f.path)
    mkdirSync(dirname(dest), { recursive: true })
    if (await matches(dest, f)) {
      done += f.size
      o.onProgress?.(done, total, f.path)
      continue
    }
    const part = `${dest}.part`
    let have = existsSync(part) ? statSync(part).size : 0
    if (have > f.size) (rmSync(part), (have = 0))
    done += have
    const blob = have < f.size ? await downloadFile({ ...hub, path: f.path, xet: false }) : null
    if (have < f.size && !blob) throw new EngineError('bad_request', `${repo}@${revision}: ${f.path} is listed but cannot be downloaded.`)
    const fd = openSync(part, 'a')
    if (blob) try {
      const reader = blob.slice(have).stream().getReader()
      for (;;) {
        const { value, done: end } = await reader.read()
        if (end) break
        writeSync(fd, value)
        done += value.byteLength
        o.onProgress?.(done, total, f.path)
      }
    } finally {
      closeSync(fd)
    }
    if (!(await matches(part, f))) {
      rmSync(part, { force: true })
      throw new EngineError('bad_request', `${repo}@${revision}: ${f.path} arrived with the wrong size or hash; it was deleted, pull again.`)
    }
    renameSync(part, dest)
  }
  return dir
}
