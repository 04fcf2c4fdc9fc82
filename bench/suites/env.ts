// `npm run bench -- env`: the built-in environments' speed, and how hard each Sokoban preset is
// for random play (the floor every learned policy must beat).
import { existsSync, readFileSync } from 'node:fs'
import { layoutOf } from '../../src-main/core/envs/sokoban/analysis.ts'
import { Board } from '../../src-main/core/envs/sokoban/board.ts'
import { sokoban } from '../../src-main/core/envs/sokoban/environment.ts'
import { generateLevel } from '../../src-main/core/envs/sokoban/generator.ts'
import { DIRECTIONS, type Dir } from '../../src-main/core/envs/sokoban/grid.ts'
import { parseLevelFile } from '../../src-main/core/envs/sokoban/import.ts'
import { sokobanRenderer } from '../../src-main/core/envs/sokoban/renderer.ts'
import { Solver } from '../../src-main/core/envs/sokoban/solver.ts'
import { PRESETS } from '../../src-main/core/envs/sokoban/tasks.ts'
import { household } from '../../src-main/core/envs/household/environment.ts'
import { Random } from '../../src-main/core/random.ts'
import type { Suite } from './index.ts'

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** Runs `chunk` (which does `n` units) repeatedly for ~`seconds`, 5 rounds; the median rate in units/s. */
function rate(n: number, chunk: () => void, seconds = 0.6): number {
  chunk() // warm up the JIT
  const rates: number[] = []
  for (let round = 0; round < 5; round++) {
    let units = 0
    const t0 = performance.now()
    while (performance.now() - t0 < seconds * 1000) {
      chunk()
      units += n
    }
    rates.push(units / ((performance.now() - t0) / 1000))
  }
  return median(rates)
}

function timeEach<T>(items: T[], fn: (item: T) => void): number[] {
  return items.map((item) => {
    const t = performance.now()
    fn(item)
    return performance.now() - t
  })
}

