// Realistic stored data without a model: runs, episodes with branch trees (Sokoban boards that
// move as the actions say, household text), reflections, corpus items, checkpoints with lineage,
// train metrics and eval (n, c) rows — written through the same store functions exploration and
// curation use. For tests, the e2e suite and the `ui` bench; seeded, so the same options always
// give the same rows.
import { insertCorpusItems, type NewCorpusItem } from '../corpus/curation.ts'
import * as rec from '../explore/recorder.ts'
import { randInt, rng } from '../random.ts'
import { now, type DB } from './db.ts'
import { insertNodes } from './nodes.ts'
import { createTaskSet } from './tasks.ts'

export type FixtureOptions = {
  seed?: number
  sokobanTasks?: number
  householdTasks?: number
  /** Adds one Sokoban episode whose tree has this many nodes (0: none). */
  bigTreeNodes?: number
  /** Synthetic corpus items on top of those derived from branch events. */
  extraCorpusItems?: number
  evalTasks?: number
  evalSamples?: number
  trainSteps?: number
  /** Leaves one attempt waiting for a person's reflection (a 'human' reflector's request). */
  humanRequest?: boolean
}

export type FixtureSummary = {
  exploreRunId: number
  episodeIds: number[]
  bigTreeEpisodeId: number | null
  checkpoints: { base: number; grpo: number; leafe: number }
  trainRunId: number
  evalRunId: number
  evalTaskSetId: number
  corpusItems: number
}

// ---------------------------------------------------------------------------------------------
// A small Sokoban for boards that change as the actions say (# wall, @ player, $ box, . goal).

type Board = { w: number; walls: Set<number>; goals: Set<number>; boxes: Set<number>; player: number }
const MOVES: Record<string, number[]> = { up: [0, -1], down: [0, 1], left: [-1, 0], right: [1, 0] }
const ACTIONS = Object.keys(MOVES)

function drawBoard(b: Board): string {
  const rows: string[] = []
  for (let y = 0; y < b.w; y++) {
    let row = ''
    for (let x = 0; x < b.w; x++) {
      const i = y * b.w + x
      const goal = b.goals.has(i)
      row += b.walls.has(i) ? '#' : b.player === i ? (goal ? '+' : '@') : b.boxes.has(i) ? (goal ? '*' : '$') : goal ? '.' : ' '
    }
    rows.push(row)
  }
  return rows.join('\n')
}

function move(b: Board, action: string): { board: Board; feedback: string; valid: boolean } {
  const [dx, dy] = MOVES[action]!
  const d = dy! * b.w + dx!
  const to = b.player + d
  if (b.walls.has(to)) return { board: b, feedback: `You walk into the wall ${action} of you; nothing moves.`, valid: true }
  if (b.boxes.has(to)) {
    const beyond = to + d
    if (b.walls.has(beyond) || b.boxes.has(beyond)) return { board: b, feedback: `The box ${action} of you is blocked.`, valid: true }
    const boxes = new Set(b.boxes)
    boxes.delete(to)
    boxes.add(beyond)
    const onGoal = b.goals.has(beyond)
    return { board: { ...b, boxes, player: to }, feedback: `You push the box ${action}${onGoal ? ' onto a goal' : ''}.`, valid: true }
  }
  return { board: { ...b, player: to }, feedback: `You move ${action}.`, valid: true }
}

const solved = (b: Board) => [...b.boxes].every((x) => b.goals.has(x))
const boardKey = (b: Board) => `${b.player}|${[...b.boxes].sort((x, y) => x - y).join(',')}`

/** Breadth-first solver (small boards only): the shortest action list, or null. */
function solve(start: Board, maxStates = 20_000): string[] | null {
  type Visit = { prev: string | null; action: string | null; board: Board }
  const seen = new Map<string, Visit>([[boardKey(start), { prev: null, action: null, board: start }]])
  const queue = [boardKey(start)]
  for (let qi = 0; qi < queue.length && seen.size < maxStates; qi++) {
    const key = queue[qi]!
    const cur = seen.get(key)!.board
    if (solved(cur)) {
      const path: string[] = []
      for (let k: string | null = key; k !== null; ) {
        const e: Visit = seen.get(k)!
        if (e.action) path.push(e.action)
        k = e.prev
      }
      return path.reverse()
    }
    for (const a of ACTIONS) {
      const next = move(cur, a).board
      const nk = boardKey(next)
      if (!seen.has(nk)) {
        seen.set(nk, { prev: key, action: a, board: next })
        queue.push(nk)
      }
    }
  }
  return null
}

