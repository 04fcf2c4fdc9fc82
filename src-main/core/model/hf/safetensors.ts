import { readFileSync } from 'node:fs'

// The safetensors format, as huggingface/safetensors README.md ("Format") and
// safetensors/src/tensor.rs define it: 8 bytes N (u64, little-endian), N bytes of UTF-8 JSON
// {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {string: string}}, then
// the byte buffer; offsets are relative to the buffer, tensors are contiguous and do not overlap.
// Only the float dtypes language-model weights use are read; everything is converted to float32.

export type Dtype = 'F32' | 'F16' | 'BF16'
const BYTES: Record<Dtype, number> = { F32: 4, F16: 2, BF16: 2 }

export type TensorEntry = { dtype: Dtype; shape: number[]; begin: number; end: number }

/** One parsed file: its tensors' entries and the raw bytes they point into. */
export type SafetensorsFile = { path: string; entries: Map<string, TensorEntry>; data: Uint8Array; metadata: Record<string, string> }

export class SafetensorsError extends Error {}

const numel = (shape: number[]) => shape.reduce((a, b) => a * b, 1)

/** Parses a file's header and checks every entry against the buffer; `path` names the file in errors. */
export function parseSafetensors(bytes: Uint8Array, path: string): SafetensorsFile {
  const bad = (why: string) => new SafetensorsError(`${path}: corrupt safetensors header (${why}).`)
  if (bytes.byteLength < 8) throw bad('shorter than the 8-byte header length')
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true))
  if (n < 2 || 8 + n > bytes.byteLength) throw bad(`header length ${n} does not fit in ${bytes.byteLength} bytes`)
  let header: Record<string, unknown>
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>
  } catch (err) {
    throw bad(`header is not JSON: ${(err as Error).message}`)
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) throw bad('header is not a JSON object')
  const data = bytes.subarray(8 + n)
  const entries = new Map<string, TensorEntry>()
  const spans: [number, number, string][] = []
  for (const [name, v] of Object.entries(header)) {
    if (name === '__metadata__') continue
    const e = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown }
    if (typeof e?.dtype !== 'string') throw bad(`tensor ${name} has no dtype`)
    if (!(e.dtype in BYTES)) throw new SafetensorsError(`${path}: tensor ${name} has dtype ${e.dtype}; only F32, F16 and BF16 weights are supported.`)
    const dtype = e.dtype as Dtype
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) throw bad(`tensor ${name} has no valid shape`)
    const off = e.data_offsets
    if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isInteger(o) && o >= 0)) throw bad(`tensor ${name} has no valid data_offsets`)
    const [begin, end] = off as [number, number]
    if (end < begin || end > data.byteLength) throw bad(`tensor ${name} spans bytes ${begin}..${end} of a ${data.byteLength}-byte buffer`)
    if (end - begin !== numel(e.shape as number[]) * BYTES[dtype]) throw bad(`tensor ${name} has ${end - begin} bytes for shape [${(e.shape as number[]).join(', ')}] ${dtype}`)
    entries.set(name, { dtype, shape: e.shape as number[], begin, end })
    spans.push([begin, end, name])
  }
  spans.sort((a, b) => a[0] - b[0])
  for (let i = 1; i < spans.length; i++) if (spans[i]![0] < spans[i - 1]![1]) throw bad(`tensors ${spans[i - 1]![2]} and ${spans[i]![2]} overlap`)
  const meta = header.__metadata__
  return { path, entries, data, metadata: meta && typeof meta === 'object' ? (meta as Record<string, string>) : {} }
}

export function readSafetensors(path: string): SafetensorsFile {
  return parseSafetensors(readFileSync(path), path)
}

/** Raw little-endian bytes of one tensor, in its stored dtype. */
export function rawBytes(file: SafetensorsFile, name: string): Uint8Array {
  const e = file.entries.get(name)
  if (!e) throw new SafetensorsError(`${file.path}: no tensor ${name}.`)
  return file.data.subarray(e.begin, e.end)
}

// fp16 → fp32 by halves: sign, 5-bit exponent, 10-bit mantissa (IEEE 754 binary16), subnormals included.
function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1
  const e = (h >> 10) & 0x1f
  const m = h & 0x3ff
  if (e === 0) return s * m * 2 ** -24
  if (e === 31) return m ? NaN : s * Infinity
  return s * (1 + m / 1024) * 2 ** (e - 15)
}

/** One tensor as float32 (bf16 is the top half of a float32; fp16 is widened exactly). */
export function toFloat32(bytes: Uint8Array, dtype: Dtype): Float32Array {
  const n = bytes.byteLength / BYTES[dtype]
  // Copy to an aligned buffer: offsets inside a file need not be multiples of 4.
  const aligned = new Uint8Array(bytes.byteLength)
  aligned.set(bytes)
  if (dtype === 'F32') return new Float32Array(aligned.buffer)
  const halves = new Uint16Array(aligned.buffer)
  const out = new Float32Array(n)
  if (dtype === 'BF16') {
    const bits = new Uint32Array(out.buffer)
    for (let i = 0; i < n; i++) bits[i] = halves[i]! << 16
  } else {
    for (let i = 0; i < n; i++) out[i] = halfToFloat(halves[i]!)
  }
  return out
}

export function tensorF32(file: SafetensorsFile, name: string): Float32Array {
  return toFloat32(rawBytes(file, name), file.entries.get(name)!.dtype)
}

export type TensorOut = { dtype: Dtype; shape: number[]; bytes: Uint8Array }

export const f32Tensor = (shape: number[], values: Float32Array): TensorOut => ({ dtype: 'F32', shape, bytes: new Uint8Array(values.buffer, values.byteOffset, values.byteLength) })

/** A safetensors file's bytes; the header is space-padded to a multiple of 8 bytes, as the Rust writer does. */
export function encodeSafetensors(tensors: Map<string, TensorOut> | Record<string, TensorOut>, metadata?: Record<string, string>): Uint8Array {
  const list = tensors instanceof Map ? [...tensors] : Object.entries(tensors)
  const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {}
  let at = 0
  for (const [name, t] of list) {
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [at, at + t.bytes.byteLength] }
    at += t.bytes.byteLength
  }
  let json = JSON.stringify(header)
  json += ' '.repeat((8 - ((Buffer.byteLength(json) + 8) % 8)) % 8)
  const head = Buffer.from(json)
  const out = new Uint8Array(8 + head.byteLength + at)
  new DataView(out.buffer).setBigUint64(0, BigInt(head.byteLength), true)
  out.set(head, 8)
  let p = 8 + head.byteLength
  for (const [, t] of list) {
    out.set(t.bytes, p)
    p += t.bytes.byteLength
  }
  return out
}
