import { addServedCheckpoint } from '../core/endpoints/checkpoints.ts'
import { keyVariable, resolveApiKey } from '../core/endpoints/keys.ts'
import { probeEndpoint } from '../core/endpoints/probe.ts'
import { getEndpoint, listEndpoints, removeEndpoint, saveEndpoint, saveProbe, type StoredEndpoint } from '../core/endpoints/store.ts'
import type { Engine } from '../core/engine.ts'
import { EngineError } from '../core/errors.ts'
import { checkRemoteEnv } from '../core/envs/remote/check.ts'
import { builtinProfiles } from '../shared/remote-profile.ts'
import { findRemoteEnv, listRemoteEnvs, removeRemoteEnv, saveRemoteEnv } from '../core/envs/remote/store.ts'
import { resolveEnvironment } from '../core/envs/resolve.ts'
import { envPrompts, setEnvPrompts } from '../core/explore/env-prompts.ts'
import { notFound } from '../core/errors.ts'
import { listCheckpoints } from '../core/store/checkpoints.ts'
import type { EndpointInfo, endpointMethods } from './contract-endpoints.ts'
import type { Service } from './contract.ts'

/** Binds the endpoint methods (contract-endpoints.ts) to the engine. */
export function createEndpointService(engine: Engine): Pick<Service, keyof typeof endpointMethods> {
  const db = engine.db
  const info = (e: StoredEndpoint): EndpointInfo => {
    const { key, source } = resolveApiKey(e, engine.keyEnv())
    const variable = keyVariable(e.name)
    const fromKeychain = source === `env:${variable}` && engine.keyStore?.get(e.name) === key
    return { ...e, key: { source: fromKeychain ? 'keychain' : source, present: key !== undefined, variable: e.settings.keyEnv ?? variable } }
  }
  return {
    'endpoints.list': async () => listEndpoints(db).map(info),
    'endpoints.save': async (input) => info(saveEndpoint(db, input)),
    'endpoints.remove': async ({ name }) => {
      removeEndpoint(db, name)
      engine.keyStore?.delete(name)
      return { removed: true }
    },
    'endpoints.probe': async ({ name }) => {
      const e = getEndpoint(db, name)
      saveProbe(db, name, await probeEndpoint(e, resolveApiKey(e, engine.keyEnv()).key))
      return info(getEndpoint(db, name))
    },
    'endpoints.setKey': async ({ name, key }) => {
      const e = getEndpoint(db, name)
      if (!engine.keyStore) {
        throw new EngineError('bad_request', `This engine has no keychain (it runs as serve or the CLI): set ${e.settings.keyEnv ?? keyVariable(name)} in its environment instead.`)
      }
      if (key === null) engine.keyStore.delete(name)
      else engine.keyStore.set(name, key)
      return info(e)
    },

    'remoteEnvs.list': async () => listRemoteEnvs(db),
    'remoteEnvs.profiles': async () => Object.values(builtinProfiles),
    'remoteEnvs.save': async (input) => saveRemoteEnv(db, input),
    'remoteEnvs.remove': async ({ name }) => {
      removeRemoteEnv(db, name)
      return { removed: true }
    },
    'remoteEnvs.check': async ({ name }) => {
      const server = findRemoteEnv(db, name)
      if (!server) throw notFound(`Remote environment "${name}"`)
      return checkRemoteEnv(server)
    },

    'prompts.get': async ({ env }) => envPrompts(db, resolveEnvironment(db, env)),
    'prompts.set': async ({ env, ...patch }) => setEnvPrompts(db, resolveEnvironment(db, env), patch),

    'checkpoints.addServed': async (input) => {
      const id = addServedCheckpoint(db, input)
      return listCheckpoints(db).find((c) => c.id === id)!
    },
  }
}
