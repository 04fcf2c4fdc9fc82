// Training saves a checkpoint per epoch, each the parent of the next; lists and the lineage show
// one per run — its newest — so that a 20-epoch run is one entry, not a staircase of twenty.
import type { CheckpointInfo } from '../../../src-main/api/contract-training.ts'

export type RunCheckpoint = CheckpointInfo & {
  /** How many checkpoints the run saved (this one included). */
  saved: number
  /** The nearest ancestor that is itself shown (another run's newest), or null. */
  shownParentId: number | null
  /** Ancestors as shown, parent first. */
  shownLineage: { id: number; name: string }[]
}

export function runCheckpoints(all: CheckpointInfo[]): RunCheckpoint[] {
  const newest = new Map<number, CheckpointInfo>()
  const count = new Map<number, number>()
  for (const c of all) {
    if (c.runId === null) continue
    count.set(c.runId, (count.get(c.runId) ?? 0) + 1)
    if ((newest.get(c.runId)?.id ?? -1) < c.id) newest.set(c.runId, c)
  }
  const shown = all.filter((c) => c.runId === null || newest.get(c.runId)?.id === c.id)
  const shownIds = new Set(shown.map((c) => c.id))
  return shown.map((c) => {
    const lineage = c.lineage.filter((l) => shownIds.has(l.id))
    return { ...c, saved: c.runId === null ? 1 : count.get(c.runId)!, shownParentId: lineage[0]?.id ?? null, shownLineage: lineage }
  })
}
