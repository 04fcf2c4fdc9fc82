// A forward thread: its own TF.js backend and its own copy of an imported model (and adapter);
// computes one shard of a batch for the HfForwardPool that started it (forward-pool.ts).
import { parentPort, workerData } from 'node:worker_threads'
import { answerRequests } from '../../jobs/threads.ts'
import { ensureBackend } from '../backend.ts'
import { loadScorer, serveHf, type HfPoolInit, type HfRequest } from './forward-pool.ts'

const init = workerData as HfPoolInit
const ready = (async () => {
  await ensureBackend(init.backend)
  return loadScorer(init.source)
})()

answerRequests<HfRequest & { id: number }>(parentPort!, async (req) => serveHf(await ready, req))
