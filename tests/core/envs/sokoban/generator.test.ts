import { describe, expect, it } from 'vitest'
import { Board } from '../../../../src-main/core/envs/sokoban/board.ts'
import { generateLevel } from '../../../../src-main/core/envs/sokoban/generator.ts'
import { fixedText, levelText, parseLevelText, BOX, GOAL, type Dir } from '../../../../src-main/core/envs/sokoban/grid.ts'
import { contentSplit, splitSeeds } from '../../../../src-main/core/envs/splits.ts'
import { sokoban } from '../../../../src-main/core/envs/sokoban/environment.ts'
import { PRESETS } from '../../../../src-main/core/envs/sokoban/tasks.ts'

describe('Sokoban generator', () => {
  it('every generated level of every preset is solvable: its solution replays to solved within the step limit', () => {
    for (const [name, preset] of Object.entries(PRESETS)) {
      const count = preset.boxes >= 4 ? 40 : 100
      for (let seed = 0; seed < count; seed++) {
        const g = generateLevel(preset, seed, undefined, preset.maxSteps)
        const b = new Board(g.level)
        expect(b.boxCount).toBe(preset.boxes)
        expect(b.boxesOnGoal, `${name} seed ${seed} starts with a box on a goal`).toBe(0)
        for (const a of g.solution.actions) b.step(a)
        expect(b.solved, `${name} seed ${seed}`).toBe(true)
        expect(g.solution.actions.length).toBeLessThanOrEqual(preset.maxSteps)
        expect(levelText(parseLevelText(g.text))).toBe(g.text)
        expect(g.level.width).toBe(preset.width)
        expect(g.level.cells.filter((c) => c & GOAL).length).toBe(g.level.cells.filter((c) => c & BOX).length)
      }
    }
  })

  it('is deterministic: a seed always gives the same level', () => {
    for (const seed of [0, 7, 123456, 2_000_000_001]) {
      expect(generateLevel(PRESETS['7x7-2'], seed).text).toBe(generateLevel(PRESETS['7x7-2'], seed).text)
    }
    expect(sokoban.tasks('test', 5, 0, { preset: '6x6-1' })).toEqual(sokoban.tasks('test', 5, 0, { preset: '6x6-1' }))
  })

  it('train and test never share a seed or a level, even in rooms so small that seeds repeat levels', () => {
    const train = sokoban.tasks('train', 400, 0, { preset: '6x6-1' })
    const test = sokoban.tasks('test', 100, 0, { preset: '6x6-1' })
    const trainSeeds = new Set(train.map((t) => t.seed))
    expect(test.some((t) => trainSeeds.has(t.seed))).toBe(false)
    const trainLevels = new Set(train.map((t) => t.meta!.level))
    expect(test.filter((t) => trainLevels.has(t.meta!.level))).toEqual([])
    for (const t of test) expect(contentSplit(fixedText(parseLevelText(t.meta!.level as string)))).toBe('test')
    // Without the content rule, seeds alone would repeat levels across splits in this room size:
    const unsplit = new Set(Array.from({ length: 400 }, (_, s) => generateLevel(PRESETS['6x6-1'], s).text))
    const unsplitTest = Array.from({ length: 100 }, (_, s) => generateLevel(PRESETS['6x6-1'], 2_000_000_000 + s).text)
    expect(unsplitTest.filter((t) => unsplit.has(t)).length).toBeGreaterThan(0)
  })

  it('splits by walls and goals: no held-out level shares them with a training level, and no state on an optimal held-out path is a training state', () => {
    // The quickstart's room: one box in 7x7, where seeds often draw the same walls and goals.
    const params = { preset: '7x7-1', slack: 1 }
    const sets = { train: sokoban.tasks('train', 2000, 0, params), valid: sokoban.tasks('valid', 256, 0, params), test: sokoban.tasks('test', 256, 0, params) }
    const levelOf = (t: { meta?: Record<string, unknown> }) => parseLevelText(t.meta!.level as string)
    /** Every state an optimal play of the task passes through, its start included. */
    const pathStates = (t: { meta?: Record<string, unknown> }): string[] => {
      const level = levelOf(t)
      const board = new Board(level)
      const out = [board.draw()]
      for (const a of generateLevel({ width: level.width, height: level.height, boxes: 1 }, (t as { seed: number }).seed, (t as { split: 'train' }).split).solution.actions) {
        board.step(a as Dir)
        out.push(board.draw())
      }
      expect(board.solved).toBe(true)
      return out
    }
    const trainKeys = new Set(sets.train.map((t) => fixedText(levelOf(t))))
    const trainStates = new Set(sets.train.flatMap(pathStates))
    for (const split of ['valid', 'test'] as const) {
      expect(sets[split].filter((t) => trainKeys.has(fixedText(levelOf(t)))), `${split} levels with a training level's walls and goals`).toEqual([])
      const states = sets[split].flatMap(pathStates)
      expect(states.filter((s) => trainStates.has(s)), `${split} path states that are training states`).toEqual([])
    }
    const validKeys = new Set(sets.valid.map((t) => fixedText(levelOf(t))))
    expect(sets.test.filter((t) => validKeys.has(fixedText(levelOf(t))))).toEqual([])
  })

  it('seed ranges of the splits are disjoint and bad requests say what was wrong', () => {
    expect(splitSeeds('train', 3, 5)).toEqual([5, 6, 7])
    expect(splitSeeds('test', 2, 0)).toEqual([2_000_000_000, 2_000_000_001])
    expect(() => splitSeeds('dev', 1, 0)).toThrow(/splits train, valid, test; "dev" is not/)
    expect(() => splitSeeds('train', 10, 999_999_995)).toThrow(/offset \+ count/)
    expect(() => sokoban.tasks('train', 1, 0, { preset: '9x9-9' })).toThrow(/preset/)
    expect(() => sokoban.tasks('train', 1, 0, { preset: '7x7-2', colour: 'red' })).toThrow(/Sokoban parameters/)
  })
})

describe('per-level step limits (slack)', () => {
  it('gives each level its fewest moves plus the slack, the same levels as without it', async () => {
    const { getEnvironment } = await import('../../../../src-main/core/envs/registry.ts')
    const env = getEnvironment('sokoban')
    const plain = env.tasks('test', 20, 0, { preset: '7x7-2' })
    const tight = env.tasks('test', 20, 0, { preset: '7x7-2', slack: 3 })
    tight.forEach((t, i) => {
      const meta = t.meta as { level: string; maxSteps: number; optimalMoves: number }
      expect(meta.level).toBe((plain[i]!.meta as { level: string }).level)
      expect(meta.maxSteps).toBe(Math.min(40, meta.optimalMoves + 3))
      expect(t.instruction).toContain(`at most ${meta.maxSteps} moves`)
    })
    // The limit is enforced: after maxSteps moves the episode is over.
    const t = tight[0]!
    const meta = t.meta as { maxSteps: number; optimalMoves: number }
    const session = await env.open(t)
    await session.reset()
    let last
    for (let i = 0; i < meta.maxSteps; i++) last = await session.step(i % 2 ? 'left' : 'right')
    expect(last!.done).toBe(true)
    await session.close()
  })
})
