// h_t read back from the store: the Context at any node of a stored tree, without experience or
// mask — what a trained model sees (exploration builds the same from memory: build.ts).
import type { Context, Task } from '../envs/types.ts'
import { EngineError, notFound } from '../errors.ts'
import type { DB } from '../store/db.ts'
import { loadNode, stepOf, type TreeNode } from '../store/nodes.ts'

export type NodeContext = {
  context: Context
  node: TreeNode
  episode: { id: number; runId: number; env: string; taskKey: string }
}

/** The context at a node: its episode's task, the reset step, and every (action, step) up to it. */
export function contextAtNode(db: DB, nodeId: number): NodeContext {
  const node = loadNode(db, nodeId)
  if (!node) throw notFound(`Node ${nodeId}`)
  const path: TreeNode[] = [node]
  for (let p = node.parentId; p !== null; ) {
    const parent = loadNode(db, p)
    if (!parent) throw new EngineError('conflict', `Node ${nodeId}'s ancestor ${p} is missing; its history cannot be rebuilt.`)
    path.push(parent)
    p = parent.parentId
  }
  path.reverse()
  const ep = db
    .prepare(
      `SELECT e.id, e.run_id, e.env, e.task_key, t.task_key AS t_key, t.split, t.seed, t.instruction, t.meta
       FROM episodes e LEFT JOIN tasks t ON t.id = e.task_id WHERE e.id = ?`,
    )
    .get(node.episodeId) as
    | { id: number; run_id: number; env: string; task_key: string; t_key: string | null; split: string; seed: number; instruction: string; meta: string }
    | undefined
  if (!ep) throw notFound(`Episode ${node.episodeId}`)
  if (ep.t_key === null) {
    throw new EngineError('conflict', `Episode ${ep.id} has no stored task (task "${ep.task_key}" is not in any task set), so its prompt cannot be rendered.`)
  }
  const task: Task = { env: ep.env, id: ep.t_key, split: ep.split, seed: ep.seed, instruction: ep.instruction, meta: JSON.parse(ep.meta) }
  const [root, ...rest] = path
  return {
    context: {
      task,
      initial: stepOf(root!),
      history: rest.map((n) => ({ action: n.action ?? '', step: stepOf(n) })),
    },
    node,
    episode: { id: ep.id, runId: ep.run_id, env: ep.env, taskKey: ep.task_key },
  }
}
