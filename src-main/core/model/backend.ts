import { spawnSync } from 'node:child_process'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { installWasmKernels } from './wasm-kernels.ts'
import { installMatmulKernels, parseMatmulPreference, type MatmulChoice } from './native-kernels.ts'

/**
 * TensorFlow.js backend selection. Tried in this order, the first that works wins:
 * CUDA through tfjs-node-gpu, WebGPU through Dawn for Node, libtensorflow on the CPU, wasm, and
 * the pure JS cpu backend. Every attempt's outcome is kept so the user can see why a faster
 * backend was not used. The GPU and node packages are optional dependencies and are often absent.
 */
export const BACKEND_IDS = ['node-gpu', 'webgpu', 'node', 'wasm', 'cpu'] as const
export type BackendId = (typeof BACKEND_IDS)[number]
export type BackendPreference = BackendId | 'auto'

export type BackendAttempt = { id: BackendId; ok: boolean; detail: string }
/** `matmul`: on wasm, which kernels run the matrix products (LEAFE_MATMUL, native-kernels.ts). */
export type BackendChoice = { id: BackendId; tfName: string; reason: string; attempts: BackendAttempt[]; matmul?: MatmulChoice }

// Each loader registers its backend with tfjs-core and returns the name tfjs knows it by.
const loaders: Record<BackendId, () => Promise<string>> = {
  'node-gpu': async () => {
    await import(/* @vite-ignore */ '@tensorflow/tfjs-node-gpu' as string)
    return 'tensorflow'
  },
  webgpu: async () => {
    probeDawn()
    const dawn = (await import(/* @vite-ignore */ 'webgpu' as string)) as {
      create: (flags: string[]) => { requestAdapter(): Promise<unknown> }
      globals: Record<string, unknown>
    }
    const gpu = dawn.create([])
    const adapter = await gpu.requestAdapter()
    if (!adapter) throw new Error('Dawn found no WebGPU adapter (no Vulkan, Metal or D3D12 device)')
    Object.assign(globalThis, dawn.globals)
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true })
    await import('@tensorflow/tfjs-backend-webgpu')
    return 'webgpu'
  },
  node: async () => {
    await import(/* @vite-ignore */ '@tensorflow/tfjs-node' as string)
    return 'tensorflow'
  },
  wasm: async () => {
    await import('@tensorflow/tfjs-backend-wasm')
    return 'wasm'
  },
  cpu: async () => 'cpu',
}

/**
 * Asks Dawn for an adapter in a short child process first. Dawn's native code writes its
 * warnings (e.g. "Couldn't load Vulkan: libvulkan.so.1 …", with the path of the machine it was
 * built on) straight to the process's stderr, where no JavaScript can catch them; in a child they
 * are caught, and the first one becomes this attempt's detail, shown once by `leafe status`.
 */
function probeDawn(): void {
  let url: string
  try {
    url = import.meta.resolve('webgpu')
  } catch {
    throw Object.assign(new Error('webgpu not installed'), { code: 'ERR_MODULE_NOT_FOUND' })
  }
  const script = `import(${JSON.stringify(url)}).then(async (d) => { const a = await d.create([]).requestAdapter(); process.stdout.write(a ? 'adapter' : 'none') }, (e) => process.stdout.write('error ' + e.message))`
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } })
  if (r.stdout === 'adapter') return
  const warning = (r.stderr ?? '').split('\n').find((l) => l.trim())?.trim()
  const why = r.stdout.startsWith('error ') ? r.stdout.slice(6) : 'Dawn found no WebGPU adapter (no Vulkan, Metal or D3D12 device)'
  throw new Error(warning ? `${why}; Dawn said: ${warning}` : why)
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string }
  if (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') {
    return 'package not installed (its binary could not be downloaded at install time)'
  }
  return (e?.message ?? String(err)).split('\n')[0]!.slice(0, 300)
}

