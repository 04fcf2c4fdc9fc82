// Messages between the JobManager (engine thread) and a job's worker thread.

export type WorkerInput = {
  jobId: number
  kind: string
  params: unknown
  state: unknown
  dataDir: string
  dbPath: string
  moduleUrl?: string
}

export type ToParent =
  | { type: 'progress'; done: number; total: number | null; message: string | null }
  | { type: 'log'; message: string }
  | { type: 'result'; result: unknown }
  | { type: 'cancelled' }
  | { type: 'error'; message: string; stack: string }

export type ToWorker = { type: 'cancel' }
