// `leafe env play`: one episode in the terminal. Reads one command per line from stdin, so a
// person can play and a test (or a script) can drive it through a pipe.
import { createInterface } from 'node:readline'
import type { EnvSession, Environment, Step, Task } from '../core/envs/types.ts'

type Playable = EnvSession & { snapshot(): unknown; restore(s: unknown): Promise<void>; hint?(): string | null; validActions?(): string[] | undefined }

const HELP = 'Commands besides actions: undo, reset, hint, actions, help, quit.'

export async function play(env: Environment, task: Task, out: (line: string) => void = (l) => console.log(l)): Promise<number> {
  const session = (await env.open(task)) as Playable
  if (typeof session.snapshot !== 'function' || typeof session.restore !== 'function') throw new Error(`${env.id} sessions cannot be undone.`)
  // The task's step limit, where it states one (Sokoban's and the household's tasks do).
  const limit = task.meta?.maxSteps
  out(`${env.label} · task ${task.id} (${task.split}, seed ${task.seed})`)
  out(task.instruction)
  out(HELP)
  let step = await session.reset()
  out('')
  out(step.feedback)
  out(step.observation)
  let actions: string[] = []
  let steps: Step[] = []
  const history: unknown[] = []
  const rl = createInterface({ input: process.stdin, terminal: false })
  const prompt = () => process.stdout.isTTY && process.stdout.write('> ')
  prompt()
  for await (const raw of rl) {
    const line = raw.trim()
    // Piped input is not echoed by a terminal: show it, so the transcript reads like a game.
    if (!process.stdin.isTTY && line) out(`> ${line}`)
    const word = line.toLowerCase()
    if (word === 'quit' || word === 'exit' || word === 'q') break
    if (word === '') {
      prompt()
      continue
    }
    if (word === 'help' || word === '?') out(`${HELP}${env.actionSpace ? ` Actions: ${env.actionSpace.join(', ')}.` : ''}`)
    else if (word === 'actions') out((session.validActions?.() ?? env.actionSpace ?? []).join('\n') || 'This environment does not list its actions.')
    else if (word === 'hint') out(session.hint ? `Hint: ${session.hint() ?? 'no way to the goal from here.'}` : 'No hints for this environment.')
    else if (word === 'reset') {
      step = await session.reset()
      actions = []
      steps = []
      history.length = 0
      out(step.feedback)
      out(step.observation)
    } else if (word === 'undo') {
      const previous = history.pop()
      if (previous === undefined) out('Nothing to undo.')
      else {
        await session.restore(previous)
        actions.pop()
        steps.pop()
        out(`Undone; back to move ${actions.length}.`)
        out(steps.length ? steps[steps.length - 1]!.observation : step.observation)
      }
    } else {
      history.push(session.snapshot())
      const before = steps.length ? steps[steps.length - 1]! : null
      const result = await session.step(line)
      if (before?.done) history.pop()
      else {
        actions.push(line)
        steps.push(result)
      }
      out(result.feedback)
      out(result.observation)
      if (!result.done && typeof limit === 'number') out(`(${limit - actions.length} of ${limit} moves left)`)
      if (result.done && !before?.done) await finish(env, task, actions, steps, result, out)
    }
    prompt()
  }
  rl.close()
  await session.close()
  return 0
}

async function finish(env: Environment, task: Task, actions: string[], steps: Step[], last: Step, out: (line: string) => void): Promise<void> {
  if (last.success) {
    out(`Done in ${actions.length} move${actions.length === 1 ? '' : 's'}.`)
    return
  }
  out(`The episode ended without success after ${actions.length} moves.`)
  const verdict = env.diagnose ? await env.diagnose(task, actions, steps) : null
  if (verdict?.reflection) out(`Critic (step ${verdict.reflection.rollbackStep}): ${verdict.reflection.experience}`)
  else if (verdict) out(`Critic: ${verdict.reason}`)
  out('Type undo or reset to go on, quit to leave.')
}
