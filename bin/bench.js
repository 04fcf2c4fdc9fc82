#!/usr/bin/env node
// `npm run bench -- <suite>`: runs a benchmark suite and writes bench/results/<suite>.json.
// `npm run bench:paper` (--paper): the paper's comparison, bench/results/paper.json and paper.md.
import { requireSupportedNode } from './node-version.js'
import { register } from 'tsx/esm/api'

requireSupportedNode()
register()
if (process.argv[2] === '--paper') await import('../bench/paper.ts')
else {
  const { runBench } = await import('../bench/run.ts')
  process.exitCode = await runBench(process.argv.slice(2))
}
