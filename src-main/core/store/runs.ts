import type { RunInfo } from '../../api/contract-runs.ts'
import { now, type DB } from './db.ts'
import { parseJson } from './json.ts'

type RunRow = {
  id: number
  kind: string
  name: string
  status: RunInfo['status']
  config: string
  summary: string | null
  started_at: string
  ended_at: string | null
  job_id: number | null
  job_status: string | null
  job_done: number | null
  job_total: number | null
  job_message: string | null
  ep_total: number
  ep_success: number
  ep_failure: number
  ep_running: number
  ep_error: number
}

/** Runs, newest first, with their job's progress and episode counts by outcome. */
export function listRuns(db: DB, opts: { kinds?: string[]; limit?: number } = {}): RunInfo[] {
  const kinds = opts.kinds ?? []
  const where = kinds.length ? `WHERE r.kind IN (${kinds.map(() => '?').join(',')})` : ''
  const rows = db
    .prepare(
      `SELECT r.id, r.kind, r.name, r.status, r.config, r.summary, r.started_at, r.ended_at, r.job_id,
              j.status AS job_status, j.progress_done AS job_done, j.progress_total AS job_total, j.message AS job_message,
              COUNT(e.id) AS ep_total,
              COALESCE(SUM(e.status = 'success'), 0) AS ep_success,
              COALESCE(SUM(e.status = 'failure'), 0) AS ep_failure,
              COALESCE(SUM(e.status = 'running'), 0) AS ep_running,
              COALESCE(SUM(e.status = 'error'), 0) AS ep_error
       FROM runs r
       LEFT JOIN jobs j ON j.id = r.job_id
       LEFT JOIN episodes e ON e.run_id = r.id
       ${where}
       GROUP BY r.id
       ORDER BY r.id DESC
       LIMIT ?`,
    )
    .all(...kinds, opts.limit ?? 200) as RunRow[]
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    name: r.name,
    status: r.status,
    config: parseJson(r.config),
    summary: parseJson(r.summary),
    startedAt: r.started_at,
    endedAt: r.ended_at,
    jobId: r.job_id,
    job: r.job_status === null ? null : { status: r.job_status, done: r.job_done!, total: r.job_total, message: r.job_message ?? '' },
    episodes: { total: r.ep_total, success: r.ep_success, failure: r.ep_failure, running: r.ep_running, error: r.ep_error },
  }))
}

/** A new run of a job (or of a test's fixture: `jobId` null), running from now. */
export function createRun(db: DB, kind: string, name: string, config: unknown, jobId: number | null): number {
  return Number(
    db
      .prepare(`INSERT INTO runs (job_id, kind, name, config, status, started_at) VALUES (?, ?, ?, ?, 'running', ?)`)
      .run(jobId, kind, name, JSON.stringify(config), now()).lastInsertRowid,
  )
}

/** A run whose job resumed it: running again, its end cleared. */
export function reopenRun(db: DB, runId: number): void {
  db.prepare(`UPDATE runs SET status = 'running', ended_at = NULL WHERE id = ?`).run(runId)
}

export function finishRun(db: DB, runId: number, status: 'done' | 'failed' | 'cancelled' | 'interrupted', summary: unknown): void {
  db.prepare(`UPDATE runs SET status = ?, summary = ?, ended_at = ? WHERE id = ?`).run(status, JSON.stringify(summary), now(), runId)
}
