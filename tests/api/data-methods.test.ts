import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventPayload } from '../../src-main/api/contract.ts'
import { dispatch } from '../../src-main/api/dispatch.ts'
import { createService } from '../../src-main/api/service.ts'
import { Engine } from '../../src-main/core/engine.ts'
import { dataPaths } from '../../src-main/core/paths.ts'
import { now, openStore } from '../../src-main/core/store/db.ts'
import { writeFixtures, type FixtureSummary } from '../fixtures/stored-data.ts'
import { tempDir } from '../fixtures/tmp.ts'

// Every data method through dispatch: inputs validated, outputs checked against their schemas.
describe('data methods through the contract', () => {
  let engine: Engine
  let fx: FixtureSummary
  const quiet = () => undefined
  const call = async (method: string, input: unknown) => {
    const reply = await dispatch(createService(engine), method, input, (m) => {
      throw new Error(m)
    })
    if (!reply.ok) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`)
    return reply.result as any // eslint-disable-line @typescript-eslint/no-explicit-any
  }

  beforeAll(async () => {
    // Written before the engine opens, as an earlier session would have left them.
    const dataDir = tempDir()
    const { db } = openStore(dataPaths(dataDir).db)
    fx = await writeFixtures(db, { seed: 2 })
    db.close()
    engine = new Engine({ dataDir, log: quiet })
  })
  afterAll(() => engine.close())

  it('answers every read method with results that satisfy the output schemas', async () => {
    const runs = await call('runs.list', {})
    expect(runs.length).toBe(5)
    const eps = await call('episodes.list', { filter: { runId: fx.exploreRunId }, limit: 3 })
    expect(eps.items).toHaveLength(3)
    const ep = eps.items[0].id
    expect((await call('episodes.facets', {})).envs).toContain('sokoban')
    const t = await call('episodes.transcript', { id: ep })
    expect(t.steps.length).toBeGreaterThan(1)
    const tree = await call('episodes.tree', { id: ep })
    expect((await call('episodes.node', { id: tree.nodes[1].id })).node.observation).toContain('#')
    const page = await call('corpus.list', { filter: { kind: 'cf' }, sort: { by: 'updated', dir: 'desc' }, offset: 0, limit: 20 })
    expect(page.items.length).toBeGreaterThan(0)
    const item = await call('corpus.get', { id: page.items[0].id })
    expect(item.prompt).toContain('Push every box onto a goal')
    expect(item.episodeId).not.toBeNull()
    expect(item.tau).toBeGreaterThan(0)
    expect((await call('corpus.counts', {})).total).toBe(fx.corpusItems)
    expect((await call('checkpoints.list', {})).map((c: { name: string }) => c.name)).toEqual(['leafe', 'grpo', 'base'])
    expect((await call('train.metrics', { runId: fx.trainRunId })).points.length).toBeGreaterThan(300)
    const scopes = await call('eval.scopes', {})
    const [base, leafe] = [`checkpoint:${fx.checkpoints.base}`, `checkpoint:${fx.checkpoints.leafe}`]
    const curves = await call('eval.curves', { scope: scopes[0].scope, policies: ['random', base, leafe], resamples: 100 })
    expect(curves.map((c: { ks: number[] }) => c.ks.at(-1))).toEqual([32, 32, 32])
    expect((await call('eval.compare', { scope: scopes[0].scope, a: base, b: leafe })).common).toBe(40)
  })

  it('curates through the contract: accept, edit, bulk — and refuses bad input with the place named', async () => {
    const { items } = await call('corpus.list', { filter: { status: 'pending' }, limit: 2 })
    expect((await call('corpus.setStatus', { ids: [items[0].id], status: 'accepted' })).changed).toBe(1)
    // The environment's parser reads the target: "go <move>, please" is stored as the move.
    const move = ['up', 'down', 'left', 'right'].find((d) => d !== items[1].target)!
    const edited = await call('corpus.editTarget', { id: items[1].id, target: `go ${move}, please` })
    expect(edited).toMatchObject({ target: move, edited: true })
    expect((await call('corpus.editNote', { id: items[1].id, note: 'n' })).history).toHaveLength(2)
    const pending = (await call('corpus.counts', { filter: { status: 'pending', env: 'sokoban' } })).total
    const bulk = await call('corpus.bulk', { filter: { status: 'pending', env: 'sokoban' }, action: { type: 'status', status: 'rejected' }, expectMatched: pending })
    expect(bulk.changed).toBe(pending)

    const svc = createService(engine)
    const bad = async (method: string, input: unknown) => {
      const r = await dispatch(svc, method, input, quiet)
      if (r.ok) throw new Error(`${method} accepted ${JSON.stringify(input)}`)
      return r.error
    }
    expect(await bad('corpus.editTarget', { id: items[1].id, target: '   ' })).toMatchObject({ code: 'bad_request', issues: [{ path: 'target', message: 'The target action cannot be empty.' }] })
    expect(await bad('corpus.editTarget', { id: items[1].id, target: 'jump' })).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/^target: "jump" is not an action .*valid actions here: up, down, left, right$/) })
    expect(await bad('corpus.bulk', { filter: {}, action: { type: 'delete' } })).toMatchObject({ code: 'bad_request', issues: [{ path: 'action.type' }] })
    expect(await bad('corpus.list', { limit: 100_000 })).toMatchObject({ code: 'bad_request', issues: [{ path: 'limit' }] })
    expect(await bad('corpus.list', { filter: { kind: 'other' } })).toMatchObject({ issues: [{ path: 'filter.kind' }] })
    expect(await bad('corpus.get', { id: 999_999 })).toMatchObject({ code: 'not_found' })
    expect(await bad('corpus.setStatus', { ids: [], status: 'accepted' })).toMatchObject({ issues: [{ path: 'ids' }] })
    expect(await bad('eval.curves', { scope: { taskSetId: 1, runId: 2 }, policies: ['random'] })).toMatchObject({ code: 'bad_request' })
    expect(await bad('reflections.answer', { id: 1, rollbackStep: 2, experience: ' ' })).toMatchObject({ issues: [{ path: 'experience', message: 'Say what went wrong and what to do instead.' }] })
    expect(await bad('reflections.answer', { id: 1, rollbackStep: 0, experience: 'x' })).toMatchObject({ issues: [{ path: 'rollbackStep' }] })
    expect(await bad('reflections.skip', { id: 77 })).toMatchObject({ code: 'not_found' })
    // Sokoban is built in: a manual correction at a stored state goes through its prompt renderer
    // (the target in canonical form); the same correction twice is refused.
    expect(await call('corpus.manual', { nodeId: 1, action: 'U' })).toMatchObject({ kind: 'manual', status: 'accepted', target: 'up' })
    expect(await bad('corpus.manual', { nodeId: 1, action: 'up' })).toMatchObject({ code: 'conflict' })
  })

  it('streams new train_metrics rows as train.metrics events', async () => {
    const got = new Promise<EventPayload<'train.metrics'>>((resolve) => engine.once('train.metrics', resolve))
    engine.db.prepare(`INSERT INTO train_metrics (run_id, step, split, name, value, at) VALUES (?, 999, 'train', 'loss', 0.25, ?)`).run(fx.trainRunId, now())
    const event = await got
    expect(event).toMatchObject({ runId: fx.trainRunId, points: [{ step: 999, value: 0.25, name: 'loss', split: 'train' }] })
  })
})
