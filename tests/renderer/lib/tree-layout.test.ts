import { describe, expect, it } from 'vitest'
import type { BranchEvent, TreeNodeShape } from '../../../src-main/api/contract-runs.ts'
import { layoutTree, STEP_X } from '../../../src-renderer/src/lib/tree-layout.ts'

const node = (id: number, parentId: number | null, step: number, over: Partial<TreeNodeShape> = {}): TreeNodeShape => ({
  id, parentId, step, action: parentId === null ? null : 'up', reward: 0, done: false, success: false, valid: true, branchDepth: 0, ...over,
})

describe('tree layout', () => {
  it('puts steps left to right, classes nodes by outcome, and separates branch links', () => {
    const nodes = [
      node(1, null, 0), node(2, 1, 1), node(3, 2, 2, { done: true }),
      node(4, 1, 1, { branchDepth: 1, valid: false }), node(5, 4, 2, { branchDepth: 1, done: true, success: true }),
    ]
    const events = [{ nodeId: 1 } as BranchEvent]
    const t = layoutTree(nodes, events)
    expect(t.byId.get(3)!.x).toBe(2 * STEP_X)
    expect(t.nodes.map((n) => [n.id, n.cls])).toEqual(expect.arrayContaining([[1, 'root'], [2, 'step'], [3, 'failure'], [4, 'invalid'], [5, 'success']]))
    expect(t.byId.get(1)!.branchPoint).toBe(true)
    expect(t.byId.get(1)!.children.sort()).toEqual([2, 4])
    expect(t.branchLinks.split('M').length - 1).toBe(1) // 1 → 4 is the branch
    expect(t.links.split('M').length - 1).toBe(3)
    expect(t.shapes.failure).toMatch(/^M.*L.*M.*L/)
    expect(t.byId.get(2)!.y).not.toBe(t.byId.get(4)!.y)
  })

  it('lays out 5,000 nodes with every node placed and no two on one spot', () => {
    let seed = 7
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000)
    const nodes = [node(1, null, 0)]
    for (let i = 2; i <= 5000; i++) {
      const parent = nodes[Math.floor(rand() * nodes.length)]!
      nodes.push(node(i, parent.id, parent.step + 1, { branchDepth: parent.branchDepth + (rand() < 0.1 ? 1 : 0) }))
    }
    const t = layoutTree(nodes, [])
    expect(t.nodes).toHaveLength(5000)
    expect(new Set(t.nodes.map((n) => `${n.x},${n.y}`)).size).toBe(5000)
    for (const n of t.nodes) if (n.parentId !== null) expect(n.x).toBeGreaterThan(t.byId.get(n.parentId)!.x)
  })
})
