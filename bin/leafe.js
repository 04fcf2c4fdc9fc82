#!/usr/bin/env node
// The `leafe` command. The engine is TypeScript; tsx loads it directly, so the CLI needs no
// build step and runs exactly the code the tests run.
import { requireSupportedNode } from './node-version.js'
import { register } from 'tsx/esm/api'

requireSupportedNode()
register()
const { main } = await import('../src-main/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
