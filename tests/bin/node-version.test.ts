import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- plain JS that runs before tsx is registered; no declarations
import { nodeVersionProblem, requiredNode, satisfies } from '../../bin/node-version.js'

describe('the Node.js version (one truth: package.json engines)', () => {
  it('reads the range from package.json, the same one the README states', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }
    expect(requiredNode).toBe(pkg.engines.node)
    expect(requiredNode).toBe('^20.19.0 || >=22.12.0')
    expect(readFileSync('README.md', 'utf8')).toContain('Node.js 20.19 or later 20.x, or ≥ 22.12')
  })

  it('accepts the versions in the range and refuses the others with one clear line', () => {
    for (const v of ['20.19.0', '20.20.2', '22.12.0', '24.1.0']) expect(satisfies(v, requiredNode), v).toBe(true)
    for (const v of ['20.10.0', '18.19.1', '21.7.3', '22.11.0']) expect(satisfies(v, requiredNode), v).toBe(false)
    expect(nodeVersionProblem('20.10.0')).toBe('LEAFE Workbench needs Node.js ^20.19.0 or >=22.12.0; this is 20.10.0. Install a newer Node.js (e.g. the current LTS) and run npm install again.')
    expect(nodeVersionProblem(process.versions.node)).toBeNull()
  })

  it('is checked when the CLI starts: this Node passes', () => {
    const r = spawnSync(process.execPath, ['bin/leafe.js', '--help'], { encoding: 'utf8' })
    expect(r.status).toBe(0)
    expect(r.stderr).not.toMatch(/needs Node\.js/)
  })
})
