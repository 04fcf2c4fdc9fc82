import { DEFAULTS } from '../../shared/defaults.ts'
import { getEnvironment, listEnvironments } from '../../core/envs/registry.ts'
import { importLevelFile, limitProblemText } from '../../core/envs/sokoban/import.ts'
import { ensureGeneratedTaskSet, generatedSetName } from '../../core/envs/tasksets.ts'
import { findTaskSet, getTaskSet, listTaskSets, loadTasks } from '../../core/store/tasks.ts'
import { bool, intFlag, parse, str, UsageError } from '../args.ts'
import type { Command } from '../command.ts'
import { openEngine } from '../engine.ts'
import type { DB } from '../../core/store/db.ts'
import { play } from '../env-play.ts'

const USAGE = `<subcommand> …
  list [--json]                                      environments and stored task sets
  play <env> [--seed N] [--split train|valid|test] [--preset P] [--family F] [--max-steps N] [--end-on-deadlock]
  play <env> --set NAME --task ID                    a stored task (e.g. an imported level)
  import FILE [--name NAME] [--split S] [--max-steps N]   Sokoban levels (XSB / Boxoban text), all or nothing
  generate <env> --split S --count N [--offset N] [--preset P] [--family F] [--max-steps N]`

/** The task parameters the flags name (only those given: the environment checks them). */
function envParams(values: Record<string, string | boolean | undefined>): Record<string, unknown> {
  const p: Record<string, unknown> = {}
  if (values.preset !== undefined) p.preset = values.preset
  if (values.family !== undefined) p.family = values.family
  if (values['max-steps'] !== undefined) p.maxSteps = intFlag(values['max-steps'] as string, 'max-steps', 1, 100_000)
  if (values['end-on-deadlock']) p.endOnDeadlock = true
  return p
}

const taskFlags = {
  seed: str('N', 'the task seed', 'play: a fresh one, printed'),
  split: str('SPLIT', 'train, valid or test', 'train'),
  preset: str('P', 'Sokoban room preset', DEFAULTS.sokobanPreset),
  family: str('F', 'household task family', 'any'),
  'max-steps': str('N', "the step limit", "the preset's"),
  'end-on-deadlock': bool('Sokoban: end the episode at a deadlock'),
} as const

export const envCommand: Command = {
  name: 'env',
  summary: 'Built-in environments: play one in the terminal, import Sokoban levels, generate and list task sets.',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv
    switch (sub) {
      case 'list':
        return list(rest)
      case 'play':
        return playCommand(rest)
      case 'import':
        return importCommand(rest)
      case 'generate':
        return generate(rest)
      default:
        throw new UsageError(sub ? `unknown subcommand "${sub}".` : 'which subcommand? (list, play, import, generate)')
    }
  },
}

/** Runs `fn` with the store of the data directory, closing it afterwards. */
async function withStore<T>(dataDir: string | undefined, fn: (db: DB) => T | Promise<T>): Promise<T> {
  const engine = openEngine(dataDir)
  try {
    return await fn(engine.db)
  } finally {
    await engine.close()
  }
}

async function list(argv: string[]): Promise<number> {
  const { values } = parse(argv, { json: bool('print as JSON') })
  return withStore(values['data-dir'], (db) => {
    const envs = listEnvironments().map((e) => ({ id: e.id, label: e.label }))
    const sets = listTaskSets(db)
    if (values.json) console.log(JSON.stringify({ environments: envs, taskSets: sets }, null, 2))
    else {
      console.log('Environments:')
      for (const e of envs) console.log(`  ${e.id.padEnd(10)} ${e.label}`)
      console.log(sets.length ? 'Task sets:' : 'No task sets yet (leafe env generate …, leafe env import …).')
      for (const s of sets) console.log(`  ${s.name}  ${s.env}, ${s.split}, ${s.count} tasks, ${s.source}`)
    }
    return 0
  })
}

async function playCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...taskFlags, set: str('NAME', 'a stored task set'), task: str('ID', 'a task of --set') }, true)
  const [envId] = positionals
  if (!envId) throw new UsageError('which environment? (e.g. leafe env play sokoban)')
  const env = getEnvironment(envId)
  if (values.set || values.task) {
    const [setName, taskId] = [values.set, values.task]
    if (!setName || !taskId) throw new UsageError('--set and --task go together.')
    const task = await withStore(values['data-dir'], (db) => {
      const set = getTaskSet(db, setName)
      const found = loadTasks(db, set.id).find((t) => t.id === taskId || t.id === `${set.name}/${taskId}`)
      if (!found) throw new UsageError(`task set "${set.name}" has no task "${taskId}".`)
      return found
    })
    return play(env, task)
  }
  // An unseeded game gets a fresh seed, printed with the task so it can be played again.
  const seed = intFlag(values.seed, 'seed', 0, 999_999_999) ?? Math.floor(Math.random() * 1_000_000)
  const [task] = env.tasks(values.split ?? 'train', 1, seed, envParams(values))
  return play(env, task!)
}

async function importCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { name: str('NAME', 'the task set name', 'the file name'), split: str('SPLIT', 'the split the levels belong to', 'test'), 'max-steps': str('N', 'the step limit per level', '120 for rooms up to 10×10, else 1000') }, true)
  const [file] = positionals
  if (!file) throw new UsageError('which file? (leafe env import levels.xsb)')
  const maxSteps = intFlag(values['max-steps'], 'max-steps', 1, 100_000)
  return withStore(values['data-dir'], (db) => {
    const { set, leftOut, unchecked } = importLevelFile(db, file, {
      name: values.name, split: values.split, maxSteps,
      onCheckStart: (n) => console.error(`Checking that each of the ${n} levels can be solved within its step limit…`),
    })
    console.log(`Imported ${set.count} level${set.count === 1 ? '' : 's'} as task set "${set.name}" (split ${set.split}).`)
    if (leftOut.length) {
      console.log(`Left out ${leftOut.length} level${leftOut.length === 1 ? '' : 's'} that cannot be solved within the step limit (--max-steps N keeps them with a higher one):`)
      for (const p of leftOut) console.log(`  ${limitProblemText(p)}`)
    }
    if (unchecked.length) console.log(`Not checked (the search gave up, so kept): level${unchecked.length === 1 ? '' : 's'} ${unchecked.join(', ')}.`)
    return 0
  })
}

async function generate(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...taskFlags, count: str('N', 'how many tasks'), offset: str('N', 'skip this many seeds first', 0) }, true)
  const [envId] = positionals
  if (!envId) throw new UsageError('which environment? (e.g. leafe env generate sokoban --split train --count 1000)')
  if (!values.split) throw new UsageError('--split is required (train, valid or test).')
  const count = intFlag(values.count, 'count', 1, 1_000_000)
  if (count === undefined) throw new UsageError('--count is required.')
  const env = getEnvironment(envId)
  const split = values.split
  const params = envParams(values)
  const offset = intFlag(values.offset, 'offset', 0, 999_999_999) ?? 0
  return withStore(values['data-dir'], (db) => {
    const spec = { split, count, seed: offset, params }
    const existed = findTaskSet(db, generatedSetName(env.id, spec)) !== undefined
    if (!existed) console.error(`Generating ${count} ${env.id} tasks…`)
    const set = ensureGeneratedTaskSet(db, env, spec)
    const seeds = loadTasks(db, set.id).map((t) => t.seed)
    console.log(`${existed ? 'Found' : 'Created'} task set "${set.name}": ${set.count} ${env.id} tasks (${set.split}, seeds ${seeds[0]}–${seeds[seeds.length - 1]}).`)
    return 0
  })
}
