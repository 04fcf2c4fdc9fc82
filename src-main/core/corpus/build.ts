// The corpus builders (LEAFE Stage 2's training data):
//   D_cf  — per branch event, (h_tau rendered WITHOUT the experience, a'_tau): recovery becomes
//           intrinsic because the model never sees e in its input.
//   D_reh — (h_t, a_t) from a share of successful trajectories, against forgetting.
// Prompts are stored in the readable form (what people and served-LLM trainers read) with the
// compact form alongside in meta, for the local model.
import type { Context, Environment } from '../envs/types.ts'
import type { PathPoint, TaskOutcome } from '../explore/types.ts'
import { deriveSeed, rng } from '../random.ts'
import type { NewCorpusItem } from './curation.ts'
import { pair } from './pair.ts'

export type BuildOptions = { runId: number; seed: number; onlySucceeded: boolean; maxEventsPerTask: number; rehearsalShare: number }

/** The history h at the end of a path, with no experience and no mask: what the trained model will see. */
export function historyContext(outcome: Pick<TaskOutcome, 'task'>, path: PathPoint[]): Context {
  return { task: outcome.task, initial: path[0]!.step, history: path.slice(1).map((p) => ({ action: p.action!, step: p.step })) }
}

export function buildCorpusItems(outcome: TaskOutcome, env: Environment, opts: BuildOptions): NewCorpusItem[] {
  const items: NewCorpusItem[] = []
  const cf = outcome.branches.filter((b) => b.revisedAction !== null && b.childNodeId !== null && (!opts.onlySucceeded || b.success)).slice(0, opts.maxEventsPerTask)
  for (const b of cf) {
    const p = pair(env, historyContext(outcome, b.basePath), b.revisedAction!)
    items.push({
      kind: 'cf',
      env: env.id,
      taskKey: outcome.task.id,
      prompt: p.prompt,
      target: p.target,
      experience: b.reflection.experience,
      failedAction: b.failedAction,
      source: b.reflection.source,
      sourceRunId: opts.runId,
      sourceNodeId: b.childNodeId,
      branchEventId: b.eventId,
      meta: { system: p.system, compact: p.compact, tau: b.basePath.length, avoid: b.reflection.avoid ?? [], branchSucceeded: b.success },
    })
  }
  const next = rng(deriveSeed(opts.seed, outcome.task.id, 'rehearsal'))
  for (const traj of outcome.trajectories) {
    if (!traj.success || next() >= opts.rehearsalShare) continue
    for (let t = 1; t < traj.path.length; t++) {
      const p = pair(env, historyContext(outcome, traj.path.slice(0, t)), traj.path[t]!.action!)
      items.push({
        kind: 'reh',
        env: env.id,
        taskKey: outcome.task.id,
        prompt: p.prompt,
        target: p.target,
        experience: null,
        failedAction: null,
        source: 'rollout',
        sourceRunId: opts.runId,
        sourceNodeId: traj.path[t]!.nodeId,
        branchEventId: null,
        meta: { system: p.system, compact: p.compact, step: t },
      })
    }
  }
  return items
}
