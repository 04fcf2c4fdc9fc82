import type { Engine } from '../core/engine.ts'
import type { Service } from './contract.ts'
import { createDataService } from './service-data.ts'
import { createEndpointService } from './service-endpoints.ts'

/** Binds every contract method to the engine. Inputs arrive already validated by dispatch(). */
export function createService(engine: Engine): Service {
  return {
    'engine.status': () => engine.status(),
    'settings.get': async () => engine.settings(),
    'settings.set': async (patch) => engine.updateSettings(patch),
    'envs.list': () => engine.environments(),
    'jobs.kinds': async () => engine.jobs.listKinds(),
    'jobs.list': async (q) => engine.jobs.list(q),
    'jobs.get': async ({ id }) => engine.jobs.get(id),
    // Files a job reads must lie in the data directory when the caller is the API.
    'jobs.start': async ({ kind, params }) => engine.jobs.start(kind, params, { confineFilesTo: engine.opts.dataDir }),
    'jobs.cancel': async ({ id }) => engine.jobs.cancel(id),
    'jobs.resume': async ({ id }) => engine.jobs.resume(id),
    ...createDataService(engine),
    ...createEndpointService(engine),
  }
}
