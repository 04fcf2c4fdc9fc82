// The read side of exploration: episodes, their trees, transcripts along one path, and the
// branch events (reflections) that blame a step.
import type { BranchEvent, EpisodeFilter, EpisodeSummary, EpisodeTree, NodeState, Transcript } from '../../api/contract-runs.ts'
import { notFound } from '../errors.ts'
import type { DB } from './db.ts'
import { likePrefix } from './like.ts'
import { loadNode, loadTree, stepOf, type TreeNode } from './nodes.ts'

const SUMMARY = `SELECT e.id, e.run_id, e.env, e.task_key, e.attempt, e.sampler, e.status, e.error, e.steps, e.created_at, e.ended_at,
                        (SELECT COUNT(*) FROM nodes n WHERE n.episode_id = e.id) AS nodes,
                        (SELECT COUNT(*) FROM branch_events b WHERE b.episode_id = e.id) AS branch_events
                 FROM episodes e`

type SummaryRow = {
  id: number
  run_id: number
  env: string
  task_key: string
  attempt: number
  sampler: string | null
  status: EpisodeSummary['status']
  error: string | null
  steps: number
  created_at: string
  ended_at: string | null
  nodes: number
  branch_events: number
}

const toSummary = (r: SummaryRow): EpisodeSummary => ({
  id: r.id,
  runId: r.run_id,
  env: r.env,
  taskKey: r.task_key,
  attempt: r.attempt,
  sampler: r.sampler,
  status: r.status,
  error: r.error,
  steps: r.steps,
  nodes: r.nodes,
  branchEvents: r.branch_events,
  createdAt: r.created_at,
  endedAt: r.ended_at,
})

function episodeWhere(f: EpisodeFilter): { sql: string; args: unknown[] } {
  const parts: string[] = []
  const args: unknown[] = []
  if (f.runId !== undefined) parts.push('e.run_id = ?'), args.push(f.runId)
  if (f.env) parts.push('e.env = ?'), args.push(f.env)
  if (f.task) parts.push(`e.task_key LIKE ? ESCAPE '\\'`), args.push(likePrefix(f.task))
  if (f.status) parts.push('e.status = ?'), args.push(f.status)
  if (f.sampler) parts.push('e.sampler = ?'), args.push(f.sampler)
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', args }
}

