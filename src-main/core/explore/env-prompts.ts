// Per environment, what served models are told and how their replies are read: the LLM
// reflector's template (a default per environment, editable) and the action extraction. Stored
// in env_prompts; a run copies the template it used into its config, so editing it later does
// not change what a finished run means.
import { Extraction } from '../../shared/endpoint-config.ts'
import { EngineError } from '../errors.ts'
import type { Environment } from '../envs/types.ts'
import { now, type DB } from '../store/db.ts'
import { defaultReflectionTemplate, templateProblem } from './reflectors.ts'

export type EnvPrompts = {
  env: string
  reflectionTemplate: string
  defaultTemplate: string
  /** false when the template was edited for this environment. */
  templateIsDefault: boolean
  extraction: Extraction
}

const DEFAULT_EXTRACTION: Extraction = { kind: 'env' }

export function envPrompts(db: DB, env: Environment): EnvPrompts {
  const row = db.prepare('SELECT reflection_template, extraction FROM env_prompts WHERE env = ?').get(env.id) as
    | { reflection_template: string | null; extraction: string | null }
    | undefined
  const defaultTemplate = defaultReflectionTemplate(env)
  return {
    env: env.id,
    reflectionTemplate: row?.reflection_template ?? defaultTemplate,
    defaultTemplate,
    templateIsDefault: row?.reflection_template == null,
    extraction: row?.extraction ? Extraction.parse(JSON.parse(row.extraction)) : DEFAULT_EXTRACTION,
  }
}

/** Changes what is given; null puts the default back. A template that cannot work is refused with the reason. */
export function setEnvPrompts(db: DB, env: Environment, patch: { reflectionTemplate?: string | null; extraction?: Extraction | null }): EnvPrompts {
  if (typeof patch.reflectionTemplate === 'string') {
    const problem = templateProblem(patch.reflectionTemplate)
    if (problem) throw new EngineError('bad_request', `Reflection template for ${env.id}: ${problem}.`)
  }
  const current = db.prepare('SELECT reflection_template, extraction FROM env_prompts WHERE env = ?').get(env.id) as
    | { reflection_template: string | null; extraction: string | null }
    | undefined
  const template = patch.reflectionTemplate === undefined ? (current?.reflection_template ?? null) : patch.reflectionTemplate
  const extraction = patch.extraction === undefined ? (current?.extraction ?? null) : patch.extraction && JSON.stringify(Extraction.parse(patch.extraction))
  db.prepare(
    `INSERT INTO env_prompts (env, reflection_template, extraction, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (env) DO UPDATE SET reflection_template = excluded.reflection_template, extraction = excluded.extraction, updated_at = excluded.updated_at`,
  ).run(env.id, template, extraction, now())
  return envPrompts(db, env)
}
