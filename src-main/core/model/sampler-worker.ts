// A sampling thread: its own TF.js backend and its own copy of the weights; answers
// generate/score requests from a SamplerPool (pool.ts).
import { parentPort, workerData } from 'node:worker_threads'
import { ensureBackend } from './backend.ts'
import { serveRequest, loadPoolModel, type PoolInit, type PoolRequest, type PoolReply } from './pool.ts'

const init = workerData as PoolInit
const port = parentPort!
const ready = (async () => {
  await ensureBackend(init.backend)
  return loadPoolModel(init.source)
})()

port.on('message', async (req: PoolRequest) => {
  let reply: PoolReply
  try {
    reply = { id: req.id, ok: true, result: serveRequest(await ready, req) }
  } catch (err) {
    reply = { id: req.id, ok: false, error: (err as Error)?.message ?? String(err) }
  }
  port.postMessage(reply)
})
