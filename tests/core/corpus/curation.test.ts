import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { registerEnvironment } from '../../../src-main/core/envs/registry.ts'
import { bulkApply, createManualItem, editNote, editTarget, insertCorpusItems, setStatus, type NewCorpusItem } from '../../../src-main/core/corpus/curation.ts'
import { dedupKey } from '../../../src-main/core/corpus/dedup.ts'
import { corpusCounts, getCorpusItem, listCorpus } from '../../../src-main/core/corpus/query.ts'
import { EngineError } from '../../../src-main/core/errors.ts'
import * as rec from '../../../src-main/core/explore/recorder.ts'
import { openStore, type DB } from '../../../src-main/core/store/db.ts'
import { insertNodes } from '../../../src-main/core/store/nodes.ts'
import { createTaskSet } from '../../../src-main/core/store/tasks.ts'
import { corridorEnv } from '../../fixtures/corridor-env.ts'

const item = (i: number, over: Partial<NewCorpusItem> = {}): NewCorpusItem => ({
  kind: 'cf', env: i % 2 ? 'sokoban' : 'household', taskKey: `t${i % 3}`, prompt: `prompt ${i}`, target: 'up',
  experience: `e ${i}`, failedAction: 'down', source: 'critic', ...over,
})

const history = (db: DB, id: number) => getCorpusItem(db, id).history.map(({ field, before, after }) => ({ field, before, after }))

