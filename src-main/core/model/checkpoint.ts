import { createHash, randomBytes } from 'node:crypto'
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import { isAbsolute, join, relative } from 'node:path'
import { EngineError, notFound } from '../errors.ts'
import { dataPaths } from '../paths.ts'
import type { DB } from '../store/db.ts'
import { insertCheckpoint } from '../store/checkpoints.ts'
import { sameTokenizer, tokenizerSpec, type TokenizerSpec } from './tokenizer.ts'
import { paramCount, paramShapes, type ModelConfig } from './transformer.ts'

// A checkpoint is a folder under <dataDir>/checkpoints/: model.json (configuration, tokenizer,
// parameter layout, training metadata, SHA-256 of every binary file) beside weights.bin (all
// parameters as little-endian float32, in paramShapes order) and, when training may resume
// from it, optimizer.bin. The folder is written under a temporary name and renamed into place,
// so a crash never leaves a half-written checkpoint under a real name. Imported Hugging Face
// models keep their own folder layout (hf/checkpoint.ts) in the same table and the same root.

const FORMAT = 'leafe-checkpoint'
const VERSION = 1

export type OptimizerState = { step: number; slots: Float32Array; names: string[] }

export type CheckpointData = {
  config: ModelConfig
  weights: Float32Array
  optimizer?: OptimizerState | undefined
  /** Free-form training metadata: run, epoch, step, seed, datasets, metrics. */
  meta: Record<string, unknown>
}

type Manifest = {
  format: typeof FORMAT
  version: number
  config: ModelConfig
  tokenizer: TokenizerSpec
  params: { name: string; shape: number[] }[]
  files: Record<string, { bytes: number; sha256: string }>
  optimizer?: { step: number; names: string[] }
  meta: Record<string, unknown>
  /** Hash of the weights and the configuration: what identifies this model. */
  contentHash: string
}

export class CheckpointError extends EngineError {
  constructor(message: string) {
    super('bad_request', message)
    this.name = 'CheckpointError'
  }
}

const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex')
const bytesOf = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength)

export const contentHashOf = (config: ModelConfig, weightsSha: string): string => sha256(`${JSON.stringify(config)}\n${weightsSha}`)

export function writeFileSynced(path: string, data: Uint8Array | string): void {
  const fd = openSync(path, 'w')
  try {
    const buf = typeof data === 'string' ? Buffer.from(data) : data
    let at = 0
    while (at < buf.byteLength) at += writeSync(fd, buf, at, buf.byteLength - at)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Writes a checkpoint folder atomically (temp folder + rename) and returns its content hash. */
export function writeCheckpoint(folder: string, data: CheckpointData): string {
  if (existsSync(folder)) throw new CheckpointError(`Checkpoint folder ${folder} already exists; it was left untouched.`)
  if (data.weights.length !== paramCount(data.config)) {
    throw new CheckpointError(`Cannot save ${data.weights.length} weights for a configuration of ${paramCount(data.config)} parameters.`)
  }
  const tmp = `${folder}.tmp-${randomBytes(4).toString('hex')}`
  mkdirSync(tmp, { recursive: true })
  try {
    const files: Manifest['files'] = {}
    const put = (name: string, a: Float32Array) => {
      const b = bytesOf(a)
      writeFileSynced(join(tmp, name), b)
      files[name] = { bytes: b.byteLength, sha256: sha256(b) }
    }
    put('weights.bin', data.weights)
    if (data.optimizer) put('optimizer.bin', data.optimizer.slots)
    const manifest: Manifest = {
      format: FORMAT,
      version: VERSION,
      config: data.config,
      tokenizer: tokenizerSpec,
      params: paramShapes(data.config).map(([name, shape]) => ({ name, shape })),
      files,
      ...(data.optimizer ? { optimizer: { step: data.optimizer.step, names: data.optimizer.names } } : {}),
      meta: data.meta,
      contentHash: contentHashOf(data.config, files['weights.bin']!.sha256),
    }
    writeFileSynced(join(tmp, 'model.json'), JSON.stringify(manifest, null, 2) + '\n')
    renameSync(tmp, folder)
    return manifest.contentHash
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true })
    throw err
  }
}

function readBinary(folder: string, name: string, expect: { bytes: number; sha256: string }): Float32Array {
  const path = join(folder, name)
  let buf: Buffer
  try {
    buf = readFileSync(path)
  } catch (err) {
    throw new CheckpointError(`Checkpoint file ${path} cannot be read: ${(err as Error).message}`)
  }
  if (buf.byteLength !== expect.bytes) {
    throw new CheckpointError(`Checkpoint file ${path} is corrupt: it has ${buf.byteLength} bytes, model.json records ${expect.bytes}.`)
  }
  const got = sha256(buf)
  if (got !== expect.sha256) {
    throw new CheckpointError(`Checkpoint file ${path} is corrupt: its SHA-256 is ${got.slice(0, 12)}…, model.json records ${expect.sha256.slice(0, 12)}….`)
  }
  // Copy into an aligned buffer: a Buffer's offset into its pool need not be a multiple of 4.
  const out = new Float32Array(buf.byteLength / 4)
  new Uint8Array(out.buffer).set(buf)
  return out
}

