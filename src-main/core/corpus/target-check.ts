// Is a target an action the environment accepts at its state? A manual correction or an edited
// target becomes the assistant turn of a training example, so "jump" in Sokoban must never be
// stored as accepted. The judge is the environment itself: its renderer's parser reads the text,
// and a session replayed to the state says whether the action is admissible there (its
// validActions, else whether the step is valid). Items stored before this check, or edited in
// bulk, are checked without a state (parser + fixed action space) when they are read, so the
// Corpus view can flag them and the training files and exports can leave them out.
import type { DB } from '../store/db.ts'
import { closeQuietly } from '../envs/close.ts'
import { listEnvironments } from '../envs/registry.ts'
import type { Context, EnvSession, Environment } from '../envs/types.ts'
import { EngineError } from '../errors.ts'
import { contextAtNode } from './context.ts'

const LISTED = 12

/** "up, down, left, right" — at most a dozen, then how many more. */
export function nameActions(actions: string[]): string {
  const shown = actions.slice(0, LISTED).join(', ')
  return actions.length > LISTED ? `${shown} … (${actions.length - LISTED} more)` : shown
}

const quoted = (text: string) => `"${text.length > 60 ? `${text.slice(0, 60)}…` : text}"`

/**
 * The check that needs no state: the environment's parser must read an action out of the text,
 * and where the environment has a fixed action space the action must be in it. Returns the
 * problem in words, or null. Environments that are not registered here (a remote server's) are
 * not judged: null.
 */
export function targetProblemWithoutState(envId: string, text: string): string | null {
  const env = listEnvironments().find((e) => e.id === envId)
  if (!env?.actionSpace) return null
  const parsed = env.renderer.parseAction(text, 'readable')
  if (env.actionSpace.includes(parsed)) return null
  return `${quoted(text)} is not an action of ${env.label}; valid actions: ${nameActions(env.actionSpace)}.`
}

/**
 * The full check at a state: replays the context in a fresh session, then asks the session
 * whether the parsed action is admissible there (validActions where the session lists them,
 * else by taking the step and reading `valid`). Returns the canonical action, or throws a
 * bad_request naming the valid actions.
 */
export async function checkTargetAt(env: Environment, context: Context, text: string): Promise<string> {
  const action = env.renderer.parseAction(text, 'readable')
  let session: EnvSession | undefined
  try {
    try {
      session = await env.open(context.task)
      await session.reset()
      for (const h of context.history) await session.step(h.action)
    } catch (e) {
      throw new EngineError('conflict', `target: the state at step ${context.history.length} could not be rebuilt to check the action (${(e as Error).message}).`)
    }
    const valid = session.validActions?.()
    if (valid) {
      if (!valid.includes(action)) throw refusal(text, context, `valid actions here: ${nameActions(valid)}`)
      return action
    }
    const step = await session.step(action)
    if (!step.valid) throw refusal(text, context, step.feedback)
    return action
  } finally {
    await closeQuietly(session)
  }
}

function refusal(text: string, context: Context, why: string): EngineError {
  return new EngineError('bad_request', `target: ${quoted(text)} is not an action the environment accepts at step ${context.history.length}; ${why}`)
}

/** The node whose state an item's target is taken at: a manual item's own node, else the parent of the node the action led to. */
export function stateNodeOfItem(db: DB, item: { kind: string; sourceNodeId: number | null }): number | null {
  if (item.sourceNodeId === null) return null
  if (item.kind === 'manual') return item.sourceNodeId
  const row = db.prepare(`SELECT parent_id FROM nodes WHERE id = ?`).get(item.sourceNodeId) as { parent_id: number | null } | undefined
  return row?.parent_id ?? null
}

/**
 * Checks a target for a stored item: at its state when the item's tree is stored and its
 * environment registered, else without a state. Returns the target as the item should store it
 * (the environment's readable form of the parsed action: "go up please" becomes "up"); throws a
 * bad_request naming what is wrong.
 */
export async function checkItemTarget(db: DB, item: { env: string; kind: string; sourceNodeId: number | null }, text: string): Promise<string> {
  const env = listEnvironments().find((e) => e.id === item.env)
  const nodeId = stateNodeOfItem(db, item)
  const context = env && nodeId !== null ? storedContext(db, nodeId) : null
  if (env && context) return env.renderer.formatAction(await checkTargetAt(env, context, text), 'readable')
  const problem = targetProblemWithoutState(item.env, text)
  if (problem) throw new EngineError('bad_request', `target: ${problem}`)
  return env?.actionSpace ? env.renderer.formatAction(env.renderer.parseAction(text, 'readable'), 'readable') : text
}

/** The context at a node, or null when its task is not stored (then only the stateless check can run). */
function storedContext(db: DB, nodeId: number): Context | null {
  try {
    return contextAtNode(db, nodeId).context
  } catch (e) {
    if (e instanceof EngineError && e.code !== 'bad_request') return null
    throw e
  }
}