function randomBoard(next: () => number, boxes: number): Board {
  for (;;) {
    const w = 7
    const walls = new Set<number>()
    for (let i = 0; i < w * w; i++) if (i < w || i >= w * (w - 1) || i % w === 0 || i % w === w - 1) walls.add(i)
    const free = () => {
      for (;;) {
        const i = (1 + randInt(next, w - 2)) * w + 1 + randInt(next, w - 2)
        if (!walls.has(i) && !taken.has(i)) return i
      }
    }
    const taken = new Set<number>()
    const pick = () => {
      const i = free()
      taken.add(i)
      return i
    }
    if (next() < 0.6) walls.add(pick())
    const goals = new Set(Array.from({ length: boxes }, pick))
    // Boxes away from the border rows so that the level stays solvable more often.
    const boxSet = new Set<number>()
    while (boxSet.size < boxes) {
      const i = pick()
      const x = i % w, y = Math.floor(i / w)
      if (x > 1 && x < w - 2 && y > 1 && y < w - 2) boxSet.add(i)
      else taken.delete(i)
    }
    const board: Board = { w, walls, goals, boxes: boxSet, player: pick() }
    if (!solved(board) && solve(board)) return board
  }
}

// ---------------------------------------------------------------------------------------------
// Household text episodes.

const ROOMS = ['kitchen', 'living room', 'bathroom', 'bedroom']
const OBJECTS = ['apple', 'mug', 'soapbar', 'book', 'towel', 'plate']
const PLACES = ['countertop 1', 'fridge 1', 'cabinet 2', 'sinkbasin 1', 'shelf 1', 'drawer 3', 'desk 1']

function householdStep(next: () => number, room: string, goal: { obj: string; place: string }, t: number, last: boolean, win: boolean) {
  const place = PLACES[randInt(next, PLACES.length)]!
  const action = last && win ? `put ${goal.obj} 1 in/on ${goal.place}` : t === 1 ? `go to ${place}` : next() < 0.5 ? `open ${place}` : `take ${OBJECTS[randInt(next, OBJECTS.length)]} 1 from ${place}`
  const observation = last && win
    ? `You put the ${goal.obj} 1 in/on the ${goal.place}.`
    : `You are in the ${room}. You arrive at ${place}. On the ${place}, you see a ${OBJECTS[randInt(next, OBJECTS.length)]} 1 and a ${OBJECTS[randInt(next, OBJECTS.length)]} 2.`
  const feedback = action.startsWith('take') && next() < 0.4 ? 'Nothing happens.' : 'OK.'
  return { action, observation, feedback, valid: feedback === 'OK.' }
}

// ---------------------------------------------------------------------------------------------

const stepFields = (observation: string, feedback: string, done: boolean, success: boolean, valid = true) => ({
  observation, feedback, reward: success ? 1 : 0, done, success, valid,
})

function readablePrompt(instruction: string, observation: string, step: number): string {
  return `${instruction}\n\nStep ${step}. You see:\n${observation}\n\nWhat is your next action?`
}

/**
 * Writes a complete, realistic data set into a store. Small by default (what tests and the e2e
 * suite browse); the bench asks for a 5,000-node tree and 100,000 corpus items.
 */
export function writeFixtures(db: DB, opts: FixtureOptions = {}): FixtureSummary {
  return db.transaction(() => write(db, opts))()
}

