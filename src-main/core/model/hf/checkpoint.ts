import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { basename, dirname, join, relative } from 'node:path'
import { EngineError } from '../../errors.ts'
import { dataPaths } from '../../paths.ts'
import type { DB } from '../../store/db.ts'
import { insertCheckpoint } from '../../store/checkpoints.ts'
import { getCheckpoint, slug, writeFileSynced, type OptimizerState } from '../checkpoint.ts'
import { canonicalName, ConfigError, expectedTensors, linearModules, parameterCount, parseHfConfig, type HfConfig } from './config.ts'
import { exportPeft, importPeft, mergedWeight } from './lora.ts'
import type { LoraSpec } from './lora-settings.ts'
import { buildHfModel, type HfModel, type LoraOnModel } from './model.ts'
import { encodeSafetensors, f32Tensor, parseSafetensors, rawBytes, SafetensorsError, toFloat32, type Dtype, type SafetensorsFile, type TensorOut } from './safetensors.ts'
import { HfTokenizer, HfTokenizerError } from './tokenizer.ts'
import { isHfConfig, type HfCheckpointConfig } from '../../../shared/hf-checkpoint-config.ts'

export { isHfConfig, type HfCheckpointConfig } from '../../../shared/hf-checkpoint-config.ts'

// An imported Hugging Face model as a workbench checkpoint: a folder under
// <dataDir>/checkpoints/ that is itself a valid HF snapshot — config.json, one model.safetensors
// (tensors under their canonical names, in the dtypes they came in), the tokenizer files — plus
// leafe-hf.json (normalised configuration, SHA-256 of every file, lineage). A LoRA checkpoint is
// a PEFT adapter folder (adapter_config.json + adapter_model.safetensors) whose leafe-hf.json
// names its base folder; a trained one also keeps its AdamW moments (optimizer.bin, which PEFT
// and vLLM never read) so that a resumed run continues exactly. Folders are written under a
// temporary name and renamed into place.

const FORMAT = 'leafe-hf-checkpoint'
const MANIFEST = 'leafe-hf.json'
const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json']
const OPTIONAL_FILES = ['generation_config.json', 'special_tokens_map.json']

export class ImportError extends EngineError {
  constructor(message: string) {
    super('bad_request', message)
    this.name = 'ImportError'
  }
}

type Manifest = {
  format: typeof FORMAT
  version: 1
  config: HfConfig
  files: Record<string, { bytes: number; sha256: string }>
  /** For an adapter: the base model's folder (a sibling) and its content hash. */
  base?: { folder: string; contentHash: string }
  lora?: LoraSpec
  /** The optimizer's step and slot names; its moments are optimizer.bin (float32). */
  optimizer?: { step: number; names: string[] }
  meta: Record<string, unknown>
  contentHash: string
}

const sha256 = (d: Uint8Array | string) => createHash('sha256').update(d).digest('hex')

/** A file's bytes as float32 values (copied: a Buffer's offset need not be 4-aligned). */
const float32Of = (buf: Uint8Array) => new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength))

function readJson(path: string): Record<string, unknown> {
  if (!existsSync(path)) throw new ImportError(`${path}: missing file.`)
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
  } catch (err) {
    throw new ImportError(`${path}: not JSON (${(err as Error).message.split('\n')[0]}).`)
  }
}

/** The weight files of a snapshot: model.safetensors, or the shards a model.safetensors.index.json names. */
function weightFiles(dir: string): SafetensorsFile[] {
  const single = join(dir, 'model.safetensors')
  const index = join(dir, 'model.safetensors.index.json')
  const read = (p: string) => {
    if (!existsSync(p)) throw new ImportError(`${p}: missing file.`)
    try {
      return parseSafetensors(readFileSync(p), p)
    } catch (err) {
      if (err instanceof SafetensorsError) throw new ImportError(err.message)
      throw err
    }
  }
  if (existsSync(index)) {
    const map = readJson(index).weight_map as Record<string, string> | undefined
    if (!map || typeof map !== 'object') throw new ImportError(`${index}: has no weight_map.`)
    const files = [...new Set(Object.values(map))].map((f) => read(join(dir, f)))
    for (const [name, f] of Object.entries(map)) {
      if (!files.find((x) => basename(x.path) === f)!.entries.has(name)) throw new ImportError(`${join(dir, f)}: the index places tensor ${name} here, but the file does not hold it.`)
    }
    return files
  }
  if (existsSync(single)) return [read(single)]
  throw new ImportError(`${dir}: missing file model.safetensors (or model.safetensors.index.json); only safetensors weights are read.`)
}

type Checked = { config: HfConfig; configText: string; tensors: Map<string, { file: SafetensorsFile; name: string }>; dtypes: Set<Dtype> }

