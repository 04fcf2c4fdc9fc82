import { spawnSync } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { listDslEnvironment } from '../../src-main/core/envs/listdsl/environment.ts'
import { describeSandbox, runSandboxed } from '../../src-main/core/sandbox/isolation.ts'
import type { Lang } from '../../src-main/core/sandbox/limits.ts'
import { mapPool } from '../../src-main/core/pool.ts'
import type { Suite } from './index.ts'

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const TRIVIAL: Record<Lang, { file: string; code: string }> = {
  js: { file: 'main.js', code: 'console.log(6 * 7)\n' },
  py: { file: 'main.py', code: 'print(6 * 7)\n' },
}

/** A trivial program end to end through the sandbox: throughput with one run per core, and one-at-a-time latency. */
async function sandbox(lang: Lang, log: (m: string) => void): Promise<{ perS: number; latencyMs: number }> {
  const run = async () => {
    const r = await runSandboxed({ lang, files: { [TRIVIAL[lang].file]: TRIVIAL[lang].code }, main: TRIVIAL[lang].file })
    if (r.status !== 'ok' || r.stdout.trim() !== '42') throw new Error(`${lang} sandbox run failed: ${r.detail} ${r.stderr}`)
    return r.wallMs
  }
  for (let i = 0; i < 3; i++) await run()
  const latencies: number[] = []
  for (let i = 0; i < 20; i++) latencies.push(await run())
  const n = 60
  const t0 = performance.now()
  await mapPool(Array.from({ length: n }), availableParallelism(), run)
  const perS = n / ((performance.now() - t0) / 1000)
  log(`${lang}: ${perS.toFixed(1)} runs/s with ${availableParallelism()} at a time; one at a time median ${median(latencies)} ms`)
  return { perS, latencyMs: median(latencies) }
}

/** The bare runtime starting and exiting, outside the sandbox: what the sandbox's latency is measured against. */
function startupMs(cmd: string, args: string[]): number {
  const times: number[] = []
  for (let i = 0; i < 15; i++) {
    const t = performance.now()
    const r = spawnSync(cmd, args)
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`)
    times.push(performance.now() - t)
  }
  return Number(median(times).toFixed(1))
}

/** Steps of the list-DSL environment: parse, run on six examples, feedback. One thread. */
async function dslSteps(log: (m: string) => void): Promise<number> {
  const tasks = listDslEnvironment.tasks('train', 200, 1, { length: [1, 3] })
  // Wrong, unparseable and right programs, as an agent would send them.
  const attempts = (program: string) => ['sort a;reverse b', 'map *2 a;sum b', 'mapp +1 a', program]
  let steps = 0
  const t0 = performance.now()
  for (let round = 0; round < 10; round++) {
    for (const t of tasks) {
      const s = await listDslEnvironment.open(t)
      await s.reset()
      for (const a of attempts((t.meta as { program: string }).program)) {
        const step = await s.step(a)
        steps++
        if (step.done) break
      }
    }
  }
  const perS = steps / ((performance.now() - t0) / 1000)
  log(`listdsl: ${steps} steps, ${Math.round(perS)} steps/s`)
  return perS
}

export const codeSuite: Suite = {
  name: 'code',
  summary: 'Code sandbox: trivial JS and Python programs end to end per second; list-DSL environment steps per second',
  async run(log) {
    const d = await describeSandbox()
    log(`isolation: JavaScript ${d.js.level ?? 'unavailable'}, Python ${d.py.level ?? 'unavailable'}`)
    const js = await sandbox('js', log)
    if (!d.py.available) throw new Error(`Python is unavailable, so sandbox_exec_per_s_py cannot be measured: ${d.py.summary}`)
    const py = await sandbox('py', log)
    const dsl = await dslSteps(log)
    const nodeStart = startupMs(process.execPath, ['-e', '0'])
    const pyStart = startupMs(String(d.py.runtime.exe), ['-c', '0'])
    log(`bare start-up, outside the sandbox: node ${nodeStart} ms, python ${pyStart} ms`)
    return {
      sandbox_exec_per_s_js: Number(js.perS.toFixed(1)),
      sandbox_exec_per_s_py: Number(py.perS.toFixed(1)),
      dsl_steps_per_s: Math.round(dsl),
      sandbox_latency_ms_js: js.latencyMs,
      sandbox_latency_ms_py: py.latencyMs,
      node_startup_ms: nodeStart,
      python_startup_ms: pyStart,
    }
  },
}
