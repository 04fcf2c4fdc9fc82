// Lays out one episode's exploration tree for drawing: steps run left to right, attempts stack
// top to bottom (d3's tidy tree). Pure, so that a 5,000-node tree is laid out once and drawn as a
// handful of SVG paths — one per outcome shape — rather than thousands of elements.
import { stratify, tree as tidyTree } from 'd3'
import type { BranchEvent, TreeNodeShape } from '../../../src-main/api/contract-runs.ts'

export type NodeClass = 'root' | 'step' | 'success' | 'failure' | 'invalid'
export type PlacedNode = { id: number; parentId: number | null; data: TreeNodeShape; x: number; y: number; cls: NodeClass; children: number[]; branchPoint: boolean }
export type TreeLayout = {
  nodes: PlacedNode[]
  byId: Map<number, PlacedNode>
  /** SVG path data: the original continuation links, and the links a branch took. */
  links: string
  branchLinks: string
  /** One path per outcome class, every node of that class in it. */
  shapes: Record<NodeClass, string>
  branchMarks: string
  width: number
  height: number
}

export const STEP_X = 46
export const ROW_Y = 16
const R = 5

export function classOf(n: TreeNodeShape): NodeClass {
  if (n.parentId === null) return 'root'
  if (n.success) return 'success'
  if (n.done) return 'failure'
  if (!n.valid) return 'invalid'
  return 'step'
}

// Shapes drawn at (x, y) directly, so that all nodes of a class share one path.
const f = (v: number) => v.toFixed(1)
const SHAPE: Record<NodeClass, (x: number, y: number) => string> = {
  root: (x, y) => `M${f(x - R)},${f(y - R)}h${2 * R}v${2 * R}h${-2 * R}Z`,
  step: (x, y) => `M${f(x + 2.5)},${f(y)}a2.5,2.5 0 1,1 -5,0a2.5,2.5 0 1,1 5,0Z`,
  success: (x, y) => `M${f(x + R + 1)},${f(y)}a${R + 1},${R + 1} 0 1,1 ${-2 * (R + 1)},0a${R + 1},${R + 1} 0 1,1 ${2 * (R + 1)},0Z`,
  failure: (x, y) => `M${f(x - R)},${f(y - R)}L${f(x + R)},${f(y + R)}M${f(x - R)},${f(y + R)}L${f(x + R)},${f(y - R)}`,
  invalid: (x, y) => `M${f(x)},${f(y - R)}L${f(x + R)},${f(y + R * 0.8)}L${f(x - R)},${f(y + R * 0.8)}Z`,
}
const diamond = (x: number, y: number) => `M${f(x)},${f(y - 8)}L${f(x + 8)},${f(y)}L${f(x)},${f(y + 8)}L${f(x - 8)},${f(y)}Z`

export function layoutTree(nodes: TreeNodeShape[], events: BranchEvent[]): TreeLayout {
  const branchAt = new Set(events.map((e) => e.nodeId))
  const root = stratify<TreeNodeShape>()
    .id((n) => String(n.id))
    .parentId((n) => (n.parentId === null ? null : String(n.parentId)))(nodes)
  // nodeSize: [vertical gap between rows, horizontal gap between steps].
  tidyTree<TreeNodeShape>().nodeSize([ROW_Y, STEP_X])(root)

  const all = root.descendants()
  let minY = Infinity
  let maxY = -Infinity
  for (const d of all) {
    if (d.x! < minY) minY = d.x!
    if (d.x! > maxY) maxY = d.x!
  }
  const placed: PlacedNode[] = new Array(all.length)
  const byId = new Map<number, PlacedNode>()
  for (let i = 0; i < all.length; i++) {
    const d = all[i]!
    const n = d.data
    const p: PlacedNode = {
      id: n.id,
      parentId: n.parentId,
      data: n,
      x: d.y!,
      y: d.x! - minY,
      cls: classOf(n),
      children: d.children ? d.children.map((c) => c.data.id) : [],
      branchPoint: branchAt.has(n.id),
    }
    placed[i] = p
    byId.set(p.id, p)
  }

  const links: string[] = []
  const branchLinks: string[] = []
  const shapes: Record<NodeClass, string[]> = { root: [], step: [], success: [], failure: [], invalid: [] }
  const marks: string[] = []
  let width = 0
  for (const n of placed) {
    width = Math.max(width, n.x)
    shapes[n.cls].push(SHAPE[n.cls](n.x, n.y))
    if (n.branchPoint) marks.push(diamond(n.x, n.y))
    if (n.parentId === null) continue
    const p = byId.get(n.parentId)!
    const mid = (p.x + n.x) / 2
    const d = `M${f(p.x)},${f(p.y)}C${f(mid)},${f(p.y)} ${f(mid)},${f(n.y)} ${f(n.x)},${f(n.y)}`
    ;(n.data.branchDepth > p.data.branchDepth ? branchLinks : links).push(d)
  }
  return {
    nodes: placed,
    byId,
    links: links.join(''),
    branchLinks: branchLinks.join(''),
    shapes: { root: shapes.root.join(''), step: shapes.step.join(''), success: shapes.success.join(''), failure: shapes.failure.join(''), invalid: shapes.invalid.join('') },
    branchMarks: marks.join(''),
    width,
    height: maxY - minY,
  }
}
