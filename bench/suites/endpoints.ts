// What the workbench itself costs between a policy and a served model, and between the engine and
// an environment server: decisions per second through the endpoint policy (prompt rendering,
// the openai client, loopback HTTP, JSON, action extraction) against a stub that answers at once,
// and steps per second through the remote-environment adapter against the AgentGym-style stub.
// The stubs run in a child process of their own (one Node thread, like a small real server). A
// real 7B model takes tens to hundreds of milliseconds per reply; these figures say how much of a
// run is ours.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { EndpointClient } from '../../src-main/core/endpoints/client.ts'
import { EndpointInput } from '../../src-main/shared/endpoint-config.ts'
import { builtinProfiles } from '../../src-main/shared/remote-profile.ts'
import { remoteEnvironment } from '../../src-main/core/envs/remote/environment.ts'
import { sokoban } from '../../src-main/core/envs/sokoban/environment.ts'
import type { Context } from '../../src-main/core/envs/types.ts'
import { EndpointPolicy } from '../../src-main/core/policies/endpoint.ts'
import type { Suite } from './index.ts'

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

export const endpointsSuite: Suite = {
  name: 'endpoints',
  summary: 'Endpoint policy decisions/s and remote-environment steps/s against loopback stubs (the workbench\'s own overhead)',
  async run(log) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/stubs/serve.ts', 'alfworld'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, STUB_LEVERS: '1000' },
    })
    const urls = await new Promise<{ llm: string; env: string }>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', (l) => resolve(JSON.parse(l)))
      child.once('exit', (code) => reject(new Error(`the stub servers exited (${code})`)))
    })
    const llm = { url: urls.llm }
    const gym = { url: urls.env }
    try {
      const tasks = sokoban.tasks('train', 64, 1)
      const contexts: Context[] = await Promise.all(tasks.map(async (task) => ({ task, initial: await (await sokoban.open(task)).reset(), history: [] })))
      const figures: Record<string, number> = {}
      for (const concurrency of [1, 8, 32]) {
        const client = new EndpointClient({ id: 1, ...EndpointInput.parse({ name: 'bench', baseUrl: llm.url, model: 'stub-model', settings: { concurrency } }) }, undefined)
        const policy = new EndpointPolicy(client, sokoban, { extraction: { kind: 'env' } })
        await policy.decide(contexts.slice(0, 8), { temperature: 1 }) // warm the connection pool
        const rates: number[] = []
        for (let rep = 0; rep < 5; rep++) {
          const t0 = performance.now()
          const n = 4
          for (let i = 0; i < n; i++) await policy.decide(contexts, { temperature: 1, seeds: contexts.map((_, j) => rep * 1000 + i * 64 + j) })
          rates.push((n * contexts.length) / ((performance.now() - t0) / 1000))
        }
        figures[`endpoint_decisions_per_s_c${concurrency}`] = Math.round(median(rates))
        log(`endpoint policy, concurrency ${concurrency}: ${figures[`endpoint_decisions_per_s_c${concurrency}`]} decisions/s (median of 5 × 256)`)
      }

      const env = remoteEnvironment({ id: 1, name: 'bench', baseUrl: gym.url, profile: builtinProfiles.alfworld!, splits: { train: [0, 1000] }, maxSteps: 100_000, timeoutS: 10 })
      for (const parallel of [1, 16]) {
        const sessions = await Promise.all(env.tasks('train', parallel, 0).map((t) => env.open(t)))
        await Promise.all(sessions.map((s) => s.reset()))
        const steps = 200
        const t0 = performance.now()
        await Promise.all(
          sessions.map(async (s) => {
            for (let i = 0; i < steps; i++) await s.step('look')
          }),
        )
        figures[`remote_env_steps_per_s_p${parallel}`] = Math.round((parallel * steps) / ((performance.now() - t0) / 1000))
        log(`remote environment, ${parallel} episode(s) at once: ${figures[`remote_env_steps_per_s_p${parallel}`]} steps/s`)
      }
      return figures
    } finally {
      child.kill()
    }
  },
}
