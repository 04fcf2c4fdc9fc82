import { createHash } from 'node:crypto'
import { findTaskSet, createTaskSet, getTaskSet, loadTasks, type TaskSetInfo } from '../store/tasks.ts'
import type { DB } from '../store/db.ts'
import { EngineError } from '../errors.ts'
import { trainingTasks } from './splits.ts'
import type { GeneratedSpec } from '../../shared/run-inputs.ts'
import type { Environment, Task } from './types.ts'

export type { GeneratedSpec }

/** A stable name for a generated set: the same spec always names (and finds) the same set. */
export function generatedSetName(envId: string, spec: GeneratedSpec): string {
  const keys = Object.keys(spec.params).sort()
  const params = keys.length ? createHash('sha256').update(JSON.stringify(spec.params, keys)).digest('hex').slice(0, 8) : 'default'
  if (!spec.role) return `${envId}/${spec.split}/${params}/s${spec.seed}-n${spec.count}`
  const after = Object.entries(spec.after ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([r, n]) => `-after-${r}${n}`).join('')
  return `${envId}/${spec.split}/${params}/seed${spec.seed}-${spec.role}-n${spec.count}${after}`
}

/** The tasks a spec describes, generated afresh. */
export function generateTasks(env: Environment, spec: GeneratedSpec): Task[] {
  if (!spec.role) {
    if (spec.after) throw new EngineError('bad_request', '`after` only applies to the tasks of a training role.')
    return env.tasks(spec.split, spec.count, spec.seed, spec.params)
  }
  if (spec.split !== 'train') throw new EngineError('bad_request', `Training roles draw from the train split, not "${spec.split}".`)
  if (!env.seededSplits) throw new EngineError('bad_request', `${env.id} takes its tasks from a fixed list, so its training roles cannot have slices of their own: give no role.`)
  return trainingTasks((count, offset) => env.tasks('train', count, offset, spec.params), spec.seed, spec.role, spec.count, spec.after)
}

/**
 * The generated task set for a spec, created (and stored with its generator parameters) on first
 * use, so that a run can always be reproduced from what is in the database.
 */
export function ensureGeneratedTaskSet(db: DB, env: Environment, spec: GeneratedSpec): TaskSetInfo {
  const name = generatedSetName(env.id, spec)
  const existing = findTaskSet(db, name)
  if (existing) return existing
  const tasks = generateTasks(env, spec)
  return createTaskSet(db, { name, env: env.id, split: spec.split, source: 'generated', params: { generator: env.id, ...spec } }, tasks)
}

export function resolveTasks(db: DB, env: Environment, source: { taskSet: string } | GeneratedSpec): { set: TaskSetInfo; tasks: (Task & { rowId: number })[] } {
  const set = 'taskSet' in source ? getTaskSet(db, source.taskSet) : ensureGeneratedTaskSet(db, env, source)
  if (set.env !== env.id) throw new Error(`Task set "${set.name}" is for environment ${set.env}, not ${env.id}.`)
  return { set, tasks: loadTasks(db, set.id) }
}
