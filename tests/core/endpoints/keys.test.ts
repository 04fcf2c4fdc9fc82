import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EncryptedKeyFile, keyStoreEnv, keyVariable, resolveApiKey, type Cipher } from '../../../src-main/core/endpoints/keys.ts'
import { tempDir } from '../../fixtures/tmp.ts'

/** Stands in for Electron's safeStorage (which needs Electron and an OS keychain): reversible, and visibly not the plain text. */
const fakeCipher = (available = true): Cipher => ({
  isEncryptionAvailable: () => available,
  encryptString: (s) => Buffer.from([...Buffer.from(s)].map((b) => b ^ 0x5a)),
  decryptString: (b) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString(),
})

describe('API keys', () => {
  it('come from the configured variable, then the endpoint\'s own, then the shared one', () => {
    const ep = (keyEnv?: string) => ({ name: 'vllm-7b.local', settings: { keyEnv } })
    expect(keyVariable('vllm-7b.local')).toBe('LEAFE_ENDPOINT_KEY_VLLM_7B_LOCAL')
    const env = { LEAFE_ENDPOINT_KEY_VLLM: 'a', LEAFE_ENDPOINT_KEY_VLLM_7B_LOCAL: 'b', LEAFE_ENDPOINT_KEY: 'c', AWS_SECRET_ACCESS_KEY: 's' }
    expect(resolveApiKey(ep('LEAFE_ENDPOINT_KEY_VLLM'), env)).toEqual({ key: 'a', source: 'env:LEAFE_ENDPOINT_KEY_VLLM' })
    // A keyEnv naming any other variable (saved before this rule) is never read.
    expect(resolveApiKey(ep('AWS_SECRET_ACCESS_KEY'), env)).toEqual({ key: 'b', source: 'env:LEAFE_ENDPOINT_KEY_VLLM_7B_LOCAL' })
    expect(resolveApiKey(ep(), env)).toEqual({ key: 'b', source: 'env:LEAFE_ENDPOINT_KEY_VLLM_7B_LOCAL' })
    expect(resolveApiKey(ep(), { LEAFE_ENDPOINT_KEY: 'c' })).toEqual({ key: 'c', source: 'env:LEAFE_ENDPOINT_KEY' })
    expect(resolveApiKey(ep(), {})).toEqual({ key: undefined, source: 'none' })
  })

  it('kept by the keychain are encrypted on disk, readable back, and reach job threads as variables', () => {
    const path = join(tempDir(), 'endpoint-keys.json')
    const store = new EncryptedKeyFile(path, fakeCipher())
    store.set('vllm', 'sk-secret-123')
    store.set('other', 'sk-2')
    expect(readFileSync(path, 'utf8')).not.toContain('sk-secret-123')
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(new EncryptedKeyFile(path, fakeCipher()).get('vllm')).toBe('sk-secret-123')
    expect(keyStoreEnv(store)).toEqual({ LEAFE_ENDPOINT_KEY_VLLM: 'sk-secret-123', LEAFE_ENDPOINT_KEY_OTHER: 'sk-2' })
    store.delete('vllm')
    expect(store.names()).toEqual(['other'])
  })

  it('are refused rather than written in the clear when the keychain cannot encrypt', () => {
    const store = new EncryptedKeyFile(join(tempDir(), 'k.json'), fakeCipher(false))
    expect(() => store.set('x', 'sk')).toThrow(/cannot encrypt on this machine; set the key in an environment variable/)
    expect(store.names()).toEqual([])
  })
})
