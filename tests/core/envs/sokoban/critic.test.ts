import { describe, expect, it } from 'vitest'
import { layoutOf } from '../../../../src-main/core/envs/sokoban/analysis.ts'
import { Board, DEADLOCK, MOVED, PUSHED } from '../../../../src-main/core/envs/sokoban/board.ts'
import { diagnose } from '../../../../src-main/core/envs/sokoban/critic.ts'
import { generateLevel } from '../../../../src-main/core/envs/sokoban/generator.ts'
import { DIRECTIONS, parseLevelText, type Dir, type Level } from '../../../../src-main/core/envs/sokoban/grid.ts'
import { Solver } from '../../../../src-main/core/envs/sokoban/solver.ts'
import { sokoban } from '../../../../src-main/core/envs/sokoban/environment.ts'
import { PRESETS } from '../../../../src-main/core/envs/sokoban/tasks.ts'
import { Random } from '../../../../src-main/core/random.ts'

const solvable = (b: Board) => new Solver(b.layout).solve(b.boxes(), b.player, { mode: 'any' }).status === 'solved'

/**
 * A trajectory that follows the solver's plan, then at step k takes a move that makes the level
 * unsolvable, then wanders to the step limit. Returns null when no move at any step of the plan loses the level.
 */
function injected(level: Level, rng: Random, maxSteps: number): { actions: string[]; k: number; flagged: boolean } | null {
  const plan = new Solver(layoutOf(level)).solve(new Board(level).boxes(), level.player, { mode: 'moves' })
  if (plan.status !== 'solved') throw new Error('unsolved level')
  const order = rng.shuffle([...plan.actions.keys()])
  for (const k of order) {
    const b = new Board(level)
    for (const a of plan.actions.slice(0, k)) b.step(a)
    for (const d of rng.shuffle([0, 1, 2, 3] as Dir[])) {
      const trial = new Board(b.toLevel())
      const r = trial.step(d)
      if (trial.solved || solvable(trial)) continue
      const actions = [...plan.actions.slice(0, k), d].map((a) => DIRECTIONS[a])
      while (actions.length < maxSteps) actions.push(DIRECTIONS[rng.int(4)])
      return { actions, k: k + 1, flagged: Boolean(r & DEADLOCK) }
    }
  }
  return null
}

