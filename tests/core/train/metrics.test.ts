import { describe, expect, it } from 'vitest'
import type { TrainMetrics } from '../../../src-main/api/contract-training.ts'
import * as rec from '../../../src-main/core/explore/recorder.ts'
import { now, openStore } from '../../../src-main/core/store/db.ts'
import { MetricsFeed, metricsOf } from '../../../src-main/core/train/metrics.ts'

describe('train metrics', () => {
  it('reads a run after an id, and the feed hands on only new rows, grouped by run', () => {
    const { db } = openStore(':memory:')
    const a = rec.createRun(db, 'sft', 'a', {}, null)
    const b = rec.createRun(db, 'sft', 'b', {}, null)
    const add = (run: number, step: number, value: number, split = 'train') =>
      db.prepare(`INSERT INTO train_metrics (run_id, step, split, name, value, at) VALUES (?, ?, ?, 'loss', ?, ?)`).run(run, step, split, value, now())
    add(a, 1, 2.0)
    const seen: TrainMetrics[] = []
    const feed = new MetricsFeed(db, (m) => seen.push(m))
    feed.poll()
    expect(seen).toEqual([]) // rows from before the feed started are read with metricsOf
    add(a, 2, 1.5)
    add(b, 1, 3.0)
    add(a, 3, 1.2, 'eval')
    feed.poll()
    expect(seen.map((s) => [s.runId, s.points.map((p) => p.value)])).toEqual([[a, [1.5, 1.2]], [b, [3.0]]])
    feed.poll()
    expect(seen).toHaveLength(2)
    const all = metricsOf(db, a)
    expect(all.points.map((p) => p.step)).toEqual([1, 2, 3])
    expect(metricsOf(db, a, all.points[1]!.id).points.map((p) => p.split)).toEqual(['eval'])
    expect(metricsOf(db, a, all.lastId)).toEqual({ runId: a, points: [], lastId: all.lastId })
  })
})
