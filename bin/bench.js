#!/usr/bin/env node
// `npm run bench -- <suite>`: runs a benchmark suite and writes bench/results/<suite>.json.
// `npm run bench:paper` (--paper): the paper's comparison, bench/results/paper.json and paper.md.
// `npm run bench:tune` (--tune): each method's settings chosen on validation levels, bench/results/tune/.
import { requireSupportedNode } from './node-version.js'
import { register } from 'tsx/esm/api'

requireSupportedNode()
register()
if (process.argv[2] === '--paper') await import('../bench/paper.ts')
else if (process.argv[2] === '--tune') await import('../bench/tune.ts')
else {
  const { runBench } = await import('../bench/run.ts')
  process.exitCode = await runBench(process.argv.slice(2))
}
