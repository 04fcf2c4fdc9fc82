// The person's side of the 'human' reflector: the attempts waiting for a reflection, and the
// answer (tau, e, avoid) or a skip. The exploration job polls for answers (recorder.ts
// takeHumanAnswers) and branches from them as from any reflector's. The table's writes are
// recorder.ts's; this file checks what a person sends.
import type { HumanRequest } from '../../api/contract-runs.ts'
import { EngineError, notFound } from '../errors.ts'
import { writeTransaction, type DB } from '../store/db.ts'
import { recordHumanAnswer, skipHumanRequest } from './recorder.ts'

type Row = { id: number; run_id: number; run_name: string; episode_id: number; env: string; task_key: string; failed_node_id: number; steps: number; status: HumanRequest['status']; created_at: string }

const SELECT = `SELECT q.id, q.run_id, r.name AS run_name, q.episode_id, e.env, e.task_key, q.failed_node_id, n.step AS steps, q.status, q.created_at
                FROM reflection_requests q JOIN runs r ON r.id = q.run_id JOIN episodes e ON e.id = q.episode_id JOIN nodes n ON n.id = q.failed_node_id`

const toRequest = (r: Row): HumanRequest => ({
  id: r.id,
  runId: r.run_id,
  runName: r.run_name,
  episodeId: r.episode_id,
  env: r.env,
  taskKey: r.task_key,
  failedNodeId: r.failed_node_id,
  steps: r.steps,
  status: r.status,
  createdAt: r.created_at,
})

/** Requests still waiting for a person, oldest first (of one episode, or all). */
export function pendingHumanRequests(db: DB, episodeId?: number): HumanRequest[] {
  const rows = (
    episodeId === undefined
      ? db.prepare(`${SELECT} WHERE q.status = 'pending' ORDER BY q.id`).all()
      : db.prepare(`${SELECT} WHERE q.status = 'pending' AND q.episode_id = ? ORDER BY q.id`).all(episodeId)
  ) as Row[]
  return rows.map(toRequest)
}

function pending(db: DB, id: number): Row {
  const row = db.prepare(`${SELECT} WHERE q.id = ?`).get(id) as Row | undefined
  if (!row) throw notFound(`Reflection request ${id}`)
  if (row.status !== 'pending') throw new EngineError('conflict', `Reflection request ${id} is ${row.status} already; only a pending one can be answered or skipped.`)
  return row
}

/**
 * Answers a pending request: tau must name one of the attempt's steps (1..t), e must say
 * something. The exploration takes the answer at its next poll.
 */
export function answerHumanRequest(db: DB, id: number, answer: { rollbackStep: number; experience: string; avoid: string[] }): HumanRequest {
  return writeTransaction(db, () => {
    const row = pending(db, id)
    if (answer.rollbackStep < 1 || answer.rollbackStep > row.steps) {
      throw new EngineError('bad_request', `tau must be a step of the attempt, 1 to ${row.steps} (got ${answer.rollbackStep}).`)
    }
    recordHumanAnswer(db, id, { rollbackStep: answer.rollbackStep, experience: answer.experience, avoid: answer.avoid, source: 'human' })
    return toRequest(db.prepare(`${SELECT} WHERE q.id = ?`).get(id) as Row)
  })()
}

export function skipHumanRequestChecked(db: DB, id: number): HumanRequest {
  pending(db, id)
  skipHumanRequest(db, id)
  return toRequest(db.prepare(`${SELECT} WHERE q.id = ?`).get(id) as Row)
}