/** Reads and checks a snapshot folder without storing anything: every problem is one ImportError line. */
export function checkSnapshot(dir: string): Checked {
  if (!existsSync(dir)) throw new ImportError(`${dir}: no such folder.`)
  const configPath = join(dir, 'config.json')
  const raw = readJson(configPath)
  let config: HfConfig
  try {
    config = parseHfConfig(raw)
  } catch (err) {
    if (err instanceof ConfigError) throw new ImportError(`${dir}/${err.message}`)
    throw err
  }
  for (const f of TOKENIZER_FILES) if (!existsSync(join(dir, f))) throw new ImportError(`${join(dir, f)}: missing file.`)
  try {
    HfTokenizer.fromFolder(dir)
  } catch (err) {
    if (err instanceof HfTokenizerError) throw new ImportError(err.message)
    throw err
  }
  const expected = expectedTensors(config)
  const tensors = new Map<string, { file: SafetensorsFile; name: string }>()
  const dtypes = new Set<Dtype>()
  for (const file of weightFiles(dir)) {
    for (const [name, e] of file.entries) {
      const canon = canonicalName(config, name)
      if (canon === null) continue
      const shape = expected.get(canon)
      if (!shape) throw new ImportError(`${file.path}: unexpected tensor ${name} for a ${config.family} model of this configuration.`)
      if (shape.join(',') !== e.shape.join(',')) throw new ImportError(`${file.path}: tensor ${name} has shape [${e.shape.join(', ')}]; config.json implies [${shape.join(', ')}].`)
      tensors.set(canon, { file, name })
      dtypes.add(e.dtype)
    }
  }
  for (const name of expected.keys()) if (!tensors.has(name)) throw new ImportError(`${dir}: missing tensor ${name}.`)
  return { config, configText: readFileSync(configPath, 'utf8'), tensors, dtypes }
}

function writeFolder(root: string, name: string, files: Record<string, Uint8Array | string>, manifest: Omit<Manifest, 'files' | 'contentHash'>, hashOf: (files: Manifest['files']) => string): { folder: string; contentHash: string } {
  mkdirSync(root, { recursive: true })
  const folder = join(root, `${slug(name)}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`)
  const tmp = `${folder}.tmp-${randomBytes(4).toString('hex')}`
  mkdirSync(tmp)
  try {
    const recorded: Manifest['files'] = {}
    for (const [f, data] of Object.entries(files)) {
      writeFileSynced(join(tmp, f), data)
      recorded[f] = { bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength, sha256: sha256(data) }
    }
    const contentHash = hashOf(recorded)
    writeFileSynced(join(tmp, MANIFEST), JSON.stringify({ ...manifest, files: recorded, contentHash }, null, 2) + '\n')
    renameSync(tmp, folder)
    return { folder, contentHash }
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true })
    throw err
  }
}

function insertRow(db: DB, dataDir: string, folder: string, name: string, config: HfCheckpointConfig, contentHash: string, parentId: number | null, runId: number | null) {
  return getCheckpoint(db, dataDir, insertCheckpoint(db, { name, kind: 'local', parentId, runId, path: relative(dataDir, folder), config, contentHash }))
}

const summary = (c: HfConfig, dtype: string, chatTemplate: boolean, lora?: LoraSpec): HfCheckpointConfig => ({
  format: 'hf', family: c.family, params: parameterCount(c), dtype, hidden: c.hidden, layers: c.nLayers, vocab: c.vocabSize, chatTemplate, ...(lora ? { lora } : {}),
})

/** Imports a snapshot folder as a checkpoint; refused (nothing stored) when anything is wrong. */
export function importSnapshot(db: DB, dataDir: string, dir: string, opts: { name?: string } = {}) {
  const checked = checkSnapshot(dir)
  const out = new Map<string, TensorOut>()
  for (const [canon, { file, name }] of checked.tensors) {
    const e = file.entries.get(name)!
    out.set(canon, { dtype: e.dtype, shape: e.shape, bytes: rawBytes(file, name) })
  }
  const files: Record<string, Uint8Array | string> = { 'config.json': checked.configText, 'model.safetensors': encodeSafetensors(out, { format: 'pt' }) }
  for (const f of [...TOKENIZER_FILES, ...OPTIONAL_FILES]) if (existsSync(join(dir, f))) files[f] = readFileSync(join(dir, f))
  const name = opts.name ?? basename(dir)
  const { folder, contentHash } = writeFolder(
    dataPaths(dataDir).checkpoints, name, files,
    { format: FORMAT, version: 1, config: checked.config, meta: { importedFrom: dir } },
    (f) => sha256(`${JSON.stringify(checked.config)}\n${f['model.safetensors']!.sha256}`),
  )
  const chat = HfTokenizer.fromFolder(folder).hasChatTemplate
  return insertRow(db, dataDir, folder, name, summary(checked.config, [...checked.dtypes].join('+'), chat), contentHash, null, null)
}

