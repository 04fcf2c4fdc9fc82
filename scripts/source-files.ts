// The files the lint scripts read: every file below a folder with a given ending, leaving out
// folders by name (node_modules always).
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

export function filesUnder(dir: string, ending: string, skipFolders: readonly string[] = []): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name)
    if (e.isDirectory()) return e.name === 'node_modules' || skipFolders.includes(e.name) ? [] : filesUnder(p, ending, skipFolders)
    return e.name.endsWith(ending) ? [p] : []
  })
}
