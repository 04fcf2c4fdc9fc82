import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { layoutOf } from '../../../../src-main/core/envs/sokoban/analysis.ts'
import { Board } from '../../../../src-main/core/envs/sokoban/board.ts'
import { generateLevel } from '../../../../src-main/core/envs/sokoban/generator.ts'
import { levelText, parseLevelText, type Dir, type Level } from '../../../../src-main/core/envs/sokoban/grid.ts'
import { parseLevelFile } from '../../../../src-main/core/envs/sokoban/import.ts'
import { Solver } from '../../../../src-main/core/envs/sokoban/solver.ts'
import { Random } from '../../../../src-main/core/random.ts'

const solve = (level: Level, mode: 'moves' | 'any' = 'moves') => {
  const b = new Board(level)
  return new Solver(layoutOf(level)).solve(b.boxes(), b.player, { mode })
}

const replaySolves = (level: Level, actions: Dir[]): boolean => {
  const b = new Board(level)
  for (const a of actions) b.step(a)
  return b.solved
}

/** The true fewest moves, by breadth-first search over every (player, boxes) state. */
function bruteForceMoves(level: Level): number {
  const start = new Board(level)
  if (start.solved) return 0
  const key = (b: Board) => `${b.player}|${b.boxes().join(',')}`
  const seen = new Set([key(start)])
  let frontier = [start.snapshot()]
  const b = new Board(level)
  for (let depth = 1; frontier.length; depth++) {
    const next = []
    for (const s of frontier) {
      for (let d = 0 as Dir; d < 4; d = (d + 1) as Dir) {
        b.restore(s)
        b.step(d)
        if (b.solved) return depth
        const k = key(b)
        if (seen.has(k)) continue
        seen.add(k)
        next.push(b.snapshot())
      }
    }
    frontier = next
  }
  return -1
}

const BOXOBAN = '../shared/datasets/boxoban/medium_valid_000.txt'

describe('Sokoban solver', () => {
  it('finds fewest-move solutions (checked against brute force) that replay to solved', () => {
    for (const [spec, seeds] of [
      [{ width: 6, height: 6, boxes: 1 }, 40],
      [{ width: 7, height: 7, boxes: 2 }, 25],
    ] as const) {
      for (let seed = 0; seed < seeds; seed++) {
        const { level } = generateLevel(spec, seed)
        const r = solve(level)
        expect(r.status).toBe('solved')
        if (r.status !== 'solved') continue
        expect(replaySolves(level, r.actions)).toBe(true)
        expect(r.actions.length, `seed ${seed}`).toBe(bruteForceMoves(level))
      }
    }
  })

  it('says "unsolvable" exactly when brute force finds no solution (random states of small levels)', () => {
    // The box starts in a corner; two boxes in a corridor can never be pushed one past the other.
    expect(solve(parseLevelText('#####\n#$  #\n#  .#\n# @ #\n#####'), 'any').status).toBe('unsolvable')
    expect(solve(parseLevelText('########\n#..$$@ #\n###### #\n#      #\n########'), 'any').status).toBe('unsolvable')
    const rng = new Random(99)
    let unsolvable = 0
    for (let seed = 0; seed < 60; seed++) {
      const { level } = generateLevel(seed % 2 ? { width: 7, height: 7, boxes: 2 } : { width: 6, height: 6, boxes: 1 }, seed)
      const b = new Board(level)
      for (let i = 0; i < 30; i++) b.step(rng.int(4) as Dir)
      const state = b.toLevel()
      const truth = bruteForceMoves(state)
      const r = solve(state, 'any')
      expect(r.status, `seed ${seed}: ${levelText(state)}`).toBe(truth === 0 || truth > 0 ? 'solved' : 'unsolvable')
      if (r.status === 'solved') expect(replaySolves(state, r.actions)).toBe(true)
      if (truth < 0) unsolvable++
    }
    expect(unsolvable).toBeGreaterThan(5)
  })

  it.skipIf(!existsSync(BOXOBAN))('solves real Boxoban levels; plans replay to solved', () => {
    const levels = parseLevelFile(readFileSync(BOXOBAN, 'utf8')).slice(0, 30)
    for (const l of levels) {
      const r = solve(l.level)
      expect(r.status, `Boxoban level ${l.title}`).toBe('solved')
      if (r.status === 'solved') expect(replaySolves(l.level, r.actions)).toBe(true)
    }
  })

  it('gives up past its node budget instead of running on', () => {
    const { level } = generateLevel({ width: 10, height: 10, boxes: 4 }, 3)
    const b = new Board(level)
    const r = new Solver(layoutOf(level)).solve(b.boxes(), b.player, { maxNodes: 2 })
    expect(r.status).toBe('gave_up')
  })
})
