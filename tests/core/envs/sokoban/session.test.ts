import { describe, expect, it } from 'vitest'
import { sokoban } from '../../../../src-main/core/envs/sokoban/environment.ts'
import { SokobanSession } from '../../../../src-main/core/envs/sokoban/session.ts'
import { parseLevelText } from '../../../../src-main/core/envs/sokoban/grid.ts'
import { Random } from '../../../../src-main/core/random.ts'
import type { Step } from '../../../../src-main/core/envs/types.ts'

const session = (rows: string[], maxSteps = 50, endOnDeadlock = false) => new SokobanSession(parseLevelText(rows.join('\n')), { maxSteps, endOnDeadlock })

describe('Sokoban session', () => {
  it('reads actions in any case and as single letters; anything else is invalid, names the valid actions and changes nothing', async () => {
    const s = session(['#######', '#     #', '# $@  #', '#  .  #', '#######'])
    const start = await s.reset()
    for (const bad of ['jump', '', 'upp', 'go up', 'north']) {
      const r = await s.step(bad)
      expect(r).toMatchObject({ valid: false, reward: -0.1, done: false, observation: start.observation })
      expect(r.feedback).toMatch(/is not an action\. Valid actions: up, down, left, right \(or u, d, l, r\)\. Nothing moved\./)
    }
    expect((await s.step('UP')).feedback).toBe('You moved up to (1, 3).')
    expect((await s.step(' d ')).feedback).toBe('You moved down to (2, 3).')
    expect((await s.step('Right')).valid).toBe(true)
    expect((await s.step('L')).feedback).toBe('You moved left to (2, 3).')
  })

  it('says what blocked a move: a wall, or a box with a wall or box behind it', async () => {
    const s = session(['#######', '#@$$. #', '# $ . #', '# #.  #', '#######'])
    await s.reset()
    expect(s.stepSync('up').feedback).toBe('Blocked: there is a wall above you. Nothing moved.')
    expect(s.stepSync('right').feedback).toBe('The box at (1, 2) cannot move right: there is another box behind it. Nothing moved.')
    s.stepSync('down')
    expect(s.stepSync('right').feedback).toBe('You pushed the box from (2, 2) right to (2, 3).')
    const w = session(['#####', '#@$##', '# . #', '#####'])
    await w.reset()
    expect(w.stepSync('right').feedback).toBe('The box at (1, 2) cannot move right: there is a wall behind it. Nothing moved.')
  })

  it('pushes, reports goals and solving, then refuses further moves', async () => {
    const s = session(['#######', '#     #', '# .$@ #', '#######'])
    await s.reset()
    const up = await s.step('up')
    expect(up).toMatchObject({ feedback: 'You moved up to (1, 4).', reward: -0.1, done: false, success: false })
    await s.step('down')
    const push = await s.step('left')
    expect(push).toMatchObject({ done: true, success: true, valid: true })
    expect(push.feedback).toBe('You pushed the box from (2, 3) left to (2, 2). It is on a goal now (1 of 1 box on goals). Every box is on a goal: the level is solved!')
    expect(push.reward).toBeCloseTo(-0.1 + 1 + 10)
    expect(push.observation).toBe('#######\n#     #\n# *@  #\n#######')
    expect(await s.step('left')).toMatchObject({ valid: false, done: true, success: true, feedback: 'The episode is over (the level is solved); nothing moved. Reset to play again.' })
  })

  it('says when the level is lost and plays on to the step limit, or ends at once when told to', async () => {
    const rows = ['######', '# $@ #', '#  . #', '#    #', '######']
    const goOn = session(rows, 4)
    await goOn.reset()
    goOn.stepSync('down')
    goOn.stepSync('up')
    const lost = goOn.stepSync('left')
    expect(lost.feedback).toBe('You pushed the box from (1, 2) left to (1, 1). Deadlock: the box at (1, 1) is in a corner that is not a goal and can never be moved out. The level can no longer be solved.')
    expect(lost.done).toBe(false)
    const last = goOn.stepSync('down')
    expect(last).toMatchObject({ done: true, success: false, feedback: 'You moved down to (2, 2). The level is lost since step 3. Out of moves: the limit of 4 is reached.' })
    const stop = session(rows, 4, true)
    await stop.reset()
    stop.stepSync('down')
    stop.stepSync('up')
    expect(stop.stepSync('left')).toMatchObject({ done: true, success: false })
    expect(stop.stepSync('left').feedback).toBe('The episode is over (the level was lost); nothing moved. Reset to play again.')
  })

  it('snapshot/restore and replay through the session API give identical steps (random action sequences, invalid ones included)', async () => {
    const rng = new Random(11)
    const vocabulary = ['up', 'down', 'left', 'right', 'U', 'x', 'Left']
    for (const preset of ['6x6-1', '7x7-2', '10x10-4']) {
      for (const task of sokoban.tasks('train', 8, 100, { preset })) {
        const s = sokoban.openSync(task)
        await s.reset()
        const actions = Array.from({ length: 60 }, () => rng.pick(vocabulary))
        const snaps: unknown[] = [s.snapshot()]
        const steps: Step[] = []
        for (const a of actions) {
          steps.push(await s.step(a))
          snaps.push(s.snapshot())
        }
        for (let probe = 0; probe < 6; probe++) {
          const k = rng.int(actions.length)
          await s.restore(snaps[k])
          const replay = sokoban.openSync(task)
          await replay.reset()
          for (const a of actions.slice(0, k)) await replay.step(a)
          for (let j = k; j < actions.length; j++) {
            const fromSnapshot = await s.step(actions[j]!)
            expect(fromSnapshot, `${task.id} restore ${k} step ${j}`).toEqual(steps[j])
            expect(await replay.step(actions[j]!), `${task.id} replay ${k} step ${j}`).toEqual(steps[j])
          }
        }
      }
    }
  })

  it('opens stored tasks exactly as generated, and a task without its level text from its seed', async () => {
    const [task] = sokoban.tasks('valid', 1, 42, { preset: '7x7-2', maxSteps: 25 })
    expect(task!.meta).toMatchObject({ maxSteps: 25, preset: '7x7-2' })
    expect(task!.meta!.optimalMoves).toBeLessThanOrEqual(25)
    const s = await sokoban.open(task!)
    expect((await s.reset()).observation).toBe(task!.meta!.level)
    const { level: _level, ...withoutLevel } = task!.meta!
    const regenerated = await sokoban.open({ ...task!, meta: withoutLevel })
    expect((await regenerated.reset()).observation).toBe(task!.meta!.level)
    expect(s.validActions!()).toEqual(['up', 'down', 'left', 'right'])
  })
})