describe('corpus curation', () => {
  let db: DB
  beforeEach(() => {
    db = openStore(':memory:').db
  })
  afterEach(() => db.close())

  it('inserts with dedup on (prompt, target): repeats are skipped, within a batch and against the store', () => {
    expect(insertCorpusItems(db, [item(1), item(2), item(1)])).toBe(2)
    expect(insertCorpusItems(db, [item(1), item(3), item(2, { target: 'left' })])).toBe(2)
    expect(listCorpus(db, {}, { by: 'id', dir: 'asc' }, 0, 10).total).toBe(4)
    // The key stored is the shared dedupKey of (prompt, target).
    expect((db.prepare('SELECT dedup_key FROM corpus_items WHERE id = 1').get() as { dedup_key: string }).dedup_key).toBe(dedupKey('prompt 1', 'up'))
  })

  it('refuses an empty prompt or target and inserts nothing of that batch', () => {
    expect(() => insertCorpusItems(db, [item(1), item(2, { target: '' })])).toThrow(/item 2 of 2 has an empty target/)
    expect(listCorpus(db, {}, { by: 'id', dir: 'asc' }, 0, 10).total).toBe(0)
  })

  it('accepts and rejects, keeping every change in the history; unknown ids change nothing', () => {
    insertCorpusItems(db, [item(1), item(2), item(3)])
    expect(setStatus(db, [1, 2], 'accepted')).toBe(2)
    expect(setStatus(db, [1], 'accepted')).toBe(0) // already so: no history row
    expect(setStatus(db, [1], 'rejected')).toBe(1)
    expect(history(db, 1)).toEqual([
      { field: 'status', before: 'pending', after: 'accepted' },
      { field: 'status', before: 'accepted', after: 'rejected' },
    ])
    expect(() => setStatus(db, [3, 999], 'accepted')).toThrow(/Corpus item 999 was not found/)
    expect(getCorpusItem(db, 3).status).toBe('pending')
  })

  it('edits the target and the note with before/after; editing back clears the edit', async () => {
    insertCorpusItems(db, [item(1)])
    await editTarget(db, 1, 'left')
    let it1 = getCorpusItem(db, 1)
    expect(it1).toMatchObject({ target: 'left', originalTarget: 'up', edited: true })
    expect((db.prepare('SELECT dedup_key FROM corpus_items WHERE id = 1').get() as { dedup_key: string }).dedup_key).toBe(dedupKey('prompt 1', 'left'))
    await editTarget(db, 1, 'up')
    it1 = getCorpusItem(db, 1)
    expect(it1).toMatchObject({ target: 'up', edited: false })
    editNote(db, 1, 'checked by hand')
    editNote(db, 1, 'checked by hand') // no change, no history
    expect(history(db, 1)).toEqual([
      { field: 'target', before: 'up', after: 'left' },
      { field: 'target', before: 'left', after: 'up' },
      { field: 'note', before: '', after: 'checked by hand' },
    ])
    expect(getCorpusItem(db, 1).history[0]!.at).toMatch(/^\d{4}-\d\d-\d\dT/)
  })

  it('refuses an edit that would make an item identical to another, and leaves both as they were', async () => {
    insertCorpusItems(db, [item(1, { prompt: 'same' }), item(2, { prompt: 'same', target: 'left' })])
    setStatus(db, [1], 'accepted')
    const err: unknown = await editTarget(db, 2, 'up').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(EngineError)
    expect((err as EngineError).code).toBe('conflict')
    expect((err as EngineError).message).toMatch(/item 1 \(accepted\) already has this prompt with the target "up"/)
    expect(getCorpusItem(db, 2)).toMatchObject({ target: 'left', history: [] })
    // The unique index holds the rule for writers that bypass this module too.
    expect(() => db.prepare(`UPDATE corpus_items SET dedup_key = ? WHERE id = 2`).run(dedupKey('same', 'up'))).toThrow(/UNIQUE/)
  })

  it('applies bulk actions to exactly the filtered items, with history, in one transaction', () => {
    insertCorpusItems(db, Array.from({ length: 30 }, (_, i) => item(i)))
    const filter = { env: 'sokoban', task: 't1' }
    const matched = listCorpus(db, filter, { by: 'id', dir: 'asc' }, 0, 100)
    expect(matched.total).toBe(5)
    const r = bulkApply(db, filter, { type: 'status', status: 'accepted' }, 5)
    expect(r).toEqual({ matched: 5, changed: 5, skipped: [], skippedCount: 0 })
    expect(corpusCounts(db, {}).byStatus).toEqual([{ key: 'pending', n: 25 }, { key: 'accepted', n: 5 }])
    for (const row of matched.items) expect(history(db, row.id)).toEqual([{ field: 'status', before: 'pending', after: 'accepted' }])
    // A count that moved since the user looked changes nothing.
    expect(() => bulkApply(db, { env: 'sokoban' }, { type: 'status', status: 'rejected' }, 3)).toThrow(/now matches 15 items, not the 3 shown/)
    expect(corpusCounts(db, { status: 'rejected' }).total).toBe(0)
    // Notes in bulk, under a text search.
    expect(bulkApply(db, { text: 'prompt 2' }, { type: 'note', note: 'twenties' }).changed).toBe(11) // 2, 20..29
    expect(corpusCounts(db, { text: 'twenties' }).total).toBe(11)
  })

  it('skips (and names) items a bulk target edit would make identical to another', () => {
    insertCorpusItems(db, [item(1, { prompt: 'p' }), item(2, { prompt: 'p', target: 'left' }), item(3, { prompt: 'q', target: 'left' })])
    const r = bulkApply(db, {}, { type: 'target', target: 'right' })
    // Item 1 takes (p, right) first; item 2 would repeat it; item 3 is free.
    expect(r).toMatchObject({ matched: 3, changed: 2, skippedCount: 1, skipped: [{ id: 2 }] })
    expect(r.skipped[0]!.reason).toMatch(/item 1 \(pending\)/)
    expect(getCorpusItem(db, 2).target).toBe('left')
  })

  it('filters, sorts and windows the table, searching text literally', () => {
    insertCorpusItems(db, [...Array.from({ length: 50 }, (_, i) => item(i)), item(99, { prompt: 'has 100% and a_b' })])
    const page = listCorpus(db, { kind: 'cf' }, { by: 'id', dir: 'desc' }, 10, 5)
    expect(page.total).toBe(51)
    expect(page.items.map((r) => r.id)).toEqual([41, 40, 39, 38, 37])
    expect(listCorpus(db, { text: '100%' }, { by: 'id', dir: 'asc' }, 0, 10).items.map((r) => r.id)).toEqual([51])
    expect(listCorpus(db, { text: 'a_b' }, { by: 'id', dir: 'asc' }, 0, 10).total).toBe(1)
    expect(listCorpus(db, { text: '%' }, { by: 'id', dir: 'asc' }, 0, 10).total).toBe(1)
    const byTask = listCorpus(db, {}, { by: 'task', dir: 'asc' }, 0, 100).items
    expect(byTask.map((r) => r.taskKey)).toEqual([...byTask.map((r) => r.taskKey)].sort())
    const counts = corpusCounts(db, {})
    expect(counts.total).toBe(51)
    expect(counts.byEnv.reduce((s, c) => s + c.n, 0)).toBe(51)
    expect(counts.byTask.map((c) => c.key).sort()).toEqual(['t0', 't1', 't2'])
    // With a text search the counts come from one grouped scan: the same numbers.
    expect(corpusCounts(db, { text: 'up' })).toEqual(counts) // every target is 'up'
    // 'prompt 1' matches items 1 and 10–19; the odd ones are Sokoban's.
    const some = corpusCounts(db, { text: 'prompt 1', env: 'sokoban' })
    expect(some).toMatchObject({ total: 6, byEnv: [{ key: 'sokoban', n: 6 }], byStatus: [{ key: 'pending', n: 6 }] })
  })
})

