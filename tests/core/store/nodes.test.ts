import { describe, expect, it } from 'vitest'
import { now, openStore } from '../../../src-main/core/store/db.ts'
import { insertNodes, loadTree, type NewNode } from '../../../src-main/core/store/nodes.ts'

describe('tree nodes', () => {
  it('inserts in chunks, returns the ids in order and loads the tree back exactly', () => {
    const { db } = openStore(':memory:')
    const run = db.prepare(`INSERT INTO runs (kind, started_at) VALUES ('explore', ?)`).run(now()).lastInsertRowid
    const ep = Number(db.prepare(`INSERT INTO episodes (run_id, env, task_key, created_at) VALUES (?, 'x', 't', ?)`).run(run, now()).lastInsertRowid)
    const other = Number(db.prepare(`INSERT INTO episodes (run_id, env, task_key, created_at) VALUES (?, 'x', 'u', ?)`).run(run, now()).lastInsertRowid)
    const mk = (i: number, parentId: number | null, episodeId = ep): NewNode => ({
      episodeId, parentId, step: i, action: i ? `a${i}` : null, rawAction: i % 3 ? null : `raw ${i}`,
      observation: `obs ${i}`, feedback: `fb ${i}`, reward: i / 10, done: i % 2 === 0, success: i % 5 === 0, valid: i % 7 !== 0, branchDepth: i % 4,
    })
    const [root] = insertNodes(db, [mk(0, null)])
    insertNodes(db, [mk(0, null, other)]) // interleaved rows of another episode
    const children = Array.from({ length: 123 }, (_, i) => mk(i + 1, root!)) // not a multiple of the chunk size
    const ids = insertNodes(db, children)
    expect(ids.length).toBe(123)
    expect(new Set(ids).size).toBe(123)
    const tree = loadTree(db, ep)
    expect(tree.length).toBe(124)
    expect(tree[0]).toMatchObject({ id: root, parentId: null, action: null, observation: 'obs 0', done: true, success: true, valid: false })
    tree.slice(1).forEach((n, i) => {
      expect(n).toEqual({ ...children[i], id: ids[i], rawAction: children[i]!.rawAction ?? null })
    })
    expect(loadTree(db, other).length).toBe(1)
  })
})