describe('Sokoban critic', () => {
  it('names the injected losing step, why it lost, what to avoid and what to do instead', () => {
    const rng = new Random(7)
    let bySearch = 0
    let byDetector = 0
    for (const [name, preset] of Object.entries(PRESETS)) {
      for (let seed = 0; seed < 25; seed++) {
        const { level } = generateLevel(preset, seed)
        const t = injected(level, rng, preset.maxSteps)
        if (!t) continue
        const verdict = diagnose(level, t.actions, preset.maxSteps)
        const r = verdict.reflection
        expect(r, `${name} seed ${seed}: ${verdict.reason}`).not.toBeNull()
        expect(r!.rollbackStep, `${name} seed ${seed}`).toBe(t.k)
        expect(r!.source).toBe('critic')
        expect(r!.avoid).toEqual([t.actions[t.k - 1]])
        expect(r!.experience).toMatch(new RegExp(`^At step ${t.k}, pushing the box at \\(\\d+, \\d+\\) ${t.actions[t.k - 1]} to \\(\\d+, \\d+\\) lost the level: .+ Do not push it ${t.actions[t.k - 1]} there; instead .*push the box at \\(\\d+, \\d+\\) (up|down|left|right) first\\. Next move: (up|down|left|right)\\.$`))
        // The advice is sound: its next move, taken instead at step k, keeps the level solvable.
        const next = /Next move: (\w+)\./.exec(r!.experience)![1]!
        const b = new Board(level)
        for (const a of t.actions.slice(0, t.k - 1)) b.step(DIRECTIONS.indexOf(a as never) as Dir)
        b.step(DIRECTIONS.indexOf(next as never) as Dir)
        expect(b.solved || solvable(b)).toBe(true)
        // The same diagnosis as fields for the compact prompt: the blamed move, the player's cell before it, the fix.
        const before = new Board(level)
        for (const a of t.actions.slice(0, t.k - 1)) before.step(DIRECTIONS.indexOf(a as never) as Dir)
        expect(r!.code).toEqual({ blamed: t.actions[t.k - 1], place: `${Math.floor(before.player / level.width)},${before.player % level.width}`, fix: next })
        if (t.flagged) byDetector++
        else bySearch++
      }
    }
    // Both kinds of loss were exercised: deadlocks the board names, and ones only search reveals.
    expect(byDetector).toBeGreaterThan(10)
    expect(bySearch).toBeGreaterThan(3)
  })

  it('explains a wall deadlock in the words of the feedback', () => {
    const level = parseLevelText('######\n#    #\n# $@ #\n#  . #\n######')
    const verdict = diagnose(level, ['right', 'left', 'left', 'up', 'up'], 10)
    expect(verdict.reflection).toMatchObject({ rollbackStep: 3, avoid: ['left'], source: 'critic', code: { blamed: 'left', place: '2,3', fix: 'up' } })
    expect(verdict.reflection!.experience).toBe(
      'At step 3, pushing the box at (2, 2) left to (2, 1) lost the level: the box at (2, 1) is against a wall along which it can never reach a goal. ' +
        'Do not push it left there; instead walk to (1, 2) and push the box at (2, 2) down first. Next move: up.',
    )
    // A level lost from its start blames no step.
    const lostFromStart = diagnose(parseLevelText('######\n# $@ #\n#    #\n#  . #\n######'), ['down', 'left'], 10)
    expect(lostFromStart).toEqual({ reflection: null, reason: 'The level cannot be solved (or not decided) from its start; no step is to blame.' })
  })

  it('blames the first move after which a still-solvable level could no longer be finished within the limit', () => {
    // One push right solves it. up, down keep one move in hand (f = 3 ≤ 3); the second up does not.
    const level = parseLevelText('#######\n#     #\n# @$. #\n#     #\n#######')
    const v = diagnose(level, ['up', 'down', 'up'], 3)
    expect(v.reason).toBe('From step 3 on the level could no longer be finished within 3 moves.')
    expect(v.reflection).toEqual({
      rollbackStep: 3,
      experience: 'At step 3, moving up wasted a move the level could not spare: from there it needs 2 more moves, but only 0 were left within the limit of 3. The shortest solution from the state before it starts with right.',
      avoid: ['up'],
      source: 'critic',
      code: { blamed: 'up', place: '2,2', fix: 'right' },
    })
    // The earliest such move, not the last: with limit 2, the very first step already wastes it.
    expect(diagnose(level, ['up', 'down'], 2).reflection?.rollbackStep).toBe(1)
    // (A level that cannot be finished in time from its start blames nothing: the next test.)
  })

  it('blames no step when the level is still solvable, and says so; also not for a solved level', async () => {
    const level = parseLevelText('######\n#    #\n# $@ #\n#  . #\n######')
    const wander = diagnose(level, ['right', 'left', 'right', 'left'], 4)
    expect(wander.reflection).toBeNull()
    expect(wander.reason).toBe('No step is to blame: the level is still solvable from the last state in 6 more moves; it ran out of moves (limit 4).')
    const task = sokoban.tasks('test', 1, 3, { preset: '7x7-2' })[0]!
    const plan = (await sokoban.expert!(task))!
    expect(sokoban.diagnose(task, plan).reason).toMatch(/solved the level/)
    expect(sokoban.critic!(task, plan, [])).toBeNull()
  })
})

describe('Sokoban critic: moves still needed', () => {
  it('counts them from the final state, not from the state after the last push', () => {
    let checked = 0
    for (let seed = 0; seed < 40 && checked < 3; seed++) {
      const g = generateLevel(PRESETS['7x7-2'], seed)
      const level = parseLevelText(g.text)
      const plan = new Solver(layoutOf(level)).solve(new Board(level).boxes(), level.player, { mode: 'moves' })
      if (plan.status !== 'solved') continue
      // Follow the plan through its first push, then walk away without pushing.
      const b = new Board(level)
      const actions: string[] = []
      for (const a of plan.actions) {
        actions.push(DIRECTIONS[a])
        if (b.step(a) & PUSHED) break
      }
      const afterPush = { boxes: b.boxes(), player: b.player }
      for (let i = 0; i < 6; i++) {
        const d = ([0, 1, 2, 3] as Dir[]).find((dir) => {
          const t = new Board(b.toLevel())
          const r = t.step(dir)
          return r & MOVED && !(r & PUSHED) && t.player !== afterPush.player && solvable(t)
        })
        if (d === undefined) break
        b.step(d)
        actions.push(DIRECTIONS[d])
      }
      if (b.solved) continue
      const solver = new Solver(layoutOf(level))
      const fromFinal = solver.solve(b.boxes(), b.player, { mode: 'moves' })
      const fromPush = solver.solve(afterPush.boxes, afterPush.player, { mode: 'moves' })
      if (fromFinal.status !== 'solved' || fromPush.status !== 'solved' || fromFinal.actions.length === fromPush.actions.length) continue
      const verdict = diagnose(level, actions)
      expect(verdict.reflection).toBeNull()
      expect(verdict.reason).toContain(`still solvable from the last state in ${fromFinal.actions.length} more moves`)
      checked++
    }
    expect(checked).toBe(3)
  })
})
