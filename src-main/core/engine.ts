import { EventEmitter } from 'node:events'
import { mkdirSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import type { EngineStatus, EventName, EventPayload, Settings } from '../api/contract.ts'
import pkg from '../../package.json' with { type: 'json' }
import { keyStoreEnv, type KeyStore } from './endpoints/keys.ts'
import { listEnvironments } from './envs/registry.ts'
import { listRemoteEnvs } from './envs/remote/store.ts'
import type { EnvStatus } from './envs/types.ts'
import { JobManager } from './jobs/manager.ts'
import { backendPreference, ensureBackend, type BackendChoice } from './model/backend.ts'
import { dataPaths } from './paths.ts'
import { readSettings, writeSettings } from './settings.ts'
import { latestVersion, openStore, type DB, type StoreInfo } from './store/db.ts'
import { tryStore } from './store/failures.ts'
import { MetricsFeed } from './train/metrics.ts'

export type EngineOptions = {
  dataDir: string
  /** Worker thread entry; defaults to the TypeScript source (tsx), Electron passes its bundle. */
  workerEntry?: URL
  /** Set under Electron, shown in status. */
  electronVersion?: string | null
  log?: (message: string) => void
  /** The desktop app's keychain for endpoint API keys; serve and the CLI have none (keys come from the environment). */
  keyStore?: KeyStore
}

const METRICS_POLL_MS = 500

type EngineEvents = { [E in EventName]: [EventPayload<E>] }

/**
 * The engine: owns the store, the job manager and (through jobs) everything long-running.
 * Plain Node — it runs the same under Electron, `serve`, the CLI and the tests.
 */
export class Engine extends EventEmitter<EngineEvents> {
  readonly db: DB
  readonly storeInfo: StoreInfo
  readonly jobs: JobManager
  readonly paths: ReturnType<typeof dataPaths>
  private backend: Promise<BackendChoice> | undefined
  private envStatus: ReturnType<Engine['environments']> | undefined
  private readonly metricsTimer: NodeJS.Timeout

  constructor(readonly opts: EngineOptions) {
    super()
    this.paths = dataPaths(opts.dataDir)
    mkdirSync(opts.dataDir, { recursive: true })
    const { db, info } = openStore(this.paths.db)
    this.db = db
    this.storeInfo = info
    this.jobs = new JobManager({
      db,
      dbPath: this.paths.db,
      dataDir: opts.dataDir,
      workerEntry: opts.workerEntry ?? new URL('./jobs/worker-entry.ts', import.meta.url),
      maxConcurrent: () => this.settings().maxConcurrentJobs,
      log: opts.log,
      workerEnv: () => keyStoreEnv(opts.keyStore),
    })
    this.jobs.on('job.updated', (job) => this.emit('job.updated', job))
    // Training jobs write train_metrics from their own threads; the feed turns new rows into events.
    const feed = new MetricsFeed(db, (batch) => this.emit('train.metrics', batch))
    const log = opts.log ?? ((m: string) => console.error(m))
    const failing = new Set<string>()
    this.metricsTimer = setInterval(() => tryStore('metrics feed', () => feed.poll(), log, failing), METRICS_POLL_MS)
    this.metricsTimer.unref()
  }

  get keyStore(): KeyStore | undefined {
    return this.opts.keyStore
  }

  /** The variables endpoint keys are read from here and in job threads: the process's, with the keychain's on top. */
  keyEnv(): Record<string, string | undefined> {
    return { ...process.env, ...keyStoreEnv(this.opts.keyStore) }
  }

  settings(): Settings {
    return readSettings(this.db)
  }

  updateSettings(patch: Partial<Settings>): Settings {
    const before = this.settings()
    const after = writeSettings(this.db, patch)
    if (after.tfBackend !== before.tfBackend) this.backend = undefined
    return after
  }

  /** The TF.js backend this process would use, selected once per setting (LEAFE_TF_BACKEND overrides). */
  tfBackend(): Promise<BackendChoice> {
    return (this.backend ??= ensureBackend(backendPreference(undefined, this.settings().tfBackend)))
  }

  async status(): Promise<EngineStatus> {
    let tf: EngineStatus['tf'] = null
    let tfError: string | null = null
    try {
      const b = await this.tfBackend()
      tf = { id: b.id, reason: b.reason, attempts: b.attempts, ...(b.matmul ? { matmul: b.matmul } : {}) }
    } catch (err) {
      tfError = (err as Error).message
      this.backend = undefined
    }
    return {
      version: pkg.version,
      dataDir: this.opts.dataDir,
      db: { ...this.storeInfo, latestVersion, schemaVersion: this.db.pragma('user_version', { simple: true }) as number },
      tf,
      tfError,
      jobs: this.jobs.counts(),
      runtime: {
        node: process.versions.node,
        platform: process.platform,
        arch: process.arch,
        electron: this.opts.electronVersion ?? null,
        cpus: availableParallelism(),
      },
    }
  }

  /** Every registered environment with its own status (probed once per engine: the sandbox probe runs a program). */
  environments(): Promise<{ id: string; label: string; actionSpace: string[] | null; remote: boolean; status: EnvStatus }[]> {
    this.envStatus ??= Promise.all(
      listEnvironments().map(async (env) => ({
        id: env.id,
        label: env.label,
        actionSpace: env.actionSpace ?? null,
        remote: false,
        status: env.status ? await env.status().catch((err: Error) => ({ available: false, summary: `Status check failed: ${err.message}` })) : { available: true, summary: 'Built in; always available.' },
      })),
    )
    // Remote servers come from the store each time (they are added and removed in Settings); a
    // status check would create an environment on the server, so it is left to "Check".
    const remote = listRemoteEnvs(this.db).map((r) => ({
      id: r.name,
      label: `${r.profile.label} at ${r.baseUrl}`,
      actionSpace: null,
      remote: true,
      status: { available: true, summary: `Served by ${r.baseUrl}; not checked here (Remote environments → Check).` },
    }))
    return this.envStatus.then((builtin) => [...builtin, ...remote])
  }


  async close(): Promise<void> {
    clearInterval(this.metricsTimer)
    await this.jobs.close()
    this.db.close()
  }
}
