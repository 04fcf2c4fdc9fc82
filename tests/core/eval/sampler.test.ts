import { z } from 'zod'
import { afterEach, describe, expect, it } from 'vitest'
import { Engine } from '../../../src-main/core/engine.ts'
import { EvalConfig } from '../../../src-main/shared/jobs/eval.ts'
import type { EvalSummary } from '../../../src-main/core/eval/job.ts'
import { samplePassAtK } from '../../../src-main/core/eval/sampler.ts'
import { randomPolicy } from '../../../src-main/core/policies/random.ts'
import { corridorEnv, firstChoicePolicy } from '../../fixtures/corridor-env.ts'
import { tempDir } from '../../fixtures/tmp.ts'

describe('Pass@k sampling', () => {
  const env = corridorEnv({ length: 1, trapAt: 99, stepLimit: 1 })
  const tasks = env.tasks('test', 6, 100)

  it('counts successes out of n per task, reproducibly', async () => {
    const go = (seed: number) => samplePassAtK({ env, policy: randomPolicy(['a', 'b']), policyKey: 'random', tasks, n: 200, temperature: 1, topP: 1, seed, maxConcurrent: 300 })
    const a = await go(1)
    expect(a.map((r) => r.n)).toEqual([200, 200, 200, 200, 200, 200])
    for (const r of a) expect(r.c).toBeGreaterThan(60) // binomial(200, 1/2): 100 ± 3 sd
    for (const r of a) expect(r.c).toBeLessThan(140)
    expect((await go(1)).map((r) => r.c)).toEqual(a.map((r) => r.c))
    expect((await go(2)).map((r) => r.c)).not.toEqual(a.map((r) => r.c))
  })

  it('a policy that always succeeds gets c = n, one that never does c = 0', async () => {
    const ok = await samplePassAtK({ env, policy: firstChoicePolicy, policyKey: 'first', tasks, n: 5, temperature: 0, topP: 1, seed: 0 })
    expect(ok.map((r) => r.c)).toEqual([5, 5, 5, 5, 5, 5])
    const trap = corridorEnv({ length: 3, trapAt: 0, stepLimit: 4 })
    const bad = await samplePassAtK({ env: trap, policy: firstChoicePolicy, policyKey: 'first', tasks, n: 5, temperature: 0, topP: 1, seed: 0 })
    expect(bad.map((r) => r.c)).toEqual([0, 0, 0, 0, 0, 0])
  })
})

describe('the eval job', () => {
  const engines: Engine[] = []
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.close()))
  })

  it('stores (n, c) per policy and task and summarises Pass@1 and Pass@n', async () => {
    const e = new Engine({ dataDir: tempDir(), log: () => undefined })
    engines.push(e)
    e.jobs.register({
      kind: 'test.eval', label: 'eval (test)', params: z.object({ config: EvalConfig }).strict(), title: () => 'eval', resumable: true,
      moduleUrl: new URL('../../fixtures/eval-corridor-job.ts', import.meta.url).href,
    })
    const config = { env: 'corridor', tasks: { split: 'test', count: 10, seed: 1000 }, policies: [{ kind: 'random' }], n: 16, seed: 3 }
    const job = e.jobs.start('test.eval', { config })
    const done = await e.jobs.waitFor(job.id)
    expect(done.status).toBe('done')
    const s = done.result as EvalSummary
    const rows = e.db.prepare('SELECT policy, checkpoint_id, task_key, n, c FROM eval_results WHERE run_id = ? ORDER BY id').all(s.runId) as { n: number; c: number }[]
    expect(rows.length).toBe(10)
    expect(rows[0]).toMatchObject({ policy: 'random', checkpoint_id: null, n: 16 })
    const pass1 = rows.reduce((a, r) => a + r.c / r.n, 0) / rows.length
    expect(s.policies).toEqual([{ policy: 'random', passAt1: pass1, passAtN: 1, errors: 0 }])
    expect(s.errors).toBe(0)
    expect(pass1).toBeGreaterThan(0.3)
    expect(pass1).toBeLessThan(0.7)
  })
})
