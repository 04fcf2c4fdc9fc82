// Iterative refinement (IR): attempts from scratch, one episode each, every one with the
// reflections of the attempts before it in the context as text, and — where an attempt comes to a
// state an earlier one was blamed at — that reflection's experience code.
import type { ExperienceCode } from '../../envs/types.ts'
import { codeForm, endAttempt, freshAttempt, type Sampler } from './sampler.ts'

export const irSampler: Sampler = {
  name: 'ir',
  reflects: true,
  reflectsMidLine: false,
  start: (ctx) => {
    const { config, recorder, run } = ctx
    const reflections: string[] = []
    /** The codes of earlier attempts, each with the state it was blamed at. */
    const codes: { observation: string; code: ExperienceCode }[] = []
    return {
      next: () => freshAttempt(ctx, 'ir', reflections.length ? reflections.join('\n') : undefined),
      codeAt(line) {
        if (codes.length === 0) return undefined
        const here = line.path[line.path.length - 1]!.step.observation
        return codes.findLast((c) => c.observation === here)?.code
      },
      reflected(line, reflection, { tau, nodeId, failedAction, failedNodeId }) {
        reflections.push(`Attempt ${run.attempts}, step ${tau} (${failedAction}): ${reflection.experience}`)
        const code = codeForm(reflection.code, config.experienceCode)
        if (code) codes.push({ observation: line.path[tau - 1]!.step.observation, code })
        recorder.branchEvent({
          episodeId: line.episodeId, nodeId, failedNodeId, tau, reflection, failedAction, rollbackMode: null,
          outcome: 'failure', message: 'IR: the next attempt starts from scratch with this reflection in context.',
        })
      },
      lineEnded: (line, success) => endAttempt(recorder, line, success),
      abandon: () => [],
      finish: () => {},
    }
  },
}
