// A training thread: its own TF.js backend and its own copy of the weights; computes the
// gradients of one shard of a step's batch for the DataParallel that started it.
import { parentPort, workerData } from 'node:worker_threads'
import { answerRequests } from '../jobs/threads.ts'
import { ensureBackend } from '../model/backend.ts'
import type { Model } from '../model/transformer.ts'
import { serveShard, type HelperInit } from './data-parallel.ts'

const init = workerData as HelperInit
const ready = ensureBackend(init.backend)
const holder: { model: Model | null } = { model: null }

answerRequests<Parameters<typeof serveShard>[2]>(parentPort!, async (req) => {
  await ready
  const r = serveShard(init, holder, req)
  return { result: r, transfer: [r.grads.buffer as ArrayBuffer] }
})
