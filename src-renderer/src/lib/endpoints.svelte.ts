// Settings' model servers and environment servers: endpoints with their probes and key sources,
// remote environments, the built-in server profiles, and every environment's prompts.
import type { EndpointInfo, EnvPromptsInfo, RemoteEnvInfo } from '../../../src-main/api/contract-endpoints.ts'
import type { Input, Output } from '../../../src-main/api/contract.ts'
import type { AppState } from './app.svelte.ts'

export class EndpointsState {
  endpoints = $state<EndpointInfo[]>([])
  remotes = $state<RemoteEnvInfo[]>([])
  profiles = $state<string[]>([])
  environments = $state<Output<'envs.list'>>([])
  /** What a check of each remote environment last said, by name. */
  checks = $state<Record<string, { ok: boolean; message: string }>>({})
  /** Endpoints being probed right now (a probe takes a few requests). */
  probing = $state<string[]>([])

  constructor(private readonly app: AppState) {}

  private get api() {
    return this.app.client
  }

  async load(): Promise<void> {
    const [e, r, p, envs] = await Promise.all([
      this.app.attempt(() => this.api.call('endpoints.list', {})),
      this.app.attempt(() => this.api.call('remoteEnvs.list', {})),
      this.app.attempt(() => this.api.call('remoteEnvs.profiles', {})),
      this.app.attempt(() => this.api.call('envs.list', {})),
    ])
    if (e) this.endpoints = e
    if (r) this.remotes = r
    if (p) this.profiles = p.map((x) => x.name)
    if (envs) this.environments = envs
  }

  /** Saves, then probes at once: a new connection is checked as soon as it is made. */
  async saveEndpoint(input: Input<'endpoints.save'>): Promise<boolean> {
    const saved = await this.app.attempt(() => this.api.call('endpoints.save', input))
    if (!saved) return false
    this.upsert(saved)
    await this.probe(saved.name)
    return true
  }

  async probe(name: string): Promise<void> {
    this.probing = [...this.probing, name]
    try {
      const probed = await this.app.attempt(() => this.api.call('endpoints.probe', { name }))
      if (probed) this.upsert(probed)
    } finally {
      this.probing = this.probing.filter((n) => n !== name)
    }
  }

  async setKey(name: string, key: string | null): Promise<void> {
    const e = await this.app.attempt(() => this.api.call('endpoints.setKey', { name, key }))
    if (e) this.upsert(e)
  }

  async removeEndpoint(name: string): Promise<void> {
    if (await this.app.attempt(() => this.api.call('endpoints.remove', { name }))) this.endpoints = this.endpoints.filter((e) => e.name !== name)
  }

  async serveAsCheckpoint(input: Input<'checkpoints.addServed'>): Promise<string | null> {
    const c = await this.app.attempt(() => this.api.call('checkpoints.addServed', input))
    return c ? `Checkpoint ${c.id} "${c.name}" registered; evaluate it like any checkpoint.` : null
  }

  async saveRemote(input: Input<'remoteEnvs.save'>): Promise<boolean> {
    const saved = await this.app.attempt(() => this.api.call('remoteEnvs.save', input))
    if (!saved) return false
    this.remotes = [...this.remotes.filter((r) => r.name !== saved.name), saved].sort((a, b) => a.name.localeCompare(b.name))
    await Promise.all([this.check(saved.name), this.load()])
    return true
  }

  async check(name: string): Promise<void> {
    const c = await this.app.attempt(() => this.api.call('remoteEnvs.check', { name }))
    if (c) this.checks = { ...this.checks, [name]: { ok: c.ok, message: c.message } }
  }

  async removeRemote(name: string): Promise<void> {
    if (await this.app.attempt(() => this.api.call('remoteEnvs.remove', { name }))) await this.load()
  }

  prompts(env: string): Promise<EnvPromptsInfo | undefined> {
    return this.app.attempt(() => this.api.call('prompts.get', { env }))
  }

  savePrompts(input: Input<'prompts.set'>): Promise<EnvPromptsInfo | undefined> {
    return this.app.attempt(() => this.api.call('prompts.set', input))
  }

  private upsert(e: EndpointInfo): void {
    const i = this.endpoints.findIndex((x) => x.name === e.name)
    if (i >= 0) this.endpoints[i] = e
    else this.endpoints = [...this.endpoints, e].sort((a, b) => a.name.localeCompare(b.name))
  }
}
