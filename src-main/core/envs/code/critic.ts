// A critic for failed coding episodes, grounded in the feedback the agent itself saw (visible
// tests and errors only — hidden tests are never quoted). Every step is a whole program, so the
// turn to redo is where progress stopped: right after the best submission, or the first one when
// no submission did better than another.
import type { Reflection, Step, Task } from '../types.ts'
import { grade, type Grade } from './grade.ts'
import { extractProgram } from './renderer.ts'
import { codeMeta } from './tasks.ts'

export async function codeCritic(task: Task, actions: string[], steps: Step[]): Promise<Reflection | null> {
  if (!actions.length || steps.at(-1)?.success) return null
  const meta = codeMeta(task)
  const programs = actions.map((a) => extractProgram(a, meta.lang))
  const grades: (Grade | null)[] = []
  for (const p of programs) grades.push(p.trim() ? await grade(meta, p) : null)
  const score = (g: Grade | null) => (g ? g.visiblePassed + (g.run.outcome === 'ran' ? 0.5 : 0) : -1)
  const scores = grades.map(score)
  const best = scores.indexOf(Math.max(...scores))
  const flat = scores.every((s) => s === scores[0])
  // 0-based index of the submission to replace.
  const redo = flat ? 0 : best < scores.length - 1 ? best + 1 : scores.length - 1
  const g = grades[redo] ?? null
  const n = redo + 1
  return {
    rollbackStep: n,
    experience: experience(n, g, meta.visible.length),
    avoid: programs[redo]!.trim() ? [programs[redo]!] : [],
    source: 'critic',
  }
}

function experience(n: number, g: Grade | null, visibleCount: number): string {
  if (!g) return `Submission ${n} contained no program: answer with the complete program in one code block.`
  const run = g.run
  switch (run.outcome) {
    case 'compile_error':
      return `Submission ${n} did not compile (${run.message}). Fix the syntax before anything else.`
    case 'load_error':
      return `Submission ${n} failed while loading (${run.message}). Define the function without running code at import time.`
    case 'no_entry':
      return `${run.message} Name the function exactly as the task says.`
    case 'timeout':
      return `Submission ${n} was too slow (${g.summary}). Use a faster algorithm and make sure every loop ends.`
    case 'memory':
      return `Submission ${n} used too much memory. Avoid building huge intermediate structures.`
    case 'ran':
      break
    default:
      return `Submission ${n} stopped early (${g.summary}). ${run.message}`
  }
  const failing = g.visible.find((r) => !r.ok)
  if (!failing) {
    return `Submission ${n} passed all ${visibleCount} visible tests but failed hidden ones. Handle the edge cases the examples do not show: empty input, one item, negative numbers, ties.`
  }
  const what = failing.error ? `raised ${failing.error}` : `returned ${failing.actual} instead of ${failing.expected}`
  return `Submission ${n} passed ${g.visiblePassed} of ${visibleCount} visible tests; on ${failing.input} it ${what}. Fix that case without breaking the ones that pass.`
}
