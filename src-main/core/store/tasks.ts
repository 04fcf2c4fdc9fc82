import type { Task } from '../envs/types.ts'
import { EngineError, notFound } from '../errors.ts'
import { now, writeTransaction, type DB } from './db.ts'

export type TaskSetInfo = {
  id: number
  name: string
  env: string
  split: string
  source: 'generated' | 'imported'
  /** How to make the set again: generator, seed range, sizes; for imports, the file and its hash. */
  params: Record<string, unknown>
  count: number
  createdAt: string
}

type TaskSetRow = Omit<TaskSetInfo, 'params' | 'count' | 'createdAt'> & { params: string; count: number; created_at: string }

const toInfo = (r: TaskSetRow): TaskSetInfo => ({
  id: r.id,
  name: r.name,
  env: r.env,
  split: r.split,
  source: r.source,
  params: JSON.parse(r.params),
  count: r.count,
  createdAt: r.created_at,
})

const SELECT_SET = `SELECT s.id, s.name, s.env, s.split, s.source, s.params, s.created_at,
                          (SELECT COUNT(*) FROM tasks t WHERE t.task_set_id = s.id) AS count
                   FROM task_sets s`

/**
 * Stores a task set with all its tasks in one transaction: either all of it is there afterwards
 * or none of it. Names are unique; task ids are unique within the set.
 */
export function createTaskSet(
  db: DB,
  set: { name: string; env: string; split: string; source: 'generated' | 'imported'; params: Record<string, unknown> },
  tasks: Task[],
): TaskSetInfo {
  if (db.prepare('SELECT 1 FROM task_sets WHERE name = ?').get(set.name)) {
    throw new EngineError('conflict', `A task set named "${set.name}" already exists.`)
  }
  const seen = new Set<string>()
  for (const t of tasks) {
    if (seen.has(t.id)) throw new EngineError('bad_request', `Task id "${t.id}" appears twice in task set "${set.name}".`)
    seen.add(t.id)
    if (t.env !== set.env) throw new EngineError('bad_request', `Task "${t.id}" is for environment ${t.env}, not ${set.env}.`)
  }
  const insertTask = db.prepare(
    `INSERT INTO tasks (task_set_id, env, task_key, split, seed, instruction, meta) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  )
  const id = writeTransaction(db, () => {
    const r = db
      .prepare(`INSERT INTO task_sets (name, env, split, source, params, created_at) VALUES (?, ?, ?, ?, ?, ?)`)
      .run(set.name, set.env, set.split, set.source, JSON.stringify(set.params), now())
    const setId = Number(r.lastInsertRowid)
    for (const t of tasks) insertTask.run(setId, t.env, t.id, t.split, t.seed, t.instruction, JSON.stringify(t.meta ?? {}))
    return setId
  })()
  return getTaskSet(db, id)
}

export function getTaskSet(db: DB, idOrName: number | string): TaskSetInfo {
  const row = (
    typeof idOrName === 'number'
      ? db.prepare(`${SELECT_SET} WHERE s.id = ?`).get(idOrName)
      : db.prepare(`${SELECT_SET} WHERE s.name = ?`).get(idOrName)
  ) as TaskSetRow | undefined
  if (!row) throw notFound(`Task set ${JSON.stringify(idOrName)}`)
  return toInfo(row)
}

export function findTaskSet(db: DB, name: string): TaskSetInfo | undefined {
  const row = db.prepare(`${SELECT_SET} WHERE s.name = ?`).get(name) as TaskSetRow | undefined
  return row && toInfo(row)
}

export function listTaskSets(db: DB, env?: string): TaskSetInfo[] {
  const rows = (env ? db.prepare(`${SELECT_SET} WHERE s.env = ? ORDER BY s.id`).all(env) : db.prepare(`${SELECT_SET} ORDER BY s.id`).all()) as TaskSetRow[]
  return rows.map(toInfo)
}

/** The tasks of a set in the order they were stored, with their database ids. */
export function loadTasks(db: DB, taskSetId: number): (Task & { rowId: number })[] {
  const rows = db
    .prepare(`SELECT id, env, task_key, split, seed, instruction, meta FROM tasks WHERE task_set_id = ? ORDER BY id`)
    .all(taskSetId) as { id: number; env: string; task_key: string; split: string; seed: number; instruction: string; meta: string }[]
  return rows.map((r) => ({ rowId: r.id, env: r.env, id: r.task_key, split: r.split, seed: r.seed, instruction: r.instruction, meta: JSON.parse(r.meta) }))
}
