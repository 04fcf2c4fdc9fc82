// An AgentGym-style environment server as an Environment: tasks are the server's data indices
// (a seeded sample of a split's range), sessions talk HTTP (session.ts), and the prompts are the
// transcript a served model reads. There is no compact form: no local byte-level model is
// trained on these worlds, so both forms are the readable one.
import { Random } from '../../random.ts'
import type { Context, Environment, PromptRenderer, Task } from '../types.ts'
import type { RemoteEnvRecord } from '../../../shared/remote-env-config.ts'
import { RemoteSession } from './session.ts'

/** Steps of history the prompt shows in full; earlier ones are counted. */
const HISTORY = 12

export function remoteEnvironment(server: RemoteEnvRecord): Environment {
  const p = server.profile
  return {
    id: server.name,
    label: `${p.label} at ${server.baseUrl}`,
    renderer: remoteRenderer(p.system),
    ...(p.reflectionGuidance ? { reflectionGuidance: p.reflectionGuidance } : {}),

    tasks(split, count, seed): Task[] {
      const range = server.splits[split]
      if (!range) throw new Error(`Remote environment ${server.name} has no split "${split}" (it has: ${Object.keys(server.splits).join(', ')}).`)
      const [from, to] = range
      const size = to - from
      if (count > size) throw new Error(`Split "${split}" of ${server.name} holds ${size} tasks ([${from}, ${to})); asked for ${count}.`)
      return sampleIndices(from, to, count, seed).map((index) => ({
        env: server.name,
        id: `${server.name}/${split}/${index}`,
        split,
        seed: index,
        instruction: `${p.label}, task ${index} (the first observation states the goal)`,
        meta: { index },
      }))
    },

    async open(task) {
      const index = task.meta?.index
      if (typeof index !== 'number') throw new Error(`Task ${task.id} has no server index (meta.index).`)
      return RemoteSession.open(server, index)
    },
  }
}

/** `count` distinct indices of [from, to), seeded, in ascending order; the whole range when count covers it. */
function sampleIndices(from: number, to: number, count: number, seed: number): number[] {
  const size = to - from
  if (count === size) return Array.from({ length: size }, (_, i) => from + i)
  // Floyd's algorithm: count draws, no matter how large the range.
  const r = new Random(seed)
  const chosen = new Set<number>()
  for (let j = size - count; j < size; j++) {
    const t = r.int(j + 1)
    chosen.add(chosen.has(t) ? j : t)
  }
  return [...chosen].sort((a, b) => a - b).map((i) => from + i)
}

export function remoteRenderer(system: string): PromptRenderer {
  return {
    system: () => system,

    render(ctx: Context): string {
      const lines = [ctx.initial.observation, '']
      const shown = ctx.history.slice(-HISTORY)
      const first = ctx.history.length - shown.length
      if (first > 0) lines.push(`(${first} earlier action${first === 1 ? '' : 's'} not shown)`)
      shown.forEach((h, i) => lines.push(`${first + i + 1}. Action: ${h.action}`, h.step.feedback, ''))
      if (ctx.experience) lines.push(`Experience from an earlier attempt: ${ctx.experience}`, '')
      if (ctx.avoid?.length) lines.push(`Do not choose: ${ctx.avoid.join('; ')}.`, '')
      if (ctx.validActions?.length) lines.push(`Available actions: ${ctx.validActions.join(', ')}`, '')
      lines.push('Your next action:')
      return lines.join('\n')
    },

    formatAction: (action: string) => action.trim(),

    /** "Thought: … Action: go to fridge 1" (AgentGym's ReAct form, the action on the same or the next line), else the last line. */
    parseAction(text: string): string {
      const cleaned = text.replace(/<\/s>\s*$/, '')
      const m = /action\s*:\s*([^\n]*)(?:\n\s*([^\n]+))?[^]*$/i.exec(lastMarker(cleaned))
      const picked = m ? (m[1]!.trim() || m[2]?.trim() || '') : lastLine(cleaned)
      return picked.replace(/^["'`]+|["'`]+$/g, '').trim()
    },
  }
}

/** From the last "Action:" on, so that an action named in the reasoning is not taken. */
function lastMarker(text: string): string {
  const i = text.toLowerCase().lastIndexOf('action:')
  return i >= 0 ? text.slice(i) : ''
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean)
  return lines[lines.length - 1] ?? ''
}
