import { join } from 'node:path'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { now, openStore } from '../../src-main/core/store/db.ts'
import { insertNodes, loadTree, type NewNode } from '../../src-main/core/store/nodes.ts'
import type { Suite } from './index.ts'

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

// A realistic node: a 7x7 Sokoban observation with feedback, as exploration writes them.
const node = (episodeId: number, parentId: number | null, step: number): NewNode => ({
  episodeId,
  parentId,
  step,
  action: 'up',
  observation: '#######\n#  .  #\n# $@  #\n#  $  #\n#   . #\n#     #\n#######',
  feedback: 'You moved up.',
  reward: 0,
  done: false,
  success: false,
  valid: true,
  branchDepth: 0,
})

export const storeSuite: Suite = {
  name: 'store',
  summary: 'SQLite store: batched tree-node inserts, loading a 10,000-node tree',
  async run(log) {
    const dir = mkdtempSync(join(tmpdir(), 'leafe-bench-store-'))
    try {
      const { db } = openStore(join(dir, 'bench.sqlite'))
      const run = db.prepare(`INSERT INTO runs (kind, started_at) VALUES ('explore', ?)`).run(now())
      const newEpisode = () =>
        Number(db.prepare(`INSERT INTO episodes (run_id, env, task_key, created_at) VALUES (?, 'sokoban', 't', ?)`).run(run.lastInsertRowid, now()).lastInsertRowid)

      // Inserts: batches of 1,000 nodes per transaction (how exploration flushes), 200k nodes.
      const batches = 200
      const perBatch = 1000
      const ep = newEpisode()
      const t0 = performance.now()
      for (let b = 0; b < batches; b++) {
        const rows: NewNode[] = []
        for (let i = 0; i < perBatch; i++) rows.push(node(ep, null, b * perBatch + i))
        insertNodes(db, rows)
      }
      const insertSeconds = (performance.now() - t0) / 1000
      const insertPerS = (batches * perBatch) / insertSeconds
      log(`inserted ${batches * perBatch} nodes in ${insertSeconds.toFixed(2)} s`)

      // A 10,000-node tree: each node a child of a random earlier node (branchy, like LEAFE).
      const treeEp = newEpisode()
      const ids: number[] = []
      const chunk: NewNode[] = []
      let rng = 42
      const rand = () => ((rng = (rng * 1103515245 + 12345) & 0x7fffffff) / 0x80000000)
      const root = insertNodes(db, [node(treeEp, null, 0)])[0]!
      ids.push(root)
      for (let i = 1; i < 10_000; i++) {
        chunk.push(node(treeEp, ids[Math.floor(rand() * ids.length)]!, i))
        if (chunk.length === 500 || i === 9_999) ids.push(...insertNodes(db, chunk.splice(0)))
      }
      const times: number[] = []
      for (let i = 0; i < 15; i++) {
        const t = performance.now()
        const tree = loadTree(db, treeEp)
        times.push(performance.now() - t)
        if (tree.length !== 10_000) throw new Error(`loaded ${tree.length} nodes, expected 10000`)
      }
      log(`tree load times (ms): ${times.map((t) => t.toFixed(1)).join(' ')}`)
      db.close()
      return { insert_nodes_per_s: Math.round(insertPerS), tree_query_ms_10k: Number(median(times).toFixed(2)) }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  },
}
