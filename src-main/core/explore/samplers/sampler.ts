// The sampler seam: the three ways exploration spends a task's budget (LEAFE's rollback tree, and
// the IS / IR baselines it is compared with) differ only in where a task's next line comes from
// and what a reflection does; the explore loop does the rest the same way for all three.
import type { ExperienceCode } from '../../envs/types.ts'
import type { ExploreConfig } from '../../../shared/jobs/explore.ts'
import type { Recorder } from '../recording.ts'
import type { Line, PathPoint, TaskSampler, TaskState } from '../types.ts'

/** What a sampler gets from the explore loop for one task. */
export type SamplerContext = {
  config: ExploreConfig
  recorder: Recorder
  /** The explore loop's state of the task: read freely; a sampler advances only the budget a rollback spends. */
  run: TaskState
  /** Opens the task's session if need be, resets it and records the episode's root node. */
  openRoot(episodeId: number): Promise<PathPoint>
  /** Whether the task's session keeps snapshots (rollback restores one instead of replaying). */
  snapshots(): boolean
}

export type Sampler = {
  name: ExploreConfig['sampler']
  /** Whether a reflector is asked at all (IS never reflects). */
  reflects: boolean
  /** Whether a line is reflected on while it runs, every K steps, and not only when it ends in failure. */
  reflectsMidLine: boolean
  start(ctx: SamplerContext): TaskSampler
}

/** The code a context carries, in the form the run asks for: whole, without the fix, or none. */
export function codeForm(code: ExperienceCode | undefined, form: ExploreConfig['experienceCode']): ExperienceCode | undefined {
  if (!code || form === 'none') return undefined
  if (form === 'diagnosis') return { blamed: code.blamed, place: code.place }
  return code
}

/** IS / IR: a new attempt from the initial state, an episode of its own. */
export async function freshAttempt({ recorder, run, openRoot }: SamplerContext, sampler: 'is' | 'ir', experience?: string): Promise<Omit<Line, 'serial'>> {
  const episodeId = recorder.episode(run.task, run.attempts, sampler)
  run.episodeIds.push(episodeId)
  const root = await openRoot(episodeId)
  return { episodeId, path: [root], generation: 0, sinceReflect: 0, experience, ancestors: [] }
}

/** IS / IR: an attempt's end is its episode's end. */
export function endAttempt(recorder: Recorder, line: Line, success: boolean): void {
  recorder.endEpisode(line.episodeId, success ? 'success' : 'failure', line.path.length - 1)
}