function readManifest(folder: string): Manifest {
  const m = readJson(join(folder, MANIFEST)) as Manifest
  if (m.format !== FORMAT || m.version !== 1) throw new ImportError(`${join(folder, MANIFEST)}: not a version-1 imported-model checkpoint.`)
  for (const [f, rec] of Object.entries(m.files)) {
    const buf = readFileSync(join(folder, f))
    if (buf.byteLength !== rec.bytes || sha256(buf) !== rec.sha256) throw new ImportError(`${join(folder, f)} is corrupt: its size or SHA-256 differs from ${MANIFEST}.`)
  }
  return m
}

/** The model in one safetensors file of HF names and layout, any stored dtype as float32. */
export function modelFromSafetensors(config: HfConfig, path: string): HfModel {
  const weights = parseSafetensors(readFileSync(path), path)
  return buildHfModel(config, (name) => toFloat32(rawBytes(weights, name), weights.entries.get(name)!.dtype))
}

export type LoadedHf = { folder: string; config: HfConfig; model: HfModel; tokenizer: HfTokenizer; lora?: { spec: LoraSpec; lora: LoraOnModel }; optimizer?: OptimizerState; contentHash: string; baseFolder: string }

/** Loads an imported checkpoint folder (a base model, or an adapter with its base) and verifies every file. */
export function loadHfFolder(folder: string): LoadedHf {
  const m = readManifest(folder)
  const baseFolder = m.base ? join(dirname(folder), m.base.folder) : folder
  const base = m.base ? readManifest(baseFolder) : m
  if (m.base && base.contentHash !== m.base.contentHash) throw new ImportError(`${folder}: its base ${baseFolder} is not the model it was trained on (content hash differs).`)
  const model = modelFromSafetensors(base.config, join(baseFolder, 'model.safetensors'))
  const tokenizer = HfTokenizer.fromFolder(baseFolder)
  const lora = m.base ? importPeft(base.config, readFileSync(join(folder, 'adapter_config.json'), 'utf8'), readFileSync(join(folder, 'adapter_model.safetensors')), folder) : undefined
  const optimizer = m.optimizer && m.files['optimizer.bin'] ? { ...m.optimizer, slots: float32Of(readFileSync(join(folder, 'optimizer.bin'))) } : undefined
  return { folder, config: base.config, model, tokenizer, ...(lora ? { lora } : {}), ...(optimizer ? { optimizer } : {}), contentHash: m.contentHash, baseFolder }
}

/** Saves a trained adapter as a checkpoint whose parent is the base (or the adapter it continued). */
export function saveAdapterCheckpoint(db: DB, dataDir: string, loaded: LoadedHf, spec: LoraSpec, lora: LoraOnModel, opts: { name: string; parentId: number; runId?: number | null; meta?: Record<string, unknown>; optimizer?: OptimizerState }) {
  const base = readManifest(loaded.baseFolder)
  const peft = exportPeft(loaded.config, spec, lora, basename(loaded.baseFolder))
  const o = opts.optimizer
  const files: Record<string, Uint8Array | string> = { 'adapter_config.json': peft.config, 'adapter_model.safetensors': peft.weights }
  if (o) files['optimizer.bin'] = new Uint8Array(o.slots.buffer, o.slots.byteOffset, o.slots.byteLength)
  const { folder, contentHash } = writeFolder(
    dataPaths(dataDir).checkpoints, opts.name, files,
    { format: FORMAT, version: 1, config: loaded.config, base: { folder: basename(loaded.baseFolder), contentHash: base.contentHash }, lora: spec, ...(o ? { optimizer: { step: o.step, names: o.names } } : {}), meta: opts.meta ?? {} },
    (f) => sha256(`${base.contentHash}\n${f['adapter_model.safetensors']!.sha256}`),
  )
  return insertRow(db, dataDir, folder, opts.name, summary(loaded.config, 'F32', loaded.tokenizer.hasChatTemplate, spec), contentHash, opts.parentId, opts.runId ?? null)
}

