import { beforeAll, describe, expect, it } from 'vitest'
import { openStore, type DB } from '../../../src-main/core/store/db.ts'
import { episodeFacets, episodeTree, listEpisodes, nodeState, transcript } from '../../../src-main/core/store/episodes.ts'
import { writeFixtures, type FixtureSummary } from '../../fixtures/stored-data.ts'
import { listCheckpoints } from '../../../src-main/core/store/checkpoints.ts'
import { listRuns } from '../../../src-main/core/store/runs.ts'

describe('episodes, transcripts and trees from the store', () => {
  let db: DB
  let fx: FixtureSummary
  beforeAll(async () => {
    db = openStore(':memory:').db
    fx = await writeFixtures(db, { seed: 3 })
  })

  it('lists runs with their job, and episode counts by outcome', () => {
    const runs = listRuns(db)
    const explore = runs.find((r) => r.id === fx.exploreRunId)!
    expect(explore).toMatchObject({ kind: 'explore', status: 'done', job: { status: 'done' } })
    const eps = listEpisodes(db, { runId: fx.exploreRunId }, 0, 100)
    expect(explore.episodes.total).toBe(eps.total)
    expect(explore.episodes.success + explore.episodes.failure).toBe(eps.total)
    expect(listRuns(db, { kinds: ['sft'] }).map((r) => r.id)).toEqual([fx.trainRunId])
  })

  it('filters episodes by environment, task prefix and outcome, and pages them', () => {
    const all = listEpisodes(db, {}, 0, 500)
    expect(all.total).toBe(fx.episodeIds.length)
    const household = listEpisodes(db, { env: 'household' }, 0, 500)
    expect(household.items.every((e) => e.env === 'household')).toBe(true)
    expect(household.total).toBe(6)
    const wins = listEpisodes(db, { status: 'success' }, 0, 500)
    expect(wins.items.every((e) => e.status === 'success')).toBe(true)
    const picks = household.items.filter((e) => e.taskKey.startsWith('pick/')).length
    expect(picks).toBeGreaterThan(0)
    expect(listEpisodes(db, { task: 'pick/' }, 0, 500).total).toBe(picks)
    expect(listEpisodes(db, { task: 'pick_' }, 0, 500).total).toBe(0) // '_' is literal
    const page = listEpisodes(db, {}, 2, 3)
    expect(page.items.map((e) => e.id)).toEqual(all.items.slice(2, 5).map((e) => e.id))
    expect(episodeFacets(db).envs).toEqual(['household', 'sokoban'])
  })

  it('gives the first attempt by default, with each reflection on the path at the state it blames', () => {
    const ep = listEpisodes(db, { runId: fx.exploreRunId }, 0, 100).items.find((e) => e.branchEvents > 0)!
    const t = transcript(db, ep.id)
    expect(t.steps[0]!.parentId).toBeNull()
    expect(t.steps[0]!.action).toBeNull()
    t.steps.slice(1).forEach((s, i) => expect(s.parentId).toBe(t.steps[i]!.id))
    expect(t.leaves.some((l) => l.id === t.leafId)).toBe(true)
    expect(t.instruction).toMatch(/Push every box/)
    const ids = new Set(t.steps.map((s) => s.id))
    for (const r of t.reflections) {
      expect(ids.has(r.nodeId)).toBe(true)
      // The state at tau is step tau − 1; the failed action is the path's next action there.
      const at = t.steps.findIndex((s) => s.id === r.nodeId)
      expect(t.steps[at]!.step).toBe(r.tau - 1)
    }
    // Following a branch: the path goes through the revised child and the reflection stays on it.
    const ev = episodeTree(db, ep.id).branchEvents.find((b) => b.childNodeId !== null)!
    const branch = transcript(db, ep.id, ev.childNodeId!)
    expect(branch.steps.map((s) => s.id)).toContain(ev.childNodeId)
    expect(branch.reflections.map((r) => r.id)).toContain(ev.id)
    expect(() => transcript(db, ep.id, 999_999)).toThrow(/Node 999999 in episode/)
  })

  it('returns the whole tree without texts, and one node with its texts and next actions', () => {
    const ep = fx.episodeIds[0]!
    const tree = episodeTree(db, ep)
    expect(tree.nodes.length).toBe(tree.episode.nodes)
    expect(tree.nodes[0]).not.toHaveProperty('observation')
    const withKids = tree.nodes.find((n) => tree.nodes.filter((m) => m.parentId === n.id).length > 1)!
    const state = nodeState(db, withKids.id)
    expect(state.node.observation).toMatch(/#######/)
    expect(state.nextActions.length).toBeGreaterThan(1)
    expect(state.episodeId).toBe(ep)
    expect(() => nodeState(db, 999_999)).toThrow(/Node 999999 was not found/)
  })

  it('lists checkpoints with their lineage and making run', () => {
    const cps = listCheckpoints(db)
    const leafe = cps.find((c) => c.name === 'leafe')!
    expect(leafe.lineage.map((l) => l.name)).toEqual(['grpo', 'base'])
    expect(leafe).toMatchObject({ runId: fx.trainRunId, runKind: 'sft' })
    expect(cps.find((c) => c.name === 'base')!.lineage).toEqual([])
  })
})