export function listEpisodes(db: DB, filter: EpisodeFilter, offset: number, limit: number): { total: number; items: EpisodeSummary[] } {
  const w = episodeWhere(filter)
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM episodes e ${w.sql}`).get(...w.args) as { n: number }).n
  const rows = db.prepare(`${SUMMARY} ${w.sql} ORDER BY e.id DESC LIMIT ? OFFSET ?`).all(...w.args, limit, offset) as SummaryRow[]
  return { total, items: rows.map(toSummary) }
}

export function episodeFacets(db: DB, runId?: number): { envs: string[]; samplers: string[]; tasks: string[] } {
  const w = runId === undefined ? { sql: '', args: [] as unknown[] } : { sql: 'WHERE run_id = ?', args: [runId] as unknown[] }
  const col = (sql: string) => (db.prepare(sql).all(...w.args) as { v: string }[]).map((r) => r.v)
  return {
    envs: col(`SELECT DISTINCT env AS v FROM episodes ${w.sql} ORDER BY v`),
    samplers: col(`SELECT DISTINCT sampler AS v FROM episodes ${w.sql ? `${w.sql} AND` : 'WHERE'} sampler IS NOT NULL ORDER BY v`),
    tasks: col(`SELECT DISTINCT task_key AS v FROM episodes ${w.sql} ORDER BY v LIMIT 500`),
  }
}

export function getEpisode(db: DB, id: number): EpisodeSummary {
  const row = db.prepare(`${SUMMARY} WHERE e.id = ?`).get(id) as SummaryRow | undefined
  if (!row) throw notFound(`Episode ${id}`)
  return toSummary(row)
}

type BranchRow = {
  id: number
  node_id: number
  failed_node_id: number | null
  tau: number
  reflector: string
  experience: string
  avoid: string
  failed_action: string | null
  revised_action: string | null
  child_node_id: number | null
  rollback_mode: BranchEvent['rollbackMode']
  outcome: BranchEvent['outcome']
  message: string
  created_at: string
}

function toBranchEvent(r: BranchRow): BranchEvent {
  let avoid: string[] = []
  try {
    const parsed = JSON.parse(r.avoid) as unknown
    if (Array.isArray(parsed)) avoid = parsed.map(String)
  } catch {
    // A malformed avoid list shows as empty rather than hiding the whole reflection.
  }
  return {
    id: r.id,
    nodeId: r.node_id,
    failedNodeId: r.failed_node_id,
    tau: r.tau,
    reflector: r.reflector,
    experience: r.experience,
    avoid,
    failedAction: r.failed_action,
    revisedAction: r.revised_action,
    childNodeId: r.child_node_id,
    rollbackMode: r.rollback_mode,
    outcome: r.outcome,
    message: r.message,
    createdAt: r.created_at,
  }
}

const BRANCH_COLUMNS = `id, node_id, failed_node_id, tau, reflector, experience, avoid, failed_action, revised_action,
                        child_node_id, rollback_mode, outcome, message, created_at`

export function branchEventsOf(db: DB, episodeId: number): BranchEvent[] {
  return (db.prepare(`SELECT ${BRANCH_COLUMNS} FROM branch_events WHERE episode_id = ? ORDER BY id`).all(episodeId) as BranchRow[]).map(toBranchEvent)
}

const toState = (n: TreeNode): NodeState => ({
  id: n.id,
  parentId: n.parentId,
  step: n.step,
  action: n.action,
  rawAction: n.rawAction,
  branchDepth: n.branchDepth,
  ...stepOf(n),
})

/** Every node (without its texts) and branch event of one episode: what the tree view draws. */
export function episodeTree(db: DB, id: number): EpisodeTree {
  const episode = getEpisode(db, id)
  // The texts stay behind: the view fetches them for the one node the user opens.
  const nodes = loadTree(db, id).map(({ observation: _o, feedback: _f, rawAction: _r, episodeId: _e, ...shape }) => shape)
  return { episode, nodes, branchEvents: branchEventsOf(db, id) }
}

/**
 * One path of the tree, root → leaf, with the branch events whose state at tau lies on it.
 * Without a leaf it follows the first child everywhere: the first attempt, before any branch.
 */
export function transcript(db: DB, id: number, leafId?: number): Transcript {
  const episode = getEpisode(db, id)
  const nodes = loadTree(db, id)
  if (nodes.length === 0) {
    throw notFound(`The tree of episode ${id} (it has no nodes yet)`)
  }
  const byId = new Map(nodes.map((n) => [n.id, n]))
  const firstChild = new Map<number, number>()
  for (const n of nodes) if (n.parentId !== null && !firstChild.has(n.parentId)) firstChild.set(n.parentId, n.id)
  const root = nodes.find((n) => n.parentId === null)!

  const followFirst = (from: TreeNode): TreeNode => {
    let n = from
    for (let c = firstChild.get(n.id); c !== undefined; c = firstChild.get(n.id)) n = byId.get(c)!
    return n
  }
  let start = root
  if (leafId !== undefined) {
    const chosen = byId.get(leafId)
    if (!chosen) throw notFound(`Node ${leafId} in episode ${id}`)
    start = chosen // a node inside the tree stands for the first attempt continuing from it
  }
  const leaf = followFirst(start)
  const path: TreeNode[] = []
  for (let n: TreeNode | undefined = leaf; n; n = n.parentId === null ? undefined : byId.get(n.parentId)) path.push(n)
  path.reverse()

  const onPath = new Set(path.map((n) => n.id))
  const leaves = nodes
    .filter((n) => !firstChild.has(n.id))
    .map((n) => ({ id: n.id, step: n.step, done: n.done, success: n.success, branchDepth: n.branchDepth }))
  const task = db.prepare(`SELECT t.instruction FROM episodes e JOIN tasks t ON t.id = e.task_id WHERE e.id = ?`).get(id) as
    | { instruction: string }
    | undefined
  return {
    episode,
    instruction: task?.instruction ?? null,
    steps: path.map(toState),
    leafId: leaf.id,
    leaves,
    reflections: branchEventsOf(db, id).filter((b) => onPath.has(b.nodeId)),
  }
}

/** One node with its texts, the episode it belongs to and the actions taken from it. */
export function nodeState(db: DB, id: number): { node: NodeState; episodeId: number; env: string; nextActions: string[]; branchEvents: BranchEvent[] } {
  const n = loadNode(db, id)
  if (!n) throw notFound(`Node ${id}`)
  const env = (db.prepare(`SELECT env FROM episodes WHERE id = ?`).get(n.episodeId) as { env: string }).env
  const nextActions = (db.prepare(`SELECT action FROM nodes WHERE parent_id = ? ORDER BY id`).all(id) as { action: string | null }[])
    .map((c) => c.action)
    .filter((a): a is string => a !== null)
  const branchEvents = (db.prepare(`SELECT ${BRANCH_COLUMNS} FROM branch_events WHERE node_id = ? ORDER BY id`).all(id) as BranchRow[]).map(toBranchEvent)
  return { node: toState(n), episodeId: n.episodeId, env, nextActions, branchEvents }
}
