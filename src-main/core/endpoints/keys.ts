// API keys live outside the database and outside logs. The CLI and `serve` read them from
// environment variables; the desktop app keeps them in the OS keychain through Electron's
// safeStorage (EncryptedKeyFile below, given safeStorage by src-main/index.ts — that path needs
// Electron and is not exercised on machines where Electron cannot run). Job threads see keychain
// keys as environment variables of their own (JobManager's workerEnv), never as job params.
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { KEY_ENV_PATTERN } from '../../shared/endpoint-config.ts'

/** The variable read for one endpoint's key: LEAFE_ENDPOINT_KEY_<NAME>, upper case, [^A-Z0-9] → _. */
export const keyVariable = (endpoint: string): string => `LEAFE_ENDPOINT_KEY_${endpoint.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`
/** Read when an endpoint has no key of its own. */
export const SHARED_KEY_VARIABLE = 'LEAFE_ENDPOINT_KEY'

export type KeySource = { key: string | undefined; source: string }

/** The key for an endpoint and where it came from (its configured variable, its own, the shared one). */
export function resolveApiKey(endpoint: { name: string; settings: { keyEnv?: string } }, env: Record<string, string | undefined> = process.env): KeySource {
  // A keyEnv stored before the pattern existed is ignored rather than read.
  const configured = endpoint.settings.keyEnv && KEY_ENV_PATTERN.test(endpoint.settings.keyEnv) ? endpoint.settings.keyEnv : undefined
  const candidates = [configured, keyVariable(endpoint.name), SHARED_KEY_VARIABLE].filter((v): v is string => !!v)
  for (const v of candidates) {
    const key = env[v]
    if (key) return { key, source: `env:${v}` }
  }
  return { key: undefined, source: 'none' }
}

/** Keys kept by the desktop app (the OS keychain); absent in `serve` and the CLI. */
export interface KeyStore {
  readonly kind: 'keychain'
  names(): string[]
  get(endpoint: string): string | undefined
  set(endpoint: string, key: string): void
  delete(endpoint: string): void
}

/** The variables a keychain contributes to a process environment (job threads, probes). */
export function keyStoreEnv(store: KeyStore | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of store?.names() ?? []) {
    const key = store!.get(name)
    if (key) out[keyVariable(name)] = key
  }
  return out
}

/** The part of Electron's safeStorage a key file needs (OS keychain-backed encryption). */
export type Cipher = {
  isEncryptionAvailable(): boolean
  encryptString(plain: string): Buffer
  decryptString(encrypted: Buffer): string
}

/**
 * Keys encrypted by the OS keychain, one base64 blob per endpoint in a JSON file of the data
 * directory (mode 0600, written by temp + rename). Refuses to store anything when the keychain
 * cannot encrypt, rather than writing a key in the clear.
 */
export class EncryptedKeyFile implements KeyStore {
  readonly kind = 'keychain' as const

  constructor(
    private readonly path: string,
    private readonly cipher: Cipher,
  ) {}

  names(): string[] {
    return Object.keys(this.read())
  }

  get(endpoint: string): string | undefined {
    const blob = this.read()[endpoint]
    return blob === undefined ? undefined : this.cipher.decryptString(Buffer.from(blob, 'base64'))
  }

  set(endpoint: string, key: string): void {
    if (!this.cipher.isEncryptionAvailable()) throw new Error('The OS keychain cannot encrypt on this machine; set the key in an environment variable instead.')
    this.write({ ...this.read(), [endpoint]: this.cipher.encryptString(key).toString('base64') })
  }

  delete(endpoint: string): void {
    const all = this.read()
    if (!(endpoint in all)) return
    delete all[endpoint]
    this.write(all)
  }

  private read(): Record<string, string> {
    if (!existsSync(this.path)) return {}
    const data = JSON.parse(readFileSync(this.path, 'utf8')) as unknown
    if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error(`${this.path} is not a key file (expected a JSON object).`)
    return data as Record<string, string>
  }

  private write(all: Record<string, string>): void {
    const tmp = `${this.path}.tmp`
    writeFileSync(tmp, JSON.stringify(all), { mode: 0o600 })
    chmodSync(tmp, 0o600)
    renameSync(tmp, this.path)
  }
}
