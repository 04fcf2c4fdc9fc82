// Rollback: reaching the state at tau again, to branch from it. The paper's way resets the
// environment and replays a_1..a_{tau-1}, checking that each observation is the stored one (a
// branch of an environment that does not replay deterministically would start from a state
// nobody saw); a session with snapshots can restore the state instead, for no steps.
import type { EnvSession } from '../envs/types.ts'
import type { ExploreConfig } from '../../shared/jobs/explore.ts'
import type { PathPoint } from './types.ts'

export type RollbackResult = { ok: true } | { ok: false; message: string }

/** Whether states are kept as snapshots: the session has them and the run does not insist on replay. */
export function usesSnapshots(session: EnvSession, mode: ExploreConfig['rollback']): boolean {
  return mode !== 'replay' && typeof session.snapshot === 'function' && typeof session.restore === 'function'
}

/** Environment steps a rollback to the end of basePath takes: none from a snapshot, else the replayed prefix. */
export function replayLength(basePath: PathPoint[], snapshots: boolean): number {
  return basePath[basePath.length - 1]!.snapshot !== undefined && snapshots ? 0 : basePath.length - 1
}

/**
 * Brings the session to the state at the end of basePath: restores its snapshot, or resets and
 * replays the path's actions, calling onReplayStep for each step taken (before it is checked, so
 * that a step that fails the check is counted too).
 */
export async function rollback(session: EnvSession, basePath: PathPoint[], snapshots: boolean, onReplayStep: () => void): Promise<RollbackResult> {
  const target = basePath[basePath.length - 1]!
  if (target.snapshot !== undefined && snapshots) {
    await session.restore!(target.snapshot)
    return { ok: true }
  }
  const first = await session.reset()
  if (first.observation !== basePath[0]!.step.observation) {
    return { ok: false, message: 'Non-deterministic environment: reset gave a different initial observation than the stored root; branch skipped.' }
  }
  for (let i = 1; i < basePath.length; i++) {
    const p = basePath[i]!
    const got = await session.step(p.action!)
    onReplayStep()
    if (got.observation !== p.step.observation) {
      return {
        ok: false,
        message: `Non-deterministic environment: replaying a_1..a_${i} gave a different observation at step ${i} than the stored one; branch skipped.`,
      }
    }
  }
  return { ok: true }
}
