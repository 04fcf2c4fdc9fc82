// A training thread: its own TF.js backend and its own copy of the weights; computes the
// gradients of one shard of a step's batch for the DataParallel that started it.
import { parentPort, workerData } from 'node:worker_threads'
import { ensureBackend } from '../model/backend.ts'
import type { Model } from '../model/transformer.ts'
import { serveShard, type HelperInit } from './data-parallel.ts'

const init = workerData as HelperInit
const port = parentPort!
const ready = ensureBackend(init.backend)
const holder: { model: Model | null } = { model: null }

port.on('message', async (req: Parameters<typeof serveShard>[2]) => {
  try {
    await ready
    const r = serveShard(init, holder, req)
    port.postMessage({ id: req.id, ok: true, ...r }, [r.grads.buffer as ArrayBuffer])
  } catch (err) {
    port.postMessage({ id: req.id, ok: false, error: (err as Error)?.message ?? String(err) })
  }
})
