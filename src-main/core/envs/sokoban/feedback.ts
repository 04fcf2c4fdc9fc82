// Feedback in words an agent can act on, made from the board's result bits after the fact, so
// the core step stays allocation-free and only callers that want text pay for it.
import { at, type Dir } from './grid.ts'
import { BOX_AGAINST_BOX, BOX_AGAINST_WALL, BUMPED_WALL, DEADLOCK, OFF_GOAL, ONTO_GOAL, PUSHED, SOLVED, type Board } from './board.ts'
import { directionName } from './actions.ts'

const WHERE: Record<string, string> = { up: 'above you', down: 'below you', left: 'to your left', right: 'to your right' }

export function moveFeedback(board: Board, dir: Dir, result: number): string {
  const w = board.width
  const name = directionName(dir)
  if (result & BUMPED_WALL) return `Blocked: there is a wall ${WHERE[name]}. Nothing moved.`
  if (result & (BOX_AGAINST_WALL | BOX_AGAINST_BOX)) {
    const behind = result & BOX_AGAINST_WALL ? 'a wall' : 'another box'
    return `The box at ${at(board.lastBox, w)} cannot move ${name}: there is ${behind} behind it. Nothing moved.`
  }
  if (!(result & PUSHED)) return `You moved ${name} to ${at(board.player, w)}.`
  let text = `You pushed the box from ${at(board.player, w)} ${name} to ${at(board.lastBox, w)}.`
  const tally = `${board.boxesOnGoal} of ${board.boxCount} box${board.boxCount === 1 ? '' : 'es'} on goals`
  if (result & ONTO_GOAL) text += ` It is on a goal now (${tally}).`
  else if (result & OFF_GOAL) text += ` It left its goal (${tally}).`
  if (result & SOLVED) text += ' Every box is on a goal: the level is solved!'
  if (result & DEADLOCK) text += ` ${deadlockText(board)}`
  return text
}

/** Names the deadlock that lost the level: its kind and the boxes, by position. */
export function deadlockText(board: Board): string {
  const dl = board.deadlock
  if (!dl) return ''
  const w = board.width
  const box = at(dl.boxes[0]!, w)
  switch (dl.kind) {
    case 'corner':
      return `Deadlock: the box at ${box} is in a corner that is not a goal and can never be moved out. The level can no longer be solved.`
    case 'wall':
      return `Deadlock: the box at ${box} is against a wall along which it can never reach a goal. The level can no longer be solved.`
    case 'frozen': {
      const others = dl.boxes.slice(1).map((b) => at(b, w))
      const with_ = others.length ? ` together with the box${others.length > 1 ? 'es' : ''} at ${others.join(', ')}` : ''
      return `Deadlock: the box at ${box} is frozen${with_} — blocked by walls and boxes so that none can ever move — and it is not on a goal. The level can no longer be solved.`
    }
  }
}
