// The critic: for a failed trajectory, the earliest action after which the level could no longer
// be solved, what went wrong there and what to do instead. Solvability only ever goes from yes to
// no along a trajectory (a state reached from an unsolvable one is unsolvable) and only pushes
// change it, so a binary search over the pushes finds the step with O(log pushes) solver calls;
// answers are memoised per level, since exploration asks about the same states again and again.
// A trajectory that ran out of moves on a level still solvable is blamed on its first move after
// which the level could no longer be finished within the step limit (blameWastedMove).
import type { CriticVerdict } from '../types.ts'
import { parseDirection, directionName } from './actions.ts'
import { layoutOf } from './analysis.ts'
import { Board, PUSHED, DEADLOCK } from './board.ts'
import { deadlockText } from './feedback.ts'
import { at, BOX, levelText, type Dir, type Level } from './grid.ts'
import { Solver } from './solver.ts'

/** Node budget per solvability question; beyond it the critic says it cannot decide. */
const CRITIC_MAX_NODES = 200_000
const MEMO_LIMIT = 50_000

type Probe = { step: number; boxes: number[]; player: number }

class LevelCritic {
  readonly solver: Solver
  private readonly memo = new Map<string, 'solvable' | 'unsolvable' | 'unknown'>()

  constructor(readonly level: Level) {
    this.solver = new Solver(layoutOf(level))
  }

  solvable(boxes: number[], player: number): 'solvable' | 'unsolvable' | 'unknown' {
    const key = `${player}:${boxes.join(',')}`
    let v = this.memo.get(key)
    if (v) return v
    const r = this.solver.solve(boxes, player, { mode: 'any', maxNodes: CRITIC_MAX_NODES })
    v = r.status === 'solved' ? 'solvable' : r.status === 'unsolvable' ? 'unsolvable' : 'unknown'
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear()
    this.memo.set(key, v)
    return v
  }
}

const critics = new Map<string, LevelCritic>()

function criticFor(level: Level): LevelCritic {
  const key = levelText(level)
  let c = critics.get(key)
  if (!c) {
    if (critics.size >= 256) critics.delete(critics.keys().next().value!)
    c = new LevelCritic(level)
    critics.set(key, c)
  }
  return c
}

/**
 * Judges a trajectory (actions as the agent wrote them; invalid ones change nothing) on a level.
 * `maxSteps` is only used to explain a trajectory that ran out of moves.
 */
export function diagnose(level: Level, actions: readonly string[], maxSteps?: number): CriticVerdict {
  const critic = criticFor(level)
  const board = new Board(level)
  const probes: Probe[] = [{ step: 0, boxes: board.boxes(), player: board.player }]
  const deadlockAt = new Map<number, string>()
  for (let i = 0; i < actions.length; i++) {
    const d = parseDirection(actions[i]!)
    if (d === -1) continue
    const r = board.step(d)
    if (r & PUSHED) probes.push({ step: i + 1, boxes: board.boxes(), player: board.player })
    if (r & DEADLOCK) deadlockAt.set(i + 1, deadlockText(board))
    if (board.solved) return { reflection: null, reason: `The trajectory solved the level at step ${i + 1}; nothing to correct.` }
  }
  const last = probes[probes.length - 1]!
  const final = critic.solvable(last.boxes, last.player)
  if (final === 'unknown') {
    return { reflection: null, reason: `The solver could not decide within ${CRITIC_MAX_NODES} states whether the level is still solvable at the end; no step is blamed.` }
  }
  if (final === 'solvable') {
    const ranOut = maxSteps !== undefined && actions.length >= maxSteps
    const wasted = ranOut ? blameWastedMove(critic, level, actions, maxSteps) : null
    if (wasted) return wasted
    // From the final state: the player may have walked on after the last push.
    const rest = critic.solver.solve(board.boxes(), board.player, { mode: 'moves', maxNodes: CRITIC_MAX_NODES })
    const need = rest.status === 'solved' ? ` in ${rest.actions.length} more moves` : ''
    const ran = ranOut ? `it ran out of moves (limit ${maxSteps})` : `it stopped after ${actions.length} moves`
    return { reflection: null, reason: `No step is to blame: the level is still solvable from the last state${need}; ${ran}.` }
  }
  if (critic.solvable(probes[0]!.boxes, probes[0]!.player) !== 'solvable') {
    return { reflection: null, reason: 'The level cannot be solved (or not decided) from its start; no step is to blame.' }
  }
  // Invariant: probes[lo] solvable, probes[hi] unsolvable.
  let lo = 0
  let hi = probes.length - 1
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    const p = probes[mid]!
    if (critic.solvable(p.boxes, p.player) === 'unsolvable') hi = mid
    else lo = mid
  }
  const before = probes[hi - 1]!
  const tau = probes[hi]!.step
  // Replay to the state before the faulty push to describe it and what the solver would do there.
  const replay = new Board(level)
  for (let i = 0; i < tau - 1; i++) {
    const d = parseDirection(actions[i]!)
    if (d !== -1) replay.step(d)
  }
  const faulty = parseDirection(actions[tau - 1]!) as Dir
  const w = level.width
  const boxFrom = replay.player + replay.layout.deltas[faulty]!
  const boxTo = boxFrom + replay.layout.deltas[faulty]!
  const name = directionName(faulty)
  const why = deadlockAt.get(tau)
    ? deadlockAt.get(tau)!.replace(/^Deadlock: /, '').replace(/\. The level can no longer be solved\.$/, '')
    : 'the boxes can no longer all be brought onto goals (no sequence of pushes solves the level from there)'
  const instead = advice(critic, replay, before)
  const experience =
    `At step ${tau}, pushing the box at ${at(boxFrom, w)} ${name} to ${at(boxTo, w)} lost the level: ${why}. ` +
    `Do not push it ${name} there; ${instead.text}`
  return {
    reflection: { rollbackStep: tau, experience, avoid: [name], source: 'critic', code: { blamed: name, place: cellPlace(replay.player, w), ...(instead.first ? { fix: instead.first } : {}) } },
    reason: `The level became unsolvable at step ${tau}.`,
  }
}