/** Reads and verifies a checkpoint folder; every problem names the file it was found in. */
export function readCheckpoint(folder: string): CheckpointData & { contentHash: string } {
  const manifestPath = join(folder, 'model.json')
  let manifest: Manifest
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest
  } catch (err) {
    throw new CheckpointError(`Checkpoint file ${manifestPath} cannot be read: ${(err as Error).message}`)
  }
  if (manifest?.format !== FORMAT || manifest.version !== VERSION) {
    throw new CheckpointError(`Checkpoint file ${manifestPath} is not a version-${VERSION} LEAFE checkpoint.`)
  }
  if (!sameTokenizer(manifest.tokenizer)) {
    throw new CheckpointError(`Checkpoint file ${manifestPath} uses a different tokenizer than this workbench (${JSON.stringify(manifest.tokenizer)}).`)
  }
  const layout = paramShapes(manifest.config).map(([name, shape]) => ({ name, shape }))
  if (JSON.stringify(layout) !== JSON.stringify(manifest.params)) {
    throw new CheckpointError(`Checkpoint file ${manifestPath} lists parameters that do not match its configuration.`)
  }
  const weightsFile = manifest.files?.['weights.bin']
  if (!weightsFile) throw new CheckpointError(`Checkpoint file ${manifestPath} names no weights.bin.`)
  const weights = readBinary(folder, 'weights.bin', weightsFile)
  if (weights.length !== paramCount(manifest.config)) {
    throw new CheckpointError(`Checkpoint file ${join(folder, 'weights.bin')} holds ${weights.length} weights; its configuration needs ${paramCount(manifest.config)}.`)
  }
  const contentHash = contentHashOf(manifest.config, weightsFile.sha256)
  if (contentHash !== manifest.contentHash) throw new CheckpointError(`Checkpoint file ${manifestPath} is corrupt: its content hash does not match its files.`)
  const optFile = manifest.files['optimizer.bin']
  const optimizer = manifest.optimizer && optFile ? { step: manifest.optimizer.step, names: manifest.optimizer.names, slots: readBinary(folder, 'optimizer.bin', optFile) } : undefined
  return { config: manifest.config, weights, optimizer, meta: manifest.meta ?? {}, contentHash }
}

// ---------------------------------------------------------------------------------------------
// The checkpoints table: lineage (parent, creating run) and where the folder is.

export type CheckpointRow = {
  id: number
  name: string
  parentId: number | null
  runId: number | null
  /** Absolute folder path. */
  path: string
  config: ModelConfig
  contentHash: string
  createdAt: string
}

type Row = { id: number; name: string; kind: string; parent_id: number | null; run_id: number | null; path: string | null; config: string; content_hash: string | null; created_at: string }

export const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'checkpoint'

/** Writes the folder, then records it; a crash in between leaves an unlisted folder, never a row without files. */
export function saveCheckpoint(db: DB, dataDir: string, data: CheckpointData, opts: { name: string; parentId?: number | null; runId?: number | null }): CheckpointRow {
  const root = dataPaths(dataDir).checkpoints
  mkdirSync(root, { recursive: true })
  const folder = join(root, `${slug(opts.name)}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`)
  const contentHash = writeCheckpoint(folder, data)
  const id = insertCheckpoint(db, { name: opts.name, kind: 'local', parentId: opts.parentId ?? null, runId: opts.runId ?? null, path: relative(dataDir, folder), config: data.config, contentHash })
  return getCheckpoint(db, dataDir, id)
}

export function getCheckpoint(db: DB, dataDir: string, id: number): CheckpointRow {
  const r = db.prepare('SELECT * FROM checkpoints WHERE id = ?').get(id) as Row | undefined
  if (!r) throw notFound(`Checkpoint ${id}`)
  if (r.kind !== 'local' || !r.path) throw new CheckpointError(`Checkpoint ${id} (${r.name}) is an endpoint, not a local model.`)
  return {
    id: r.id,
    name: r.name,
    parentId: r.parent_id,
    runId: r.run_id,
    path: isAbsolute(r.path) ? r.path : join(dataDir, r.path),
    config: JSON.parse(r.config) as ModelConfig,
    contentHash: r.content_hash ?? '',
    createdAt: r.created_at,
  }
}

/** Loads checkpoint `id`, refusing files whose content is not what the table recorded. */
export function loadCheckpoint(db: DB, dataDir: string, id: number): CheckpointData & { row: CheckpointRow } {
  const row = getCheckpoint(db, dataDir, id)
  if ((row.config as { format?: unknown }).format === 'hf') {
    throw new CheckpointError(`Checkpoint ${id} (${row.name}) is an imported Hugging Face model: only sft and LEAFE Stage 2 (LoRA) train it so far, not this.`)
  }
  const data = readCheckpoint(row.path)
  if (row.contentHash && data.contentHash !== row.contentHash) {
    throw new CheckpointError(`Checkpoint ${id} (${row.name}): the files in ${row.path} are not the ones recorded when it was saved (content hash differs).`)
  }
  return { ...data, row }
}