/** A stored corridor episode: start, then 'a' to cell 1 (n1), then 'a' into the pit, ending it (n2). */
function corridorTree() {
  const { db } = openStore(':memory:')
  const env = corridorEnv({ length: 4, trapAt: 1, stepLimit: 6 })
  registerEnvironment(env)
  const [task] = env.tasks('train', 1, 0)
  createTaskSet(db, { name: 'c', env: 'corridor', split: 'train', source: 'generated', params: {} }, [task!])
  const rowId = (db.prepare('SELECT id FROM tasks').get() as { id: number }).id
  const run = rec.createRun(db, 'explore', 'r', {}, null)
  const ep = rec.createEpisode(db, run, { ...task!, rowId }, 0, 'leafe')
  const s = (observation: string, done = false) => ({ observation, feedback: 'fb', reward: 0, done, success: false, valid: true, branchDepth: 0 })
  const [root] = insertNodes(db, [{ episodeId: ep, parentId: null, step: 0, action: null, ...s('cell 0') }])
  const [n1] = insertNodes(db, [{ episodeId: ep, parentId: root!, step: 1, action: 'a', ...s('cell 1') }])
  const [n2] = insertNodes(db, [{ episodeId: ep, parentId: n1!, step: 2, action: 'a', ...s('pit', true) }])
  return { db, task: task!, ep, n1: n1!, n2: n2! }
}

describe('manual corrections', () => {
  it('renders the node\'s history like a D_cf pair and stores an accepted manual item', async () => {
    const { db, task, ep, n1, n2 } = corridorTree()

    const id = await createManualItem(db, { nodeId: n1!, action: 'b', note: 'b crosses the trap' })
    const item = getCorpusItem(db, id)
    expect(item).toMatchObject({
      kind: 'manual', status: 'accepted', source: 'human', env: 'corridor', taskKey: task.id,
      target: 'go b', failedAction: 'a', note: 'b crosses the trap', sourceNodeId: n1, episodeId: ep,
    })
    // The readable prompt at the state after one step (cell 1), with no experience in it.
    expect(item.prompt).toMatch(/^Reach the end\..*\ncell 1$/)
    expect(item.meta).toMatchObject({ compact: { prompt: 'cell 1', target: 'b' }, step: 1 })
    await expect(createManualItem(db, { nodeId: n1!, action: 'b', note: '' })).rejects.toThrow(/already teaches "go b" at this state/)
    await expect(createManualItem(db, { nodeId: n2!, action: 'b', note: '' })).rejects.toThrow(/ends its episode/)
    await expect(createManualItem(db, { nodeId: 4242, action: 'b', note: '' })).rejects.toThrow(/Node 4242 was not found/)
    db.close()
  })
})

describe('targets the environment does not accept', () => {
  it('refuses a manual correction or an edit the environment would not take at that state, naming the valid actions', async () => {
    const { db, n1 } = corridorTree()

    await expect(createManualItem(db, { nodeId: n1!, action: 'jump', note: '' })).rejects.toThrow(
      /^target: "jump" is not an action the environment accepts at step 1; valid actions here: a, b$/,
    )
    expect(listCorpus(db, {}, { by: 'id', dir: 'asc' }, 0, 10).total).toBe(0)
    // The parser's form is accepted and stored canonically.
    const id = await createManualItem(db, { nodeId: n1!, action: 'go b', note: '' })
    expect(getCorpusItem(db, id).target).toBe('go b')
    await expect(editTarget(db, id, 'fly north')).rejects.toThrow(/target: "fly north" is not an action .* valid actions here: a, b/)
    expect(getCorpusItem(db, id)).toMatchObject({ target: 'go b', history: [] })
    await editTarget(db, id, 'go a')
    expect(getCorpusItem(db, id).target).toBe('go a')
    db.close()
  })

  it('flags stored items whose target is outside the action space, and skips them in a bulk target edit', () => {
    const { db } = openStore(':memory:')
    insertCorpusItems(db, [item(1), item(3, { prompt: 'other' })])
    db.prepare(`UPDATE corpus_items SET edited_target = 'fly north' WHERE id = 1`).run()
    const rows = listCorpus(db, {}, { by: 'id', dir: 'asc' }, 0, 10).items
    expect(rows[0]!.targetProblem).toBe('"fly north" is not an action of Sokoban; valid actions: up, down, left, right.')
    expect(rows[1]!.targetProblem).toBeNull()
    const r = bulkApply(db, {}, { type: 'target', target: 'jump' })
    expect(r).toMatchObject({ matched: 2, changed: 0, skippedCount: 2 })
    expect(r.skipped[0]!.reason).toMatch(/"jump" is not an action of Sokoban/)
    db.close()
  })
})
