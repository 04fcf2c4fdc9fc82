// The household critic. Nothing in the house is irreversible, so a task is lost only to the step
// limit: a step is to blame when it wasted a move — the planner's distance to the goal did not
// shrink (failed commands, looking around, going somewhere useless, taking the wrong thing). The
// earliest such step is blamed when the trajectory can no longer finish in time; after it, the
// task could no longer be done in the fewest moves. The experience names what went wrong there,
// in the feedback's words, and the planner's next commands.
import type { CriticVerdict } from '../types.ts'
import { plan } from './planner.ts'
import { normalise, type World, type WorldSnapshot } from './world.ts'

export function diagnoseHousehold(world: World, actions: readonly string[], maxSteps: number): CriticVerdict {
  const start = world.snapshot()
  try {
    return judge(world, start, actions, maxSteps)
  } finally {
    world.restore(start)
  }
}

function judge(world: World, start: WorldSnapshot, actions: readonly string[], maxSteps: number): CriticVerdict {
  const states: WorldSnapshot[] = [start]
  const feedback: string[] = []
  const ok: boolean[] = []
  for (let i = 0; i < actions.length; i++) {
    const r = world.step(actions[i]!)
    states.push(world.snapshot())
    feedback.push(r.feedback)
    ok.push(r.ok)
    if (r.ok && world.isGoal()) return { reflection: null, reason: `The trajectory completed the task at step ${i + 1}; nothing to correct.` }
  }
  const memo = new Map<number, number | null>()
  const distance = (t: number): number | null => {
    if (!memo.has(t)) {
      world.restore(states[t]!)
      memo.set(t, plan(world)?.length ?? null)
    }
    return memo.get(t)!
  }
  const d0 = distance(0)
  if (d0 === null) return { reflection: null, reason: 'The planner finds no way to complete this task from its start; no step is to blame.' }
  const T = actions.length
  const dT = distance(T)
  if (dT !== null && T + dT <= maxSteps) {
    return { reflection: null, reason: `No step is to blame yet: the task is ${dT} command${dT === 1 ? '' : 's'} away and ${maxSteps - T} of ${maxSteps} remain.` }
  }
  let prev = d0
  for (let t = 1; t <= T; t++) {
    // A failed command changes nothing, so it wastes its step without any planning.
    const d = ok[t - 1] ? distance(t) : prev
    if (d === null || d >= prev) return blame(world, states, actions, feedback, ok, t)
    prev = d
  }
  return { reflection: null, reason: `No step is to blame: every command brought the goal closer, but the task needs ${d0} commands and the limit is ${maxSteps}.` }
}

function blame(world: World, states: WorldSnapshot[], actions: readonly string[], feedback: string[], ok: boolean[], t: number): CriticVerdict {
  const action = actions[t - 1]!
  const said = feedback[t - 1]!.trim().replace(/\.$/, '')
  const what = ok[t - 1] ? `"${normalise(action)}" did not bring the goal closer (${said})` : `"${normalise(action)}" failed: ${said.replace(/^Nothing happens\. /, '')}`
  world.restore(states[t - 1]!)
  const expert = plan(world) ?? []
  const then = expert.slice(1, 4)
  const more = expert.length - 1 - then.length
  const instead = expert.length
    ? ` Instead, ${expert[0]}${then.length ? `; then ${then.join(', ')}${more > 0 ? ` and ${more} more` : ''}` : ''}.`
    : ''
  // Where: the room and the spot in it, as the compact prompt's R: and A: fields name them.
  const place = `${world.roomName[world.room]}/${world.at < 0 ? '-' : world.recName[world.at]}`
  const code = { blamed: normalise(action), place, ...(expert.length ? { fix: expert[0]! } : {}) }
  return {
    reflection: { rollbackStep: t, experience: `At step ${t}, ${what}.${instead}`, avoid: [normalise(action)], source: 'critic', code },
    reason: `Step ${t} wasted a move, and the task could no longer be finished within the step limit.`,
  }
}
