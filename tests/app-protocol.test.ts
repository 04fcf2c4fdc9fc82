// What the desktop window's app:// protocol may serve (index.ts hands each request to appFile;
// Electron itself cannot be downloaded on the machines these tests run on).
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { APP_INDEX, appFile } from '../src-main/app-protocol.ts'
import { tempDir } from './fixtures/tmp.ts'

describe('the app:// protocol', () => {
  const root = tempDir()
  const renderer = join(root, 'renderer')
  mkdirSync(join(renderer, 'assets'), { recursive: true })
  writeFileSync(join(renderer, 'index.html'), '<!doctype html>')
  writeFileSync(join(renderer, 'assets', 'main.js'), '')
  writeFileSync(join(root, 'secret.txt'), 'outside')

  it('serves the renderer files', () => {
    expect(appFile(renderer, APP_INDEX)).toBe(join(renderer, 'index.html'))
    expect(appFile(renderer, 'app://leafe/')).toBe(join(renderer, 'index.html'))
    expect(appFile(renderer, 'app://leafe/assets/main.js?v=1#x')).toBe(join(renderer, 'assets', 'main.js'))
  })

  it('serves nothing outside the renderer folder, from another host or scheme, or for a malformed URL', () => {
    for (const url of [
      'app://leafe/../secret.txt',
      'app://leafe/%2e%2e/secret.txt',
      'app://leafe/..%2fsecret.txt',
      'app://other/index.html',
      'file:///etc/passwd',
      `file://${join(renderer, 'index.html')}`,
      'app://leafe/%E0%A4%A',
      'app://leafe/assets',
      'app://leafe/missing.js',
      'not a url',
    ]) {
      expect([url, appFile(renderer, url)]).toEqual([url, null])
    }
  })
})
