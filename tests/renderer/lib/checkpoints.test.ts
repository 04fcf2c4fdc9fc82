import { describe, expect, it } from 'vitest'
import type { CheckpointInfo } from '../../../src-main/api/contract-training.ts'
import { runCheckpoints } from '../../../src-renderer/src/lib/checkpoints.ts'

const cp = (id: number, runId: number | null, lineage: number[]): CheckpointInfo => ({
  id, name: `c${id}`, kind: 'local', parentId: lineage[0] ?? null, lineage: lineage.map((l) => ({ id: l, name: `c${l}` })),
  runId, runKind: runId === null ? null : 'sft', runName: null, path: null, config: null, createdAt: '',
})

describe('one checkpoint per run', () => {
  it("keeps each run's newest, counts what it saved, and links it to the nearest shown ancestor", () => {
    // Run 1 (base) saved 1 and 2; run 2 trained from 2 and saved 3, 4, 5 (each the parent of the next); 6 was imported.
    const all = [cp(6, null, []), cp(5, 2, [4, 3, 2, 1]), cp(4, 2, [3, 2, 1]), cp(3, 2, [2, 1]), cp(2, 1, [1]), cp(1, 1, [])]
    const shown = runCheckpoints(all)
    expect(shown.map((c) => [c.id, c.saved, c.shownParentId, c.shownLineage.map((l) => l.id)])).toEqual([
      [6, 1, null, []],
      [5, 3, 2, [2]],
      [2, 2, null, []],
    ])
  })
})
