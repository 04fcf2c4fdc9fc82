import { EndpointClient } from '../endpoints/client.ts'
import { servedCheckpoint } from '../endpoints/checkpoints.ts'
import { resolveApiKey } from '../endpoints/keys.ts'
import { getEndpoint } from '../endpoints/store.ts'
import type { Environment } from '../envs/types.ts'
import type { PolicySpec } from '../../shared/jobs/explore.ts'
import { envPrompts } from '../explore/env-prompts.ts'
import { backendPreference, type BackendPreference } from '../model/backend.ts'
import { getCheckpoint } from '../model/checkpoint.ts'
import { isHfConfig } from '../../shared/hf-checkpoint-config.ts'
import { dataPaths } from '../paths.ts'
import { readSettings } from '../settings.ts'
import { openStore, type DB } from '../store/db.ts'
import { EndpointPolicy } from './endpoint.ts'
import { randomPolicy } from './random.ts'
import type { HfPolicy } from './hf.ts'
import type { Policy } from './types.ts'

/** Where a policy is built: the data directory, sampler threads, and the caller's store connection when it has one (jobs do). */
export type PolicyHost = { dataDir: string; threads?: number; db?: DB }

type EndpointSpec = Extract<PolicySpec, { kind: 'endpoint' }>

/** Builds the policy a run's config names. */
export async function createPolicy(spec: PolicySpec, env: Environment, host: PolicyHost): Promise<Policy> {
  // A checkpoint that names a served model acts through its endpoint.
  const served = spec.kind === 'checkpoint' ? withStore(host, (db) => servedCheckpoint(db, spec.id)) : null
  if (served) return endpointPolicy({ kind: 'endpoint', ...served }, env, host)
  switch (spec.kind) {
    case 'random':
      return randomPolicy(env.actionSpace)
    case 'checkpoint': {
      const { db } = openStore(dataPaths(host.dataDir).db, { migrate: false, check: false })
      try {
        const row = getCheckpoint(db, host.dataDir, spec.id)
        const backend = backendPreference(undefined, readSettings(db).tfBackend)
        if (isHfConfig(row.config)) return await openHfPolicy(db, host.dataDir, spec.id, env, backend)
        // Loaded on demand: TF.js takes a second to load, and random play does not need it.
        const { LocalPolicy } = await import('./local.ts')
        return await LocalPolicy.open(`checkpoint:${spec.id}`, env, { checkpointPath: row.path }, { backend, threads: host.threads })
      } finally {
        db.close()
      }
    }
    case 'endpoint':
      return endpointPolicy(spec, env, host)
  }
}

/**
 * An imported Hugging Face model (or an adapter on one) as a policy: generation and gradients in
 * the calling thread, scoring of choices on `threads` (else as hfThreads chooses per batch).
 */
export async function openHfPolicy(db: DB, dataDir: string, id: number, env: Environment, backend: BackendPreference, threads?: number): Promise<HfPolicy> {
  const { ensureBackend } = await import('../model/backend.ts')
  const choice = await ensureBackend(backend)
  const { loadHfCheckpoint } = await import('../model/hf/checkpoint.ts')
  const { HfPolicy } = await import('./hf.ts')
  return new HfPolicy(`checkpoint:${id}`, env, loadHfCheckpoint(db, dataDir, id), { threads: { ...(threads !== undefined ? { requested: threads } : {}), backend: choice.id } })
}

/** The endpoint policy for a spec; the API key comes from the process environment (keys.ts), never from the spec or the store. */
export function endpointPolicy(spec: EndpointSpec, env: Environment, host: PolicyHost): EndpointPolicy {
  return withStore(host, (db) => {
    const endpoint = getEndpoint(db, spec.endpoint)
    const client = new EndpointClient(endpoint, resolveApiKey(endpoint).key)
    return new EndpointPolicy(client, env, {
      model: spec.model,
      maxTokens: spec.maxTokens,
      extraction: spec.extraction ?? envPrompts(db, env).extraction,
    })
  })
}

/**
 * The spec as a run records it: an endpoint spec names the model it will use (the endpoint's,
 * when it named none), so that results stay attached to one model even if the endpoint's
 * default changes later.
 */
export function pinPolicySpec(db: DB, spec: PolicySpec): PolicySpec {
  return spec.kind === 'endpoint' && !spec.model ? { ...spec, model: getEndpoint(db, spec.endpoint).model } : spec
}

/** Runs fn on the host's connection, or on one opened (and closed) for it. */
export function withStore<T>(host: PolicyHost, fn: (db: DB) => T): T {
  if (host.db) return fn(host.db)
  const { db } = openStore(dataPaths(host.dataDir).db, { migrate: false, check: false })
  try {
    return fn(db)
  } finally {
    db.close()
  }
}