/**
 * A trajectory that ran out of moves on a level it could still solve: the earliest move after
 * which the level could no longer be finished within the limit. f(i) = i + (fewest moves from the
 * state after i moves) never decreases along a trajectory (one move lowers the distance by at most
 * one), so a binary search finds the first i with f(i) > limit. Null when even the start cannot
 * be finished in time, or the solver cannot decide.
 */
function blameWastedMove(critic: LevelCritic, level: Level, actions: readonly string[], maxSteps: number): CriticVerdict | null {
  const board = new Board(level)
  const states: { boxes: number[]; player: number }[] = [{ boxes: board.boxes(), player: board.player }]
  for (const a of actions) {
    const d = parseDirection(a)
    if (d !== -1) board.step(d)
    states.push({ boxes: board.boxes(), player: board.player })
  }
  // Per state: f, and the first move of a shortest solution from it (for the advice).
  const memo = new Map<number, { f: number | null; next: Dir | undefined }>()
  const solve = (i: number) => {
    let v = memo.get(i)
    if (!v) {
      const r = critic.solver.solve(states[i]!.boxes, states[i]!.player, { mode: 'moves', maxNodes: CRITIC_MAX_NODES })
      v = r.status === 'solved' ? { f: i + r.actions.length, next: r.actions[0] } : { f: r.status === 'unsolvable' ? Infinity : null, next: undefined }
      memo.set(i, v)
    }
    return v
  }
  const f = (i: number): number | null => solve(i).f
  const start = f(0)
  const end = f(states.length - 1)
  if (start === null || end === null || start > maxSteps || end <= maxSteps) return null
  // Invariant: f(lo) ≤ limit < f(hi).
  let lo = 0
  let hi = states.length - 1
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    const v = f(mid)
    if (v === null) return null
    if (v > maxSteps) hi = mid
    else lo = mid
  }
  const tau = hi
  const name = actions[tau - 1]!
  const d = parseDirection(name)
  const label = d === -1 ? `"${name}"` : directionName(d)
  const need = (f(tau) as number) - tau
  // f(tau − 1) was computed by the search (it is lo), so its shortest solution is at hand.
  const first = solve(tau - 1).next
  const next = first === undefined ? null : directionName(first)
  const experience =
    `At step ${tau}, ${d === -1 ? `the invalid action ${label}` : `moving ${label}`} wasted a move the level could not spare: from there it needs ${need} more moves, ` +
    `but only ${maxSteps - tau} were left within the limit of ${maxSteps}.` +
    (next ? ` The shortest solution from the state before it starts with ${next}.` : '')
  const code = d === -1 ? undefined : { blamed: label, place: cellPlace(states[tau - 1]!.player, level.width), ...(next ? { fix: next } : {}) }
  return {
    reflection: { rollbackStep: tau, experience, avoid: d === -1 ? [] : [label], source: 'critic', ...(code ? { code } : {}) },
    reason: `From step ${tau} on the level could no longer be finished within ${maxSteps} moves.`,
  }
}

/** The player's cell as an experience code's place: "row,column" of the drawn grid. */
export const cellPlace = (cell: number, width: number): string => `${Math.floor(cell / width)},${cell % width}`

/** What to do instead at the state before the faulty push: the solver's next push from there, and its first move. */
function advice(critic: LevelCritic, board: Board, before: Probe): { text: string; first?: string } {
  const plan = critic.solver.solve(before.boxes, board.player, { mode: 'moves', maxNodes: CRITIC_MAX_NODES })
  if (plan.status !== 'solved' || plan.actions.length === 0) return { text: 'choose another move.' }
  const w = board.width
  const probe = new Board(board.toLevel())
  const deltas = probe.layout.deltas
  let i = 0
  for (; i < plan.actions.length; i++) {
    const d = plan.actions[i]!
    if (probe.cells[probe.player + deltas[d]!]! & BOX) break
    probe.step(d)
  }
  const pushDir = plan.actions[i]!
  const box = probe.player + deltas[pushDir]!
  const walkTo = i > 0 ? `walk to ${at(probe.player, w)} and ` : ''
  // The faulty move and the plan's first move differ: from one state they lead to different outcomes.
  const first = directionName(plan.actions[0]!)
  return { text: `instead ${walkTo}push the box at ${at(box, w)} ${directionName(pushDir)} first. Next move: ${first}.`, first }
}
