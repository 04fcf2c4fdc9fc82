// The `early_experience` job: the Early Experience baseline (implicit world modelling) end to end —
// alternatives proposed by the start checkpoint at expert states and their next states recorded
// (data phase), then fine-tuning on imitation + λ·world-model examples (SFT phase). From an
// imported Hugging Face model both phases read the readable prompt, and the SFT phase trains a
// LoRA adapter (train/lora-sft.ts, through the sft job's own dispatch).
import { join } from 'node:path'
import { getEnvironment } from '../envs/registry.ts'
import { resolveTasks } from '../envs/tasksets.ts'
import type { JobContext } from '../jobs/types.ts'
import { isImportedCheckpoint } from '../model/hf/checkpoint.ts'
import { writePairs } from './base.ts'
import { EarlyExperienceParams, SftConfig, type EarlyExperienceResult, type EarlyExperienceState } from '../../shared/jobs/train.ts'
import { savedJobState } from '../../shared/jobs/kinds.ts'
import { buildEarlyExperience } from './early-experience.ts'
import { runSftPhase, withCheckpointPolicy } from './sft-phase.ts'

export type { EarlyExperienceResult }

export async function run(ctx: JobContext<unknown>): Promise<EarlyExperienceResult> {
  const cfg = EarlyExperienceParams.parse(ctx.params).config
  const db = ctx.db()
  const env = getEnvironment(cfg.env)
  const state: EarlyExperienceState = { ...savedJobState('early_experience', ctx.state) }
  const save = () => ctx.saveState(state)

  if (!state.files) {
    const { tasks } = resolveTasks(db, env, cfg.tasks)
    const form = isImportedCheckpoint(db, ctx.dataDir, cfg.from) ? 'readable' : 'compact'
    const data = await withCheckpointPolicy(ctx, env, cfg.from, cfg.backend, (policy) =>
      buildEarlyExperience({
        env, tasks, policy, alternatives: cfg.alternatives, temperature: cfg.temperature, seed: cfg.seed, form, signal: ctx.signal,
        onTask: (done, total) => ctx.progress(done, total * 2, `data: ${done}/${total} expert trajectories`),
      }),
    )
    const dir = join(ctx.dataDir, 'datasets', `early-experience-job${ctx.jobId}`)
    state.files = {
      imitation: join(dir, 'imitation.jsonl'),
      world: join(dir, 'world.jsonl'),
      counts: { imitation: data.imitation.length, world: data.world.length },
    }
    writePairs(state.files.imitation, data.imitation)
    writePairs(state.files.world, data.world)
    if (data.tasksWithoutExpert.length) ctx.log(`${data.tasksWithoutExpert.length} tasks had no expert demonstration and were skipped`)
    save()
  }

  const files = state.files
  const sftConfig = SftConfig.parse({
    name: cfg.name,
    start: { checkpoint: cfg.from },
    datasets: [{ path: files.imitation, weight: 1 }, { path: files.world, weight: cfg.worldWeight }],
    seed: cfg.seed,
    ...cfg.train,
    ...(cfg.backend ? { backend: cfg.backend } : {}),
  })
  const sft = await runSftPhase(ctx, state, save, sftConfig)
  return { ...sft, imitationExamples: files.counts.imitation, worldExamples: files.counts.world }
}
