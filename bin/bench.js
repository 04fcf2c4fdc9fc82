#!/usr/bin/env node
// `npm run bench -- <suite>`: runs a benchmark suite and writes bench/results/<suite>.json.
import { register } from 'tsx/esm/api'

register()
const { runBench } = await import('../bench/run.ts')
process.exitCode = await runBench(process.argv.slice(2))
