// A sampling thread: its own TF.js backend and its own copy of the weights; answers
// generate/score requests from a SamplerPool (pool.ts).
import { parentPort, workerData } from 'node:worker_threads'
import { answerRequests } from '../jobs/threads.ts'
import { ensureBackend } from './backend.ts'
import { serveRequest, loadPoolModel, type PoolInit, type PoolRequest } from './pool.ts'

const init = workerData as PoolInit
const ready = (async () => {
  await ensureBackend(init.backend)
  return loadPoolModel(init.source)
})()

answerRequests<PoolRequest>(parentPort!, async (req) => ({ result: { result: serveRequest(await ready, req) } }))
