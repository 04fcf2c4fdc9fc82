// The train_metrics table's writes: training jobs append their per-step rows here (through the
// buffering MetricsWriter of train/sft-loop.ts) and drop the rows a resumed run will write again.
import { now, writeTransaction, type DB } from './db.ts'

/** [step, epoch, split, name, value] */
export type MetricRow = [number, number, 'train' | 'eval', string, number]

/** Appends a run's rows in one transaction, all stamped now. */
export function insertMetrics(db: DB, runId: number, rows: MetricRow[]): void {
  const insert = db.prepare('INSERT INTO train_metrics (run_id, step, epoch, split, name, value, at) VALUES (?, ?, ?, ?, ?, ?, ?)')
  const at = now()
  writeTransaction(db, () => {
    for (const r of rows) insert.run(runId, ...r, at)
  })()
}

/** Drops a resumed run's rows after the step it continues from (they belong to the lost part of its work). */
export function dropMetricsAfter(db: DB, runId: number, step: number): void {
  db.prepare('DELETE FROM train_metrics WHERE run_id = ? AND step > ?').run(runId, step)
}
