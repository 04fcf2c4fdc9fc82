// Runs one job inside a worker thread: loads the kind's module, gives it a JobContext, and
// reports progress, the result or the error to the engine's JobManager.
import { parentPort, workerData } from 'node:worker_threads'
import { openStore, type DB } from '../store/db.ts'
import { saveJobState } from '../store/jobs.ts'
import { describeStoreFailure } from '../store/failures.ts'
import { findBuiltinKind } from './registry.ts'
import { wasCancelled, type JobContext, type JobModule } from './types.ts'
import type { ToParent, WorkerInput } from './protocol.ts'

const input = workerData as WorkerInput
const port = parentPort!
const post = (m: ToParent) => port.postMessage(m)

const abort = new AbortController()
port.on('message', (m: { type: string }) => {
  if (m.type === 'cancel') abort.abort()
})
port.unref() // the listener must not keep a finished job's thread alive

let db: DB | undefined
const getDb = (): DB => (db ??= openStore(input.dbPath, { migrate: false, check: false }).db)

const ctx: JobContext<unknown> = {
  jobId: input.jobId,
  params: input.params,
  state: input.state,
  dataDir: input.dataDir,
  signal: abort.signal,
  progress: (done, total, message) => post({ type: 'progress', done, total: total ?? null, message: message ?? null }),
  saveState: (state) => {
    saveJobState(getDb(), input.jobId, state)
  },
  log: (message) => post({ type: 'log', message }),
  db: getDb,
}

async function load(): Promise<JobModule> {
  if (input.moduleUrl) return (await import(/* @vite-ignore */ input.moduleUrl)) as JobModule
  const kind = findBuiltinKind(input.kind)
  if (!kind?.load) throw new Error(`Unknown job kind ${input.kind}`)
  return kind.load()
}

try {
  const mod = await load()
  const result = await mod.run(ctx)
  post({ type: 'result', result: result ?? null })
} catch (err) {
  if (wasCancelled(err, abort.signal)) post({ type: 'cancelled' })
  else {
    // A full disk or a lock held too long is the machine's state, not a bug: a plain line, no stack.
    const plain = describeStoreFailure(err)
    post({ type: 'error', message: plain ?? (err as Error)?.message ?? String(err), stack: plain ? '' : ((err as Error)?.stack ?? '') })
  }
} finally {
  db?.close()
}