export function parseBackendPreference(value: string | undefined): BackendPreference {
  if (value === undefined || value === '' || value === 'auto') return 'auto'
  if ((BACKEND_IDS as readonly string[]).includes(value)) return value as BackendId
  throw new Error(`Unknown TensorFlow.js backend "${value}"; use auto or one of ${BACKEND_IDS.join(', ')}.`)
}

/** Which backend to use: a flag (or job parameter) wins over LEAFE_TF_BACKEND, which wins over the setting. */
export function backendPreference(flag: string | undefined, setting: string | undefined, env: NodeJS.ProcessEnv = process.env): BackendPreference {
  return parseBackendPreference(flag || env.LEAFE_TF_BACKEND || setting)
}

/**
 * Selects and activates a backend. A forced backend that fails is an error, not a silent
 * fallback: the user asked for it and must learn why it cannot be had.
 */
export async function selectBackend(preference: BackendPreference = 'auto'): Promise<BackendChoice> {
  const attempts: BackendAttempt[] = []
  const matmulPreference = parseMatmulPreference(process.env.LEAFE_MATMUL)
  const candidates = preference === 'auto' ? BACKEND_IDS : [preference]
  const knownMissing = unavailableEarlier()
  for (const id of candidates) {
    // A backend this process (or the one that started this thread) found missing stays missing:
    // no second probe in every worker thread (Dawn's probe also prints a warning each time).
    if (preference === 'auto' && knownMissing[id]) {
      attempts.push({ id, ok: false, detail: knownMissing[id] })
      continue
    }
    try {
      const tfName = await loaders[id]()
      if (!(await tf.setBackend(tfName))) throw new Error(`tf.setBackend('${tfName}') returned false`)
      await tf.ready()
      let matmul: MatmulChoice | undefined
      if (id === 'wasm') {
        installWasmKernels()
        // A forced native path that cannot load ends the selection: no quiet fall-through to cpu.
        try {
          matmul = installMatmulKernels(matmulPreference)
        } catch (e) {
          throw Object.assign(e as Error, { fatal: true })
        }
      }
      attempts.push({ id, ok: true, detail: `active (tfjs backend "${tfName}")` })
      const failed = attempts.filter((a) => !a.ok)
      const reason =
        preference !== 'auto'
          ? `forced by setting (${preference})`
          : failed.length === 0
            ? 'first choice available'
            : `first available in the order ${BACKEND_IDS.join(' → ')}; ${failed.map((a) => a.id).join(', ')} unavailable`
      return { id, tfName, reason, attempts, ...(matmul ? { matmul } : {}) }
    } catch (err) {
      if ((err as { fatal?: boolean }).fatal) throw err
      attempts.push({ id, ok: false, detail: describe(err) })
      rememberUnavailable(id, describe(err))
    }
  }
  const last = attempts[attempts.length - 1]!
  throw new Error(`TensorFlow.js backend "${preference}" is unavailable: ${last.detail}`)
}

// Worker threads start with a copy of their parent's process.env: that carries what is known.
const UNAVAILABLE_VAR = 'LEAFE_TF_UNAVAILABLE'

function unavailableEarlier(): Partial<Record<BackendId, string>> {
  try {
    return JSON.parse(process.env[UNAVAILABLE_VAR] ?? '{}') as Partial<Record<BackendId, string>>
  } catch {
    return {}
  }
}

function rememberUnavailable(id: BackendId, detail: string): void {
  process.env[UNAVAILABLE_VAR] = JSON.stringify({ ...unavailableEarlier(), [id]: detail })
}

let cached: Promise<BackendChoice> | undefined
let cachedFor: BackendPreference | undefined

/** One selection per process (and per preference), shared by everything that needs tf. */
export function ensureBackend(preference: BackendPreference = 'auto'): Promise<BackendChoice> {
  if (!cached || cachedFor !== preference) {
    cachedFor = preference
    cached = selectBackend(preference)
    cached.catch(() => { cached = undefined })
  }
  return cached
}
