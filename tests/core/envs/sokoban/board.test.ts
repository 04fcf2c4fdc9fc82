import { describe, expect, it } from 'vitest'
import { Random } from '../../../../src-main/core/random.ts'
import { Board, BOX_AGAINST_BOX, BOX_AGAINST_WALL, BUMPED_WALL, DEADLOCK, MOVED, OFF_GOAL, ONTO_GOAL, PUSHED, SOLVED } from '../../../../src-main/core/envs/sokoban/board.ts'
import { levelText, parseLevelText, type Dir } from '../../../../src-main/core/envs/sokoban/grid.ts'
import { generateLevel } from '../../../../src-main/core/envs/sokoban/generator.ts'
import { PRESETS } from '../../../../src-main/core/envs/sokoban/tasks.ts'

const UP = 0, DOWN = 1, LEFT = 2, RIGHT = 3

const board = (rows: string[]) => new Board(parseLevelText(rows.join('\n')))

describe('Sokoban board', () => {
  it('moves, bumps into walls, pushes boxes onto and off goals, and solves', () => {
    const fresh = board(['#######', '#     #', '#.$@  #', '#######'])
    expect(fresh.step(LEFT)).toBe(MOVED | PUSHED | ONTO_GOAL | SOLVED)
    expect(fresh.solved).toBe(true)
    const off = board(['########', '#      #', '#  *@  #', '#      #', '########'])
    expect(off.step(LEFT)).toBe(MOVED | PUSHED | OFF_GOAL)
    expect(off.boxesOnGoal).toBe(0)
    const walls = board(['#####', '#@ .#', '# $ #', '#   #', '#   #', '#####'])
    expect(walls.step(UP)).toBe(BUMPED_WALL)
    expect(walls.step(LEFT)).toBe(BUMPED_WALL)
    expect(walls.player).toBe(6)
    expect(walls.step(RIGHT)).toBe(MOVED)
    expect(walls.step(DOWN)).toBe(MOVED | PUSHED)
    expect(walls.lastBox).toBe(17)
  })

  it('says why a box cannot move: a wall or another box behind it', () => {
    const b = board(['######', '#@$$.#', '#  . #', '######'])
    expect(b.step(RIGHT)).toBe(BOX_AGAINST_BOX)
    expect(b.lastBox).toBe(8)
    const w = board(['#####', '# .@#', '# $ #', '#   #', '#####'])
    w.step(LEFT) // walks onto the goal
    w.step(DOWN) // pushes the box down to (3, 2)
    expect(w.step(DOWN)).toBe(BOX_AGAINST_WALL)
    expect(levelText(w.toLevel())).toBe('#####\n# . #\n# @ #\n# $ #\n#####')
  })

  it('names deadlocks: a non-goal corner, a wall with no goal, boxes frozen together', () => {
    const corner = board(['######', '# $@ #', '#    #', '#  . #', '######'])
    expect(corner.step(LEFT) & DEADLOCK).toBeTruthy()
    expect(corner.deadlock).toEqual({ kind: 'corner', boxes: [7] })
    const wall = board(['#######', '#     #', '# $   #', '# @ . #', '#######'])
    expect(wall.step(UP) & DEADLOCK).toBeTruthy()
    expect(wall.deadlock?.kind).toBe('wall')
    const frozen = board(['#########', '#       #', '# $$  ..#', '# $ $@..#', '#       #', '#########'])
    expect(frozen.step(LEFT) & DEADLOCK).toBeTruthy()
    expect(frozen.deadlock?.kind).toBe('frozen')
    expect([...frozen.deadlock!.boxes].sort((a, b) => a - b)).toEqual([20, 21, 29, 30])
    // The same block, all on goals, is no deadlock.
    const solvedBlock = board(['#########', '#   $ . #', '# **    #', '# *.$@  #', '#       #', '#########'])
    expect(solvedBlock.step(LEFT) & DEADLOCK).toBeFalsy()
  })

  it('snapshot/restore is exact, and replaying any prefix gives the identical state (random action sequences)', () => {
    const rng = new Random(20260101)
    for (const [name, preset] of Object.entries(PRESETS)) {
      for (let level = 0; level < 20; level++) {
        const { level: lv } = generateLevel(preset, level)
        const b = new Board(lv)
        const actions: Dir[] = Array.from({ length: 200 }, () => rng.int(4) as Dir)
        const snaps = [b.snapshot()]
        const texts = [b.draw()]
        for (const a of actions) {
          b.step(a)
          snaps.push(b.snapshot())
          texts.push(b.draw())
        }
        for (let probe = 0; probe < 10; probe++) {
          const k = rng.int(actions.length + 1)
          // restore(snapshot) gives the state back, even after playing on from elsewhere
          b.restore(snaps[k]!)
          expect(b.draw(), `${name} level ${level} restore ${k}`).toBe(texts[k])
          expect(b.snapshot()).toEqual(snaps[k])
          // replay of the prefix from a fresh board gives the same state
          const r = new Board(lv)
          for (const a of actions.slice(0, k)) r.step(a)
          expect(r.snapshot(), `${name} level ${level} replay ${k}`).toEqual(snaps[k])
          // and playing on from the restored state matches the original continuation
          for (let j = k; j < Math.min(actions.length, k + 20); j++) {
            b.step(actions[j]!)
            expect(b.draw()).toBe(texts[j + 1])
          }
        }
      }
    }
  })
})
