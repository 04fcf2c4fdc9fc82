// The desktop window loads the renderer from app://leafe/, not file://: under file:// the CSP's
// 'self' is every local file, so an injected <script src="file:///…"> would be allowed. The
// handler itself (index.ts) is Electron's; what a URL may name is decided here, without Electron.
import { staticFile } from './api/static-files.ts'

export const APP_SCHEME = 'app'
export const APP_ORIGIN = `${APP_SCHEME}://leafe`
export const APP_INDEX = `${APP_ORIGIN}/index.html`

/** The renderer file an app:// URL names, or null for another host, a bad escape or a path outside the folder. */
export function appFile(rendererDir: string, url: string): string | null {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return null
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== 'leafe') return null
  let path: string
  try {
    path = decodeURIComponent(u.pathname)
  } catch {
    return null
  }
  return staticFile(rendererDir, path)
}
