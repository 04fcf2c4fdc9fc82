// The `reading` job: teaches a checkpoint to read experience codes (train/reading.ts) — its own
// failures on the given tasks blamed by the critic (data phase), then a short SFT (SFT phase).
// Without any blamed failure there is nothing to teach, and the job says so.
import { join } from 'node:path'
import { EngineError } from '../errors.ts'
import { getEnvironment } from '../envs/registry.ts'
import { resolveTasks } from '../envs/tasksets.ts'
import type { JobContext } from '../jobs/types.ts'
import { writePairs } from './base.ts'
import { ReadingParams, SftConfig, type ReadingResult, type ReadingState } from '../../shared/jobs/train.ts'
import { savedJobState } from '../../shared/jobs/kinds.ts'
import { readingData } from './reading.ts'
import { runSftPhase, withCheckpointPolicy } from './sft-phase.ts'

export type { ReadingResult }

export async function run(ctx: JobContext<unknown>): Promise<ReadingResult> {
  const cfg = ReadingParams.parse(ctx.params).config
  const db = ctx.db()
  const env = getEnvironment(cfg.env)
  const state: ReadingState = { ...savedJobState('reading', ctx.state) }
  const save = () => ctx.saveState(state)

  if (!state.file) {
    const { tasks } = resolveTasks(db, env, cfg.tasks)
    const data = await withCheckpointPolicy(ctx, env, cfg.from, cfg.backend, (policy) =>
      readingData({
        env, policy, tasks, episodes: cfg.episodes, temperature: cfg.temperature, seed: cfg.seed, signal: ctx.signal,
        onProgress: (done, total) => ctx.progress(done, total * 2, `data: ${done}/${total} episodes`),
      }),
    )
    if (data.blamed === 0) throw new EngineError('bad_request', `Checkpoint ${cfg.from} had no failure the critic could blame with a fix on these ${tasks.length} tasks; nothing to teach.`)
    state.file = join(ctx.dataDir, 'datasets', `reading-job${ctx.jobId}.jsonl`)
    state.counts = { episodes: data.episodes, failures: data.failures, blamed: data.blamed, rehearsal: data.rehearsal }
    writePairs(state.file, data.pairs)
    ctx.log(`reading: ${data.failures} of ${data.episodes} episodes failed; ${data.blamed} blamed states, each with the whole code and the diagnosis, + ${data.rehearsal} plain expert steps`)
    save()
  }

  const sftConfig = SftConfig.parse({
    name: cfg.name,
    start: { checkpoint: cfg.from },
    datasets: [{ path: state.file }],
    seed: cfg.seed,
    weightDecay: 0,
    ...cfg.train,
    ...(cfg.backend ? { backend: cfg.backend } : {}),
  })
  const sft = await runSftPhase(ctx, state, save, sftConfig)
  return { ...sft, ...state.counts! }
}
