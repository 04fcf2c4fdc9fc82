// The list-DSL environment (id "listdsl"): DeepCoder-style tasks for small local models. Each
// step submits a whole program; feedback names the failing examples; the expert is the
// enumerative synthesiser; the critic says which attempt to redo and why.
import { EngineError } from '../../errors.ts'
import { DEFAULT_MAX_TURNS, SubmissionSession } from '../submissions.ts'
import { splitSeeds, type GeneratedSplit } from '../splits.ts'
import type { Environment, Task } from '../types.ts'
import { format } from './dsl.ts'
import { dslCritic } from './critic.ts'
import { judgeDsl } from './judge.ts'
import { dslRenderer } from './renderer.ts'
import { synthesize } from './synth.ts'
import { dslMeta, dslTask, LISTDSL_ENV } from './tasks.ts'

function lengthParam(v: unknown): number | [number, number] | undefined {
  if (v === undefined) return undefined
  const ok = (n: unknown) => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 6
  if (ok(v)) return v as number
  if (Array.isArray(v) && v.length === 2 && ok(v[0]) && ok(v[1]) && v[0] <= v[1]) return [v[0], v[1]]
  throw new EngineError('bad_request', `listdsl's length must be a number of statements from 1 to 6, or [min, max] (got ${JSON.stringify(v)}).`)
}

export const listDslEnvironment: Environment = {
  id: LISTDSL_ENV,
  label: 'List DSL: DeepCoder-style list programs from examples',

  seededSplits: true,
  /** Seeds from the split's own range, starting `seed` into it; params: length (statements, a number or [min, max]; default [1, 3]), maxTurns. */
  tasks(split, count, seed, params = {}) {
    const length = lengthParam(params.length)
    const maxTurns = params.maxTurns as number | undefined
    return splitSeeds(split, count, seed).map((s) => dslTask(s, split as GeneratedSplit, { length, maxTurns }))
  },

  async open(task: Task) {
    const meta = dslMeta(task)
    return new SubmissionSession((action) => judgeDsl(meta, action), meta.maxTurns ?? DEFAULT_MAX_TURNS)
  },

  /** A shortest program consistent with every example; the generating program if the search runs out of budget. */
  async expert(task: Task) {
    const meta = dslMeta(task)
    const found = synthesize([...meta.visible, ...meta.hidden], { maxLength: Math.max(meta.length, 1) })
    return [found.program ? format(found.program) : meta.program]
  },

  critic: dslCritic,
  renderer: dslRenderer,
}
