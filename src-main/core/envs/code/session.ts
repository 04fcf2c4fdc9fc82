// A coding episode: each step is a whole program, graded against the visible and hidden tests.
import { DEFAULT_MAX_TURNS, SubmissionSession, type Verdict } from '../submissions.ts'
import { grade } from './grade.ts'
import { extractProgram } from './renderer.ts'
import type { CodeTaskMeta } from './tasks.ts'

export function codeSession(meta: CodeTaskMeta): SubmissionSession {
  const judge = async (action: string): Promise<Verdict> => {
    const program = extractProgram(action, meta.lang)
    if (!program.trim()) {
      return { valid: false, accepted: false, summary: 'no program', feedback: 'No program was found in the answer: reply with the complete program in one code block.' }
    }
    const g = await grade(meta, program)
    return { valid: true, accepted: g.accepted, summary: g.summary, feedback: g.feedback }
  }
  return new SubmissionSession(judge, meta.maxTurns ?? DEFAULT_MAX_TURNS)
}
