// The Sokoban environment (id `sokoban`): generated tasks by preset and split, imported levels,
// sessions, the solver as expert, the critic.
import { EngineError } from '../../errors.ts'
import { builtinEnvironment } from '../builtin.ts'
import type { Task } from '../types.ts'
import { diagnose } from './critic.ts'
import { layoutOf } from './analysis.ts'
import { DIRECTIONS, LevelError, parseLevelText, type Level } from './grid.ts'
import { directionName, parseDirection } from './actions.ts'
import { sokobanRenderer } from './renderer.ts'
import { SokobanSession, type SokobanSettings } from './session.ts'
import { Solver } from './solver.ts'
import { generatedTask, generatedTasks, resolveParams } from './tasks.ts'
import type { GeneratedSplit } from '../splits.ts'
import { Board } from './board.ts'

/** The level and settings of a task: from its stored text when there is one, else regenerated from its seed. */
export function taskLevel(task: Task): { level: Level; settings: SokobanSettings } {
  const meta = task.meta ?? {}
  let text = typeof meta.level === 'string' ? meta.level : undefined
  const fromMeta = { maxSteps: meta.maxSteps, endOnDeadlock: meta.endOnDeadlock }
  if (text === undefined) {
    const p = resolveParams({ preset: meta.preset, ...pick(meta, ['width', 'height', 'boxes', 'maxSteps', 'endOnDeadlock']) })
    text = generatedTask(p, task.split as GeneratedSplit, task.seed).meta!.level as string
    fromMeta.maxSteps = p.maxSteps
    fromMeta.endOnDeadlock = p.endOnDeadlock
  }
  let level: Level
  try {
    level = parseLevelText(text)
  } catch (err) {
    if (err instanceof LevelError) throw new EngineError('bad_request', `Task ${task.id}: its level is broken (${err.message}).`)
    throw err
  }
  return {
    level,
    settings: {
      maxSteps: typeof fromMeta.maxSteps === 'number' ? fromMeta.maxSteps : 120,
      endOnDeadlock: fromMeta.endOnDeadlock === true,
    },
  }
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]))
}

/** The solver's moves from the board `actions` lead to (unknown actions change nothing, as in a session). */
function solveFrom(task: Task, actions: readonly string[]): string[] | null {
  const { level } = taskLevel(task)
  const board = new Board(level)
  for (const a of actions) {
    const d = parseDirection(a)
    if (d !== -1) board.step(d)
  }
  const r = new Solver(layoutOf(level)).solve(board.boxes(), board.player, { mode: 'moves' })
  return r.status === 'solved' ? r.actions.map(directionName) : null
}

export const sokoban = builtinEnvironment<SokobanSession>({
  id: 'sokoban',
  label: 'Sokoban',
  actionSpace: [...DIRECTIONS],
  renderer: sokobanRenderer,
  reflectionGuidance:
    'In Sokoban a push that leaves a box in a deadlock (a corner, or along a wall where no goal is) loses the level however well the moves after it are played: blame that push, not the later moves. Walking into walls changes nothing and wastes steps.',

  seededSplits: true,
  tasks(split, count, seed, params) {
    return generatedTasks(split, count, seed, params)
  },

  openSync(task) {
    const { level, settings } = taskLevel(task)
    return new SokobanSession(level, settings)
  },

  async expert(task) {
    return solveFrom(task, [])
  },

  async expertFrom(task, actions) {
    return solveFrom(task, actions)
  },

  diagnose(task, actions) {
    const { level, settings } = taskLevel(task)
    return diagnose(level, actions, settings.maxSteps)
  },
})
