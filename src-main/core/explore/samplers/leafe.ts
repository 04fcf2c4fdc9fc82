// LEAFE's rollback tree: one episode per task holds the whole tree. A reflection (tau, e) on a
// line becomes `branchesPerEvent` branch requests at h_tau, each a branch event of its own whose
// revised action is sampled with e in the context (as text, and as a code for the compact form),
// the failed action and the siblings' revised actions masked; the requests are expanded
// breadth-first (a FIFO queue) up to `maxDepth` generations; when the queue is empty and budget
// remains, a fresh rollout starts from the tree's root.
import type { BranchRecord, PathPoint, PendingBranch } from '../types.ts'
import { replayLength, rollback } from '../rollback.ts'
import { codeForm, type Sampler } from './sampler.ts'

export const leafeSampler: Sampler = {
  name: 'leafe',
  reflects: true,
  reflectsMidLine: true,
  start: ({ config, recorder, run, openRoot, snapshots }) => {
    const countReplays = config.budgetCounts === 'env_steps'
    const queue: PendingBranch[] = []
    let treeEpisode: number | undefined
    /** The tree's root, where fresh rollouts start. */
    let root: PathPoint | undefined
    return {
      async next() {
        const b = queue.shift()
        if (b) {
          // A replayed prefix must leave room for at least the revised action.
          const replay = replayLength(b.basePath, snapshots())
          if (countReplays && run.budgetUsed + replay + 1 > config.budget) {
            recorder.branchOutcome(b.eventId, 'failure', `Not expanded: replaying ${replay} steps to tau would leave no budget for the branch.`)
            return 'skipped'
          }
          const ok = await rollback(run.session!, b.basePath, snapshots(), () => {
            run.replaySteps++
            if (countReplays) run.budgetUsed++
          }).catch((err: unknown) => {
            queue.unshift(b) // still waiting: a fault here ends the task with this branch marked
            throw err
          })
          if (!ok.ok) {
            recorder.branchOutcome(b.eventId, 'nondeterministic', ok.message)
            return 'skipped'
          }
          return {
            episodeId: treeEpisode!, path: b.basePath, generation: b.generation, sinceReflect: 0, experience: b.experience,
            avoid: [...new Set([...b.avoid, ...b.siblings])], ...(b.code ? { code: b.code } : {}), ancestors: b.ancestors, branch: b,
          }
        }
        if (run.waiting.length > 0) return 'waiting' // a person's reflection may still add branches
        // The queue ran dry with budget left: a fresh rollout from the root of the same tree.
        if (treeEpisode === undefined) {
          treeEpisode = recorder.episode(run.task, 0, 'leafe')
          run.episodeIds.push(treeEpisode)
          root = await openRoot(treeEpisode)
        } else {
          await run.session!.reset()
        }
        return { episodeId: treeEpisode, path: [root!], generation: 0, sinceReflect: 0, ancestors: [] }
      },

      codeAt: () => undefined,

      reflected(line, reflection, { tau, nodeId, failedAction, failedNodeId }) {
        const base = { episodeId: line.episodeId, nodeId, failedNodeId, tau, reflection, failedAction }
        if (line.generation + 1 > config.maxDepth) {
          recorder.branchEvent({ ...base, rollbackMode: null, outcome: 'failure', message: `Not branched: maximum depth ${config.maxDepth} reached.` })
          return
        }
        const basePath = line.path.slice(0, tau)
        const rollbackMode = basePath[basePath.length - 1]!.snapshot !== undefined ? 'snapshot' : 'replay'
        const avoid = [...new Set([...(reflection.avoid ?? []), failedAction])]
        const code = codeForm(reflection.code, config.experienceCode)
        // Only the events whose child lies on the kept prefix stay credited: a re-branch at or before
        // an event's tau replaces its a'_tau.
        const kept = line.ancestors.filter((a) => a.childAt < tau)
        const siblings: string[] = []
        for (let i = 0; i < config.branchesPerEvent; i++) {
          const eventId = recorder.branchEvent({ ...base, rollbackMode, outcome: 'pending' })
          const record: BranchRecord = { eventId, basePath, reflection, failedAction, revisedAction: null, childNodeId: null, success: false }
          run.branches.push(record)
          queue.push({
            eventId, basePath, experience: reflection.experience, ...(code ? { code } : {}), avoid, generation: line.generation + 1,
            siblings, ancestors: [...kept, { eventId, childAt: tau }], record,
          })
        }
      },

      // The tree's episode ends with its task (finish); a line's end is only credit, which the explore loop gives.
      lineEnded: () => {},

      abandon: () => queue.splice(0).map((b) => b.eventId),

      finish() {
        // Siblings the budget never reached end as failures with the reason, not as 'pending'.
        recorder.closeBranches(queue.splice(0).map((b) => b.eventId), 'Not expanded: the task ended (budget spent or solved) before this branch was tried.', 'failure')
        if (treeEpisode !== undefined) recorder.endEpisode(treeEpisode, run.solved ? 'success' : 'failure', run.budgetUsed - (countReplays ? run.replaySteps : 0))
      },
    }
  },
}