/** Imports a PEFT adapter folder onto an imported base checkpoint (checked against the base's layers). */
export function importAdapter(db: DB, dataDir: string, baseId: number, dir: string, opts: { name?: string } = {}) {
  const row = getCheckpoint(db, dataDir, baseId)
  const loaded = loadHfFolder(row.path)
  if (loaded.lora) throw new ImportError(`Checkpoint ${baseId} is itself an adapter; import onto its base.`)
  for (const f of ['adapter_config.json', 'adapter_model.safetensors']) if (!existsSync(join(dir, f))) throw new ImportError(`${join(dir, f)}: missing file.`)
  let adapter
  try {
    adapter = importPeft(loaded.config, readFileSync(join(dir, 'adapter_config.json'), 'utf8'), readFileSync(join(dir, 'adapter_model.safetensors')), dir)
  } catch (err) {
    throw new ImportError((err as Error).message)
  }
  return saveAdapterCheckpoint(db, dataDir, loaded, adapter.spec, adapter.lora, { name: opts.name ?? basename(dir), parentId: baseId, meta: { importedFrom: dir } })
}

/** Writes the adapter folder PEFT and `vllm serve --lora-modules` read. */
export function exportAdapterFiles(loaded: LoadedHf, outDir: string): void {
  if (!loaded.lora) throw new ImportError(`${loaded.folder} holds no adapter to export.`)
  const peft = exportPeft(loaded.config, loaded.lora.spec, loaded.lora.lora, basename(loaded.baseFolder))
  mkdirSync(outDir, { recursive: true })
  writeFileSynced(join(outDir, 'adapter_config.json'), peft.config)
  writeFileSynced(join(outDir, 'adapter_model.safetensors'), peft.weights)
}

/** Writes a merged HF snapshot (float32 weights, the base's config and tokenizer files). */
export function exportMerged(loaded: LoadedHf, outDir: string): void {
  const weights = parseSafetensors(readFileSync(join(loaded.baseFolder, 'model.safetensors')), loaded.baseFolder)
  const byPath = new Map(linearModules(loaded.config).map((m) => [`${m.path}.weight`, m]))
  const out = new Map<string, TensorOut>()
  for (const [name, e] of weights.entries) {
    let w = toFloat32(rawBytes(weights, name), e.dtype)
    const spec = byPath.get(name)
    const l = spec && loaded.lora?.lora.layers.get(spec.path)
    if (spec && l) w = mergedWeight(spec, w, l)
    out.set(name, f32Tensor(e.shape, w))
  }
  mkdirSync(outDir, { recursive: true })
  writeFileSynced(join(outDir, 'model.safetensors'), encodeSafetensors(out, { format: 'pt' }))
  for (const f of ['config.json', ...TOKENIZER_FILES, ...OPTIONAL_FILES]) if (existsSync(join(loaded.baseFolder, f))) writeFileSynced(join(outDir, f), readFileSync(join(loaded.baseFolder, f)))
}

/** Loads checkpoint `id` when it is an imported model (or an adapter on one); anything else is refused by name. */
export function loadHfCheckpoint(db: DB, dataDir: string, id: number): LoadedHf & { row: ReturnType<typeof getCheckpoint> } {
  const row = getCheckpoint(db, dataDir, id)
  if (!isHfConfig(row.config)) throw new ImportError(`Checkpoint ${id} (${row.name}) is a built-in byte-level model, not an imported Hugging Face model.`)
  const loaded = loadHfFolder(row.path)
  if (row.contentHash && loaded.contentHash !== row.contentHash) throw new ImportError(`Checkpoint ${id} (${row.name}): the files in ${row.path} are not the ones recorded when it was saved.`)
  return { ...loaded, row }
}

/**
 * The adapter of checkpoint `id` for use on a model already loaded (`on`): null when `id` is that
 * model's base itself. A checkpoint on another base is refused by name: its adapter means nothing here.
 */
export function adapterOn(db: DB, dataDir: string, id: number, on: LoadedHf): { spec: LoraSpec; lora: LoraOnModel } | null {
  const row = getCheckpoint(db, dataDir, id)
  if (!isHfConfig(row.config)) throw new ImportError(`Checkpoint ${id} (${row.name}) is a built-in byte-level model, not an imported Hugging Face model.`)
  const m = readManifest(row.path)
  const base = m.base ? join(dirname(row.path), m.base.folder) : row.path
  if (base !== on.baseFolder) throw new ImportError(`Checkpoint ${id} (${row.name}) is not on the same base model as ${basename(on.baseFolder)}.`)
  if (!m.base) return null
  return importPeft(on.config, readFileSync(join(row.path, 'adapter_config.json'), 'utf8'), readFileSync(join(row.path, 'adapter_model.safetensors')), row.path)
}

/** Whether checkpoint `id` is an imported model (or an adapter on one): what decides how a training job treats its start. */
export function isImportedCheckpoint(db: DB, dataDir: string, id: number): boolean {
  return isHfConfig(getCheckpoint(db, dataDir, id).config)
}
