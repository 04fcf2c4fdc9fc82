// The jobs table: every read and write of it. The JobManager (jobs/manager.ts) drives the
// lifecycle — queued → running → done | failed | cancelled, or interrupted — and the worker
// thread writes a job's resume state with its own connection (jobs/worker-entry.ts).
import type { JobStatus } from '../../shared/jobs/kinds.ts'
import { now, type DB } from './db.ts'

type Status = (typeof JobStatus.options)[number]

export type JobRow = {
  id: number
  kind: string
  title: string
  params: string
  status: Status
  progress_done: number
  progress_total: number | null
  message: string
  state: string | null
  result: string | null
  error: string | null
  owner: string | null
  attempts: number
  created_at: string
  started_at: string | null
  ended_at: string | null
  heartbeat_at: string | null
}

export function jobRow(db: DB, id: number): JobRow | undefined {
  return db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined
}

/** Jobs, newest first. */
export function jobRows(db: DB, opts: { status?: Status; limit: number }): JobRow[] {
  return (
    opts.status
      ? db.prepare('SELECT * FROM jobs WHERE status = ? ORDER BY id DESC LIMIT ?').all(opts.status, opts.limit)
      : db.prepare('SELECT * FROM jobs ORDER BY id DESC LIMIT ?').all(opts.limit)
  ) as JobRow[]
}

export function jobCountsByStatus(db: DB): { status: string; n: number }[] {
  return db.prepare('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status').all() as { status: string; n: number }[]
}

/** Queued and running jobs with their owners and last heartbeats (to find those whose process died). */
export function activeJobs(db: DB): Pick<JobRow, 'id' | 'owner' | 'heartbeat_at'>[] {
  return db.prepare(`SELECT id, owner, heartbeat_at FROM jobs WHERE status IN ('running', 'queued')`).all() as Pick<JobRow, 'id' | 'owner' | 'heartbeat_at'>[]
}

/** The oldest `limit` jobs this owner queued. */
export function queuedJobs(db: DB, owner: string, limit: number): JobRow[] {
  return db.prepare(`SELECT * FROM jobs WHERE status = 'queued' AND owner = ? ORDER BY id LIMIT ?`).all(owner, limit) as JobRow[]
}

/** A new queued job; its id. */
export function insertJob(db: DB, j: { kind: string; title: string; params: unknown; owner: string }): number {
  const t = now()
  const info = db
    .prepare(`INSERT INTO jobs (kind, title, params, status, owner, created_at, heartbeat_at) VALUES (?, ?, ?, 'queued', ?, ?, ?)`)
    .run(j.kind, j.title, JSON.stringify(j.params), j.owner, t, t)
  return Number(info.lastInsertRowid)
}

/** Takes a queued job for running (another engine may have taken it first: false then). */
export function claimJob(db: DB, id: number): boolean {
  const t = now()
  const r = db
    .prepare(`UPDATE jobs SET status = 'running', started_at = COALESCE(started_at, ?), heartbeat_at = ?, attempts = attempts + 1, message = 'Starting…' WHERE id = ? AND status = 'queued'`)
    .run(t, t, id)
  return r.changes === 1
}

/** Queues an ended job again under this owner, its error and end cleared (its saved state kept). */
export function requeueJob(db: DB, id: number, owner: string): void {
  db.prepare(`UPDATE jobs SET status = 'queued', owner = ?, heartbeat_at = ?, error = NULL, ended_at = NULL, message = 'Queued to resume.' WHERE id = ?`).run(owner, now(), id)
}

export function writeJobProgress(db: DB, id: number, p: { done: number; total: number | null; message: string | null }): void {
  db.prepare(`UPDATE jobs SET progress_done = ?, progress_total = COALESCE(?, progress_total), message = COALESCE(?, message), heartbeat_at = ? WHERE id = ?`).run(
    p.done, p.total, p.message, now(), id,
  )
}

/** A final status, with the result (kept when none is given), the error and a last message. */
export function endJob(db: DB, id: number, status: Status, fields: { result?: unknown; error?: string; message?: string }): void {
  db.prepare(`UPDATE jobs SET status = ?, ended_at = ?, result = COALESCE(?, result), error = ?, message = COALESCE(?, message) WHERE id = ?`).run(
    status, now(), fields.result === undefined ? null : JSON.stringify(fields.result), fields.error ?? null, fields.message ?? null, id,
  )
}

/** Marks one job interrupted (its process died): resumable, never silently lost. */
export function interruptJob(db: DB, id: number, message: string): void {
  db.prepare(`UPDATE jobs SET status = 'interrupted', ended_at = ?, message = ? WHERE id = ?`).run(now(), message, id)
}

/** Marks every job this owner queued and did not start as interrupted (the engine shuts down). */
export function interruptQueued(db: DB, owner: string, message: string): void {
  db.prepare(`UPDATE jobs SET status = 'interrupted', ended_at = ?, message = ? WHERE status = 'queued' AND owner = ?`).run(now(), message, owner)
}

export function setJobMessage(db: DB, id: number, message: string): void {
  db.prepare('UPDATE jobs SET message = ? WHERE id = ?').run(message, id)
}

/** This owner's queued and running jobs are alive. */
export function beatJobs(db: DB, owner: string): void {
  db.prepare(`UPDATE jobs SET heartbeat_at = ? WHERE owner = ? AND status IN ('queued', 'running')`).run(now(), owner)
}

/** The state a job saved to resume from (written by its worker thread). */
export function saveJobState(db: DB, id: number, state: unknown): void {
  db.prepare('UPDATE jobs SET state = ? WHERE id = ?').run(JSON.stringify(state ?? null), id)
}
