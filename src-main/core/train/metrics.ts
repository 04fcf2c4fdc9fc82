// Training metrics as the UI reads them: a run's rows after a known id, and a feed that turns
// rows written by training jobs (in their own threads and connections) into train.metrics events.
import type { MetricPoint, TrainMetrics } from '../../api/contract-training.ts'
import type { DB } from '../store/db.ts'

const MAX_ROWS = 20_000

/** A run's metrics with id > afterId, oldest first (at most 20,000 per call; ask again from lastId). */
export function metricsOf(db: DB, runId: number, afterId = 0): TrainMetrics {
  const points = db
    .prepare(`SELECT id, step, epoch, split, name, value FROM train_metrics WHERE run_id = ? AND id > ? ORDER BY id LIMIT ?`)
    .all(runId, afterId, MAX_ROWS) as MetricPoint[]
  return { runId, points, lastId: points.length ? points[points.length - 1]!.id : afterId }
}

/**
 * Polls train_metrics for rows written since the last look and hands them on grouped by run.
 * A training job writes from its worker thread's own connection, so the engine learns of new
 * rows here; one indexed query per tick costs microseconds when nothing is new.
 */
export class MetricsFeed {
  private lastId: number

  constructor(
    private readonly db: DB,
    private readonly emit: (batch: TrainMetrics) => void,
  ) {
    this.lastId = (db.prepare(`SELECT COALESCE(MAX(id), 0) AS id FROM train_metrics`).get() as { id: number }).id
  }

  poll(): void {
    const rows = this.db
      .prepare(`SELECT id, run_id, step, epoch, split, name, value FROM train_metrics WHERE id > ? ORDER BY id LIMIT ?`)
      .all(this.lastId, MAX_ROWS) as (MetricPoint & { run_id: number })[]
    if (rows.length === 0) return
    this.lastId = rows[rows.length - 1]!.id
    const byRun = new Map<number, MetricPoint[]>()
    for (const { run_id, ...p } of rows) {
      let list = byRun.get(run_id)
      if (!list) byRun.set(run_id, (list = []))
      list.push(p)
    }
    for (const [runId, points] of byRun) this.emit({ runId, points, lastId: points[points.length - 1]!.id })
  }
}
