// The built renderer as files: which file a request path names, and its content type. One
// place for both ways the UI is served — `serve` over HTTP and the desktop window's app://
// protocol — so that neither can be talked into a file outside the renderer folder.
import { existsSync, statSync } from 'node:fs'
import { extname, join, normalize, sep } from 'node:path'

export const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
}

export const contentTypeOf = (file: string): string => contentTypes[extname(file)] ?? 'application/octet-stream'

/** The file a decoded URL path names inside `root` ('/' is index.html), or null: outside it, or not a file. */
export function staticFile(root: string, path: string): string | null {
  const rel = path === '/' || path === '' ? 'index.html' : path.replace(/^\/+/, '')
  const file = normalize(join(root, rel))
  if (!file.startsWith(normalize(root) + sep) || !existsSync(file) || !statSync(file).isFile()) return null
  return file
}