export const envSuite: Suite = {
  name: 'env',
  summary: 'Sokoban core step, rendering, generation, solver, critic and random-play baselines; household steps',
  async run(log) {
    const out: Record<string, number> = {}
    const rng = new Random(2026)

    // Core step: random moves on 10x10 four-box levels, an episode reset every 120 moves.
    const levels = Array.from({ length: 16 }, (_, s) => generateLevel(PRESETS['10x10-4'], s).level)
    const boards = levels.map((l) => new Board(l))
    const starts = boards.map((b) => b.snapshot())
    const moves = Uint8Array.from({ length: 1 << 16 }, () => rng.int(4))
    let cursor = 0
    out.sokoban_steps_per_s = Math.round(
      rate(120 * 16, () => {
        for (let k = 0; k < 16; k++) {
          const b = boards[k]!
          b.restore(starts[k]!)
          for (let i = 0; i < 120; i++) b.step(moves[cursor++ & 0xffff]! as Dir)
        }
      }),
    )
    log(`core step: ${out.sokoban_steps_per_s.toLocaleString()} steps/s`)

    // The EnvSession API: parse the action, step, feedback text, observation text.
    const tasks10 = sokoban.tasks('train', 16, 0, { preset: '10x10-4' })
    const sessions = tasks10.map((t) => sokoban.openSync(t))
    const names = Array.from(moves, (d) => DIRECTIONS[d]!)
    out.sokoban_session_steps_per_s = Math.round(
      rate(120 * 16, () => {
        for (const s of sessions) {
          s.resetSync()
          for (let i = 0; i < 120; i++) s.stepSync(names[cursor++ & 0xffff]!)
        }
      }),
    )
    log(`session step (with feedback and observation text): ${out.sokoban_session_steps_per_s.toLocaleString()} steps/s`)

    // Rendering the text observation of a state (the board mid-episode).
    for (const b of boards) for (let i = 0; i < 30; i++) b.step(moves[i]! as Dir)
    out.sokoban_render_per_s = Math.round(rate(16 * 100, () => boards.forEach((b) => { for (let i = 0; i < 100; i++) b.draw() })))
    const ctx = { task: tasks10[0]!, initial: sessions[0]!.resetSync(), history: [] }
    out.sokoban_compact_prompt_per_s = Math.round(rate(1000, () => { for (let i = 0; i < 1000; i++) sokobanRenderer.render(ctx, 'compact') }))
    log(`render: ${out.sokoban_render_per_s.toLocaleString()} observations/s, ${out.sokoban_compact_prompt_per_s.toLocaleString()} compact prompts/s`)

    // Generation of one verified-solvable level (solver included).
    const gen = (spec: { width: number; height: number; boxes: number }, n: number) => median(timeEach([...Array(n).keys()], (s) => generateLevel(spec, 10_000 + s)))
    out.sokoban_generate_ms_7x7 = Number(gen({ width: 7, height: 7, boxes: 1 }, 300).toFixed(3))
    out.sokoban_generate_ms_7x7_2 = Number(gen(PRESETS['7x7-2'], 300).toFixed(3))
    out.sokoban_generate_ms_10x10 = Number(gen(PRESETS['10x10-4'], 150).toFixed(3))
    log(`generate (median): 7x7 one box ${out.sokoban_generate_ms_7x7} ms, 7x7 two boxes ${out.sokoban_generate_ms_7x7_2} ms, 10x10 four boxes ${out.sokoban_generate_ms_10x10} ms`)

    // Solver: fewest-move solutions of generated 10x10 four-box levels (and real Boxoban ones).
    const fresh = Array.from({ length: 100 }, (_, s) => generateLevel(PRESETS['10x10-4'], 20_000 + s).level)
    const solveTimes = timeEach(fresh, (l) => {
      const b = new Board(l)
      if (new Solver(layoutOf(l)).solve(b.boxes(), b.player).status !== 'solved') throw new Error('generated level not solved')
    })
    out.sokoban_solver_median_ms_10x10 = Number(median(solveTimes).toFixed(3))
    out.sokoban_solver_max_ms_10x10 = Number(Math.max(...solveTimes).toFixed(1))
    log(`solver on generated 10x10: median ${out.sokoban_solver_median_ms_10x10} ms, max ${out.sokoban_solver_max_ms_10x10} ms`)
    const boxoban = '../shared/datasets/boxoban/medium_valid_000.txt'
    if (existsSync(boxoban)) {
      const real = parseLevelFile(readFileSync(boxoban, 'utf8')).slice(0, 100)
      const times = timeEach(real, ({ level }) => {
        const b = new Board(level)
        new Solver(layoutOf(level)).solve(b.boxes(), b.player)
      })
      out.sokoban_solver_median_ms_boxoban_medium = Number(median(times).toFixed(3))
      log(`solver on 100 Boxoban medium levels: median ${out.sokoban_solver_median_ms_boxoban_medium} ms, max ${Math.max(...times).toFixed(0)} ms`)
    } else log(`(${boxoban} absent: no Boxoban figure)`)

    // Random play on 200 held-out levels per preset: Pass@1 and Pass@32 (32 independent tries).
    for (const preset of Object.keys(PRESETS)) {
      const tasks = sokoban.tasks('test', 200, 0, { preset })
      let first = 0
      let any = 0
      const failures: { task: (typeof tasks)[number]; actions: string[] }[] = []
      for (const task of tasks) {
        const s = sokoban.openSync(task)
        let solved = false
        for (let k = 0; k < 32; k++) {
          s.resetSync()
          const actions: string[] = []
          let step
          do {
            const a = DIRECTIONS[rng.int(4)]!
            actions.push(a)
            step = s.stepSync(a)
          } while (!step.done)
          if (step.success) {
            solved = true
            if (k === 0) first++
          } else if (k === 0 && preset === '10x10-4') failures.push({ task, actions })
        }
        if (solved) any++
      }
      const key = preset.replace('-', '_')
      out[`sokoban_random_pass1_${key}`] = first / tasks.length
      out[`sokoban_random_pass32_${key}`] = any / tasks.length
      log(`random play, ${preset} (limit ${PRESETS[preset as keyof typeof PRESETS].maxSteps} moves): Pass@1 ${(first / tasks.length).toFixed(3)}, Pass@32 ${(any / tasks.length).toFixed(3)}`)
      if (failures.length) {
        // The critic on failed random trajectories (each level once: memoisation would flatter repeats).
        const times = timeEach(failures, ({ task, actions }) => sokoban.diagnose(task, actions))
        out.sokoban_critic_median_ms_10x10 = Number(median(times).toFixed(3))
        out.sokoban_critic_p90_ms_10x10 = Number([...times].sort((a, b) => a - b)[Math.floor(times.length * 0.9)]!.toFixed(2))
        log(`critic on ${failures.length} failed random 10x10 trajectories: median ${out.sokoban_critic_median_ms_10x10} ms, p90 ${out.sokoban_critic_p90_ms_10x10} ms`)
      }
    }

    // Household: recorded random play (admissible commands, a few invalid ones) replayed through the session API.
    const hh = household.tasks('train', 24, 0)
    const scripts = hh.map((task) => {
      const s = household.openSync(task)
      s.resetSync()
      const script: string[] = []
      for (let i = 0; i < 50; i++) {
        const a = rng.chance(0.9) ? rng.pick(s.validActions()) : rng.pick(['jump', 'take mug 9 from fridge 1', 'open sofa 1'])
        script.push(a)
        if (s.stepSync(a).done) break
      }
      return { session: s, script }
    })
    const total = scripts.reduce((n, s) => n + s.script.length, 0)
    out.household_steps_per_s = Math.round(
      rate(total, () => {
        for (const { session, script } of scripts) {
          session.resetSync()
          for (const a of script) session.stepSync(a)
        }
      }),
    )
    log(`household session step: ${out.household_steps_per_s.toLocaleString()} steps/s (${total} recorded commands over ${hh.length} houses)`)
    out.household_critic_median_ms = Number(median(timeEach(scripts.map((s, i) => ({ task: hh[i]!, actions: s.script })), ({ task, actions }) => household.diagnose(task, actions))).toFixed(3))
    log(`household critic on the recorded random episodes: median ${out.household_critic_median_ms} ms`)
    return out
  },
}
