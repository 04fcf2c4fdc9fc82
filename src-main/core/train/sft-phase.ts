// What jobs that make their own training data share: the data comes from a checkpoint's policy
// (opened for the data phase only: the byte-level model's, or HfPolicy for an imported one), and the SFT phase that follows resumes from its own saved
// state inside the job's, with the job's progress bar running on from the data phase's half.
import type { Environment } from '../envs/types.ts'
import { phaseContext } from '../jobs/phases.ts'
import type { JobContext } from '../jobs/types.ts'
import { backendPreference } from '../model/backend.ts'
import { getCheckpoint } from '../model/checkpoint.ts'
import { isHfConfig } from '../../shared/hf-checkpoint-config.ts'
import { openHfPolicy } from '../policies/factory.ts'
import { LocalPolicy } from '../policies/local.ts'
import type { Policy } from '../policies/types.ts'
import { readSettings } from '../settings.ts'
import type { SftConfig } from '../../shared/jobs/train.ts'
import { savedJobState } from '../../shared/jobs/kinds.ts'
import { run as runSft, type SftResult, type SftState } from './sft.ts'

/** Runs `body` with the checkpoint's local policy and closes it afterwards, whatever happens. */
export async function withCheckpointPolicy<T>(ctx: JobContext<unknown>, env: Environment, from: number, backend: SftConfig['backend'], body: (policy: Policy) => Promise<T>): Promise<T> {
  const db = ctx.db()
  const ck = getCheckpoint(db, ctx.dataDir, from)
  const policy = isHfConfig(ck.config)
    ? await openHfPolicy(db, ctx.dataDir, from, env, backendPreference(backend, readSettings(db).tfBackend))
    : await LocalPolicy.open(`checkpoint:${from}`, env, { checkpointPath: ck.path }, backend ? { backend } : {})
  try {
    return await body(policy)
  } finally {
    await policy.close?.()
  }
}

/** The SFT phase of such a job: its state lives in `state.sft`, its progress in the second half of the bar. */
export function runSftPhase(ctx: JobContext<unknown>, state: { sft?: SftState | null }, save: () => void, config: SftConfig): Promise<SftResult> {
  return runSft(
    phaseContext(ctx, {
      params: { config },
      state: state.sft ?? null,
      saveState: (s) => ((state.sft = savedJobState('sft', s)), save()),
      progress: (done, total, message) => ctx.progress(total ? total + done : done, total ? total * 2 : null, `sft: ${message ?? ''}`),
    }),
  )
}
