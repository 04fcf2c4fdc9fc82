#!/usr/bin/env node
// `npm start`: the desktop window where Electron can run, otherwise `serve` (see cli/start.ts).
import { requireSupportedNode } from './node-version.js'
import { register } from 'tsx/esm/api'

requireSupportedNode()
register()
const { start } = await import('../src-main/cli/start.ts')
process.exitCode = await start(process.argv.slice(2))