function write(db: DB, opts: FixtureOptions): FixtureSummary {
  const seed = opts.seed ?? 1
  const next = rng(seed)
  const sokobanTasks = opts.sokobanTasks ?? 6
  const householdTasks = opts.householdTasks ?? 3
  const stepLimit = 12
  const corpus: NewCorpusItem[] = []
  const episodeIds: number[] = []
  const instruction = 'Push every box ($) onto a goal (.). Moves: up, down, left, right.'

  const jobId = Number(
    db
      .prepare(
        `INSERT INTO jobs (kind, title, params, status, progress_done, progress_total, message, attempts, created_at, started_at, ended_at)
         VALUES ('explore', 'Explore sokoban (fixture)', '{}', 'done', ?, ?, 'Done.', 1, ?, ?, ?)`,
      )
      .run(sokobanTasks, sokobanTasks, now(), now(), now()).lastInsertRowid,
  )
  const trainSet = createTaskSet(
    db,
    { name: `fixture-sokoban-train-${seed}`, env: 'sokoban', split: 'train', source: 'generated', params: { fixture: true, seed } },
    Array.from({ length: sokobanTasks + 1 }, (_, i) => ({ env: 'sokoban', id: `sokoban-7x7/s${seed * 1000 + i}`, split: 'train', seed: seed * 1000 + i, instruction })),
  )
  const taskRows = db.prepare(`SELECT id, task_key FROM tasks WHERE task_set_id = ? ORDER BY id`).all(trainSet.id) as { id: number; task_key: string }[]
  const exploreRunId = rec.createRun(db, 'explore', 'LEAFE exploration (fixture)', { sampler: 'leafe', seed, stepLimit, reflector: 'critic' }, jobId)

  /** One Sokoban tree: a failed first attempt, reflections, branches (some solved by the solver's path). */
  const sokobanTree = (taskIndex: number, targetNodes: number) => {
    const task = taskRows[taskIndex]!
    const start = randomBoard(next, next() < 0.5 ? 1 : 2)
    const episodeId = rec.createEpisode(db, exploreRunId, { env: 'sokoban', id: task.task_key, split: 'train', seed: 0, instruction, rowId: task.id }, 0, 'leafe')
    episodeIds.push(episodeId)
    type P = { id: number; board: Board; step: number; done: boolean }
    const [rootId] = insertNodes(db, [{ episodeId, parentId: null, step: 0, action: null, ...stepFields(drawBoard(start), 'A new level.', false, false), branchDepth: 0 }])
    rec.setEpisodeRoot(db, episodeId, rootId!)
    const paths: P[][] = []
    let nodes = 1
    let solvedAny = false

    /** Plays `actions` (or random moves) from `base`, writing nodes; returns the full path. */
    const play = (base: P[], depth: number, actions: string[] | null, limit: number): P[] => {
      const path = [...base]
      for (let i = 0; ; i++) {
        const last = path[path.length - 1]!
        if (last.done || last.step >= limit || nodes >= targetNodes) break
        const a = actions ? actions[i] : ACTIONS[randInt(next, 4)]!
        if (!a) break
        const m = move(last.board, a)
        const win = solved(m.board)
        const done = win || last.step + 1 >= limit
        const [id] = insertNodes(db, [{
          episodeId, parentId: last.id, step: last.step + 1, action: a,
          ...stepFields(drawBoard(m.board), win ? 'You push the box onto a goal. Every box is on a goal: solved!' : m.feedback, done, win, m.valid),
          branchDepth: depth,
        }])
        nodes++
        path.push({ id: id!, board: m.board, step: last.step + 1, done })
      }
      paths.push(path)
      return path
    }

    const first = play([{ id: rootId!, board: start, step: 0, done: false }], 0, null, stepLimit)
    const queue: { path: P[]; depth: number }[] = [{ path: first, depth: 0 }]
    while (queue.length && nodes < targetNodes) {
      const { path, depth } = queue.shift()!
      if (path[path.length - 1]!.done && path[path.length - 1]!.board && solved(path[path.length - 1]!.board)) continue
      const tau = 1 + randInt(next, path.length - 1)
      const at = path[tau - 1]!
      const failedAction = ACTIONS.find((a) => boardKey(move(at.board, a).board) === boardKey(path[tau]!.board)) ?? 'up'
      const plan = next() < (targetNodes > 200 ? 0.15 : 0.55) ? solve(at.board) : null
      // As with LEAFE's avoid mask, the revised action is never the failed one.
      const succeed = plan !== null && plan.length > 0 && plan.length <= stepLimit - at.step && plan[0] !== failedAction
      const revised = succeed ? plan![0]! : ACTIONS.filter((a) => a !== failedAction)[randInt(next, 3)]!
      const experience = succeed
        ? `Moving ${failedAction} at step ${tau} led away from the boxes; from here ${revised} starts the shortest way to put every box on a goal.`
        : `After ${failedAction} at step ${tau} the box ended against a wall where it cannot reach a goal; avoid ${failedAction} there and keep the box in the open.`
      const eventId = rec.insertBranchEvent(db, {
        episodeId, nodeId: at.id, failedNodeId: path[path.length - 1]!.id, tau,
        reflection: { rollbackStep: tau, experience, avoid: [failedAction], source: 'critic' },
        failedAction, rollbackMode: next() < 0.5 ? 'replay' : 'snapshot', outcome: 'pending',
      })
      const branch = play(path.slice(0, tau), depth + 1, succeed ? plan : [revised, ...Array.from({ length: stepLimit }, () => ACTIONS[randInt(next, 4)]!)], stepLimit)
      const end = branch[branch.length - 1]!
      const won = solved(end.board)
      solvedAny ||= won
      rec.setBranchChild(db, eventId, revised, branch[tau]!.id)
      rec.setBranchOutcome(db, eventId, won ? 'success' : 'failure')
      if (corpus.length < 400 || targetNodes <= 200) {
        corpus.push({
          kind: 'cf', env: 'sokoban', taskKey: task.task_key,
          prompt: readablePrompt(instruction, drawBoard(at.board), at.step), target: revised,
          experience, failedAction, source: 'critic', sourceRunId: exploreRunId, sourceNodeId: branch[tau]!.id, branchEventId: eventId,
          meta: { tau, branchSucceeded: won, fixture: true },
        })
      }
      if (!won && depth + 1 < 6) queue.push({ path: branch, depth: depth + 1 })
      if (!won && nodes < targetNodes && queue.length < 3) queue.push({ path: first, depth: 0 })
    }
    if (solvedAny) {
      const good = paths.find((p) => solved(p[p.length - 1]!.board))!
      for (let t = 1; t < good.length && corpus.length < 2000; t++) {
        corpus.push({
          kind: 'reh', env: 'sokoban', taskKey: task.task_key,
          prompt: readablePrompt(instruction, drawBoard(good[t - 1]!.board), t - 1),
          target: ACTIONS.find((a) => boardKey(move(good[t - 1]!.board, a).board) === boardKey(good[t]!.board)) ?? 'up',
          source: 'rollout', sourceRunId: exploreRunId, sourceNodeId: good[t]!.id, meta: { step: t, fixture: true },
        })
      }
    }
    rec.finishEpisode(db, episodeId, solvedAny ? 'success' : 'failure', nodes - 1)
    return episodeId
  }

  for (let i = 0; i < sokobanTasks; i++) sokobanTree(i, 40 + randInt(next, 60))
  if (opts.humanRequest && episodeIds.length) {
    // The first attempt's last node of the first episode: where a human reflector would be asked.
    let leaf = (db.prepare(`SELECT id FROM nodes WHERE episode_id = ? AND parent_id IS NULL`).get(episodeIds[0]) as { id: number }).id
    for (let c; (c = db.prepare(`SELECT id FROM nodes WHERE parent_id = ? ORDER BY id LIMIT 1`).get(leaf) as { id: number } | undefined); ) leaf = c.id
    rec.requestHumanReflection(db, exploreRunId, episodeIds[0]!, leaf)
  }
  const bigTreeEpisodeId = opts.bigTreeNodes ? sokobanTree(sokobanTasks, opts.bigTreeNodes) : null
  rec.finishRun(db, exploreRunId, 'done', { tasks: sokobanTasks, fixture: true })

  // Household: independent attempts, text observations.
  if (householdTasks > 0) {
    const runId = rec.createRun(db, 'explore', 'Household IS baseline (fixture)', { sampler: 'is', seed }, null)
    for (let i = 0; i < householdTasks; i++) {
      const goal = { obj: OBJECTS[i % OBJECTS.length]!, place: PLACES[(i * 3) % PLACES.length]! }
      const room = ROOMS[i % ROOMS.length]!
      const key = `household/put-${goal.obj}-${i}`
      const task = { env: 'household', id: key, split: 'train', seed: i, instruction: `Put a ${goal.obj} in/on the ${goal.place}.` }
      for (let attempt = 0; attempt < 2; attempt++) {
        const episodeId = rec.createEpisode(db, runId, task, attempt, 'is')
        episodeIds.push(episodeId)
        const win = attempt === 1 && i % 2 === 0
        const [root] = insertNodes(db, [{ episodeId, parentId: null, step: 0, action: null, ...stepFields(`You are in the middle of the ${room}. Looking quickly around you, you see ${PLACES.slice(0, 4).join(', ')}.\nYour task is to: ${task.instruction.toLowerCase()}`, '', false, false), branchDepth: 0 }])
        rec.setEpisodeRoot(db, episodeId, root!)
        let parent = root!
        const length = 4 + randInt(next, 5)
        for (let t = 1; t <= length; t++) {
          const s = householdStep(next, room, goal, t, t === length, win)
          const [id] = insertNodes(db, [{ episodeId, parentId: parent, step: t, action: s.action, ...stepFields(s.observation, s.feedback, t === length, win && t === length, s.valid), branchDepth: 0 }])
          parent = id!
        }
        rec.finishEpisode(db, episodeId, win ? 'success' : 'failure', length)
      }
    }
    rec.finishRun(db, runId, 'done', { tasks: householdTasks, fixture: true })
  }

  // Checkpoints with lineage: base → GRPO → LEAFE, each made by a run.
  const checkpoint = (name: string, parentId: number | null, runId: number | null, preset: string) =>
    Number(
      db
        .prepare(`INSERT INTO checkpoints (name, kind, parent_id, run_id, path, config, created_at) VALUES (?, 'local', ?, ?, ?, ?, ?)`)
        .run(name, parentId, runId, `checkpoints/${name}`, JSON.stringify({ preset, fixture: true }), now()).lastInsertRowid,
    )
  const base = checkpoint('base', null, null, 'tiny')
  const grpoRun = rec.createRun(db, 'grpo', 'GRPO from base (fixture)', { groupSize: 8, seed }, null)
  const grpoMetric = db.prepare(`INSERT INTO train_metrics (run_id, step, epoch, split, name, value, at) VALUES (?, ?, ?, 'train', ?, ?, ?)`)
  db.transaction(() => {
    for (let it = 1; it <= 20; it++) {
      const reward = Math.min(1, 0.2 + 0.025 * it + (next() - 0.5) * 0.06)
      grpoMetric.run(grpoRun, it, it, 'reward', reward, now())
      grpoMetric.run(grpoRun, it, it, 'solved', Math.min(1, reward + 0.2), now())
      grpoMetric.run(grpoRun, it, it, 'loss', 0.05 * Math.exp(-it / 8) + (next() - 0.5) * 0.01, now())
    }
  })()
  rec.finishRun(db, grpoRun, 'done', {})
  const grpo = checkpoint('grpo', base, grpoRun, 'tiny')
  const trainRunId = rec.createRun(db, 'sft', 'LEAFE Stage 2 from grpo (fixture)', { beta: 0.5, from: grpo, seed }, null)
  const trainSteps = opts.trainSteps ?? 300
  const metric = db.prepare(`INSERT INTO train_metrics (run_id, step, epoch, split, name, value, at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
  db.transaction(() => {
    for (let s = 1; s <= trainSteps; s++) {
      const loss = 0.35 + 1.05 * Math.exp(-s / 70) + (next() - 0.5) * 0.08
      metric.run(trainRunId, s, s / 100, 'train', 'loss', loss, now())
      metric.run(trainRunId, s, s / 100, 'train', 'lr', 3e-3 * Math.min(1, s / 30) * (0.5 + 0.5 * Math.cos((Math.PI * s) / trainSteps)), now())
      if (s % 25 === 0) metric.run(trainRunId, s, s / 100, 'eval', 'loss', 0.42 + 1.0 * Math.exp(-s / 80) + (next() - 0.5) * 0.03, now())
    }
  })()
  rec.finishRun(db, trainRunId, 'done', { steps: trainSteps })
  const leafe = checkpoint('leafe', grpo, trainRunId, 'tiny')

  // Evaluation on held-out levels: random play rarely solves one; base solves some; GRPO sharpens
  // (higher Pass@1, fewer tasks solved at all); LEAFE expands (solves tasks the others never do).
  const evalTasks = opts.evalTasks ?? 40
  const n = opts.evalSamples ?? 32
  const heldOut = createTaskSet(
    db,
    { name: `fixture-sokoban-heldout-${seed}`, env: 'sokoban', split: 'test', source: 'generated', params: { fixture: true, seed } },
    Array.from({ length: evalTasks }, (_, i) => ({ env: 'sokoban', id: `sokoban-7x7/h${seed * 1000 + i}`, split: 'test', seed: seed * 1000 + i, instruction })),
  )
  const evalRunId = rec.createRun(db, 'eval', 'Pass@k on held-out levels (fixture)', { n, temperature: 1, taskSet: heldOut.name, seed }, null)
  const evalInsert = db.prepare(`INSERT INTO eval_results (run_id, policy, checkpoint_id, task_id, task_key, n, c) VALUES (?, ?, ?, ?, ?, ?, ?)`)
  const heldOutTasks = db.prepare(`SELECT id, task_key FROM tasks WHERE task_set_id = ? ORDER BY id`).all(heldOut.id) as { id: number; task_key: string }[]
  const binomial = (p: number) => Array.from({ length: n }, () => (next() < p ? 1 : 0) as number).reduce((a, b) => a + b, 0)
  db.transaction(() => {
    for (const t of heldOutTasks) {
      const difficulty = next()
      const pBase = Math.max(0, 0.35 - difficulty * 0.4)
      const pGrpo = pBase > 0.05 ? Math.min(1, pBase * 2.2) : 0
      const pLeafe = Math.min(1, pBase * 1.5 + (difficulty < 0.9 ? 0.03 : 0))
      evalInsert.run(evalRunId, 'random', null, t.id, t.task_key, n, binomial(pBase * 0.25))
      for (const [cp, p] of [[base, pBase], [grpo, pGrpo], [leafe, pLeafe]] as const) evalInsert.run(evalRunId, `checkpoint:${cp}`, cp, t.id, t.task_key, n, binomial(p))
    }
  })()
  rec.finishRun(db, evalRunId, 'done', { n, tasks: evalTasks })

  // Synthetic corpus items at scale (the bench's 100,000): distinct prompts, a realistic mix.
  const extra = opts.extraCorpusItems ?? 0
  const statuses = ['pending', 'pending', 'pending', 'accepted', 'rejected'] as const
  for (let i = 0; i < extra; i++) {
    const board = randomBoardFast(next)
    const failed = ACTIONS[randInt(next, 4)]!
    const kind = i % 10 < 6 ? 'cf' : i % 10 < 9 ? 'reh' : 'manual'
    corpus.push({
      kind, env: i % 7 === 0 ? 'household' : 'sokoban', taskKey: `sokoban-7x7/s${seed * 100000 + (i % 997)}`,
      prompt: readablePrompt(instruction, board, i % 20) + `\n(item ${i})`,
      target: ACTIONS.filter((a) => a !== failed)[randInt(next, 3)]!,
      experience: kind === 'cf' ? `Moving ${failed} pushed the box into a corner at step ${1 + (i % 9)}; go around it instead.` : null,
      failedAction: kind === 'reh' ? null : failed,
      source: kind === 'cf' ? 'critic' : kind === 'reh' ? 'rollout' : 'human',
      status: statuses[i % statuses.length]!, meta: { fixture: true },
    })
  }
  const corpusItems = insertCorpusItems(db, corpus)
  return { exploreRunId, episodeIds, bigTreeEpisodeId, checkpoints: { base, grpo, leafe }, trainRunId, evalRunId, evalTaskSetId: heldOut.id, corpusItems }
}

/** A 7x7 board text without solving it (for bulk synthetic items). */
function randomBoardFast(next: () => number): string {
  const cells: string[] = Array.from({ length: 49 }, (_, i) => (i < 7 || i >= 42 || i % 7 === 0 || i % 7 === 6 ? '#' : ' '))
  const put = (ch: string) => {
    for (;;) {
      const i = (1 + randInt(next, 5)) * 7 + 1 + randInt(next, 5)
      if (cells[i] === ' ') return void (cells[i] = ch)
    }
  }
  put('@'), put('$'), put('.'), put('$'), put('.')
  return Array.from({ length: 7 }, (_, y) => cells.slice(y * 7, y * 7 + 7).join('')).join('\n')
}
