// What a job's parameters name must exist before the job does: the environment, the
// checkpoints, the endpoints. The schemas check shapes; these checks look in the store, so that
// `--policy 999` or `--env chess` is refused in one line and leaves no failed job behind.
// Each problem names the parameter's path; the CLI turns the path into its flag.
import { findEndpoint } from '../endpoints/store.ts'
import { resolveEnvironment } from '../envs/resolve.ts'
import { findRemoteEnv } from '../envs/remote/store.ts'
import type { Environment } from '../envs/types.ts'
import { EngineError } from '../errors.ts'
import type { PolicySpec } from '../../shared/jobs/explore.ts'
import { isHfConfig } from '../../shared/hf-checkpoint-config.ts'
import { LORA_NEEDS_IMPORTED } from '../model/hf/lora-settings.ts'
import { readPairs } from '../train/data.ts'
import type { SftConfig } from '../../shared/jobs/train.ts'
import type { DB } from '../store/db.ts'

/** A parameter that names something missing: `path` as in zod's issues ("config.policy"). */
export class ReferenceProblem extends EngineError {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super('bad_request', `${path}: ${problem}`)
  }
}

/** The environment a config names, or a problem listing the known ones. */
export function checkEnvironment(db: DB, path: string, id: string): Environment {
  try {
    return resolveEnvironment(db, id)
  } catch (err) {
    throw new ReferenceProblem(path, (err as Error).message)
  }
}

export function checkCheckpoint(db: DB, path: string, id: number): void {
  if (db.prepare('SELECT 1 FROM checkpoints WHERE id = ?').get(id)) return
  const known = (db.prepare('SELECT id FROM checkpoints ORDER BY id DESC LIMIT 12').all() as { id: number }[]).map((r) => r.id).reverse()
  throw new ReferenceProblem(path, `there is no checkpoint ${id} (${known.length ? `checkpoints: ${known.join(', ')}` : 'no checkpoints yet: train one first, e.g. `leafe train base`'}).`)
}

export function checkEndpoint(db: DB, path: string, name: string): void {
  if (!findEndpoint(db, name)) throw new ReferenceProblem(path, `there is no endpoint "${name}" (add it in Settings or with \`leafe endpoint add\`).`)
}

/**
 * A policy the run can build on this environment: its checkpoint or endpoint exists, and random
 * play has actions to choose from (a remote server whose profile reports no available actions
 * and has no action space gives it none).
 */
export function checkPolicy(db: DB, path: string, spec: PolicySpec, envId: string, env: Environment): void {
  if (spec.kind === 'checkpoint') return checkCheckpoint(db, path, spec.id)
  if (spec.kind === 'endpoint') return checkEndpoint(db, path, spec.endpoint)
  const remote = env.actionSpace?.length ? undefined : findRemoteEnv(db, envId)
  if (remote && !remote.profile.reset.availableActionsField && !remote.profile.step.availableActionsField) {
    throw new ReferenceProblem(path, `random play needs actions to choose from, and the remote environment "${envId}" has no action space and reports no available actions; evaluate a model instead.`)
  }
}

/**
 * Every line of a fine-tune's datasets (and its eval file) reads as a (prompt, target) pair, so a
 * bad file is refused before the job exists. What needs the model's tokeniser (an example longer
 * than its context) is checked when the job loads the data, before it records a run.
 */
export function checkDatasets(c: Pick<SftConfig, 'datasets' | 'eval'>): void {
  const files = [...c.datasets.map((d, i) => ({ path: `config.datasets.${i}.path`, file: d.path })), ...('path' in c.eval ? [{ path: 'config.eval.path', file: c.eval.path }] : [])]
  for (const f of files) {
    try {
      readPairs(f.file)
    } catch (err) {
      throw new ReferenceProblem(f.path, (err as Error).message)
    }
  }
}

/** A job only the byte-level model has a use for refuses an imported start, saying why. */
export function checkByteLevelStart(db: DB, path: string, start: number, why: string): void {
  const row = db.prepare('SELECT config FROM checkpoints WHERE id = ?').get(start) as { config: string | null } | undefined
  if (isHfConfig(row?.config ? JSON.parse(row.config) : null)) throw new ReferenceProblem(path, `checkpoint ${start} is an imported Hugging Face model; ${why}`)
}

/** LoRA (`lora` set) needs an imported model as the start; `start` null is a fresh byte-level preset. */
export function checkLoraStart(db: DB, path: string, lora: unknown, start: number | null): void {
  if (!lora) return
  const row = start === null ? undefined : (db.prepare('SELECT config FROM checkpoints WHERE id = ?').get(start) as { config: string | null } | undefined)
  if (!isHfConfig(row?.config ? JSON.parse(row.config) : null)) throw new ReferenceProblem(path, LORA_NEEDS_IMPORTED)
}
