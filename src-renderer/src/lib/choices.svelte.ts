// What a start form offers to choose from: the environments, the checkpoints (one per run, its
// newest) and the model endpoints — loaded once when the form opens.
import type { AppState } from './app.svelte.ts'
import { runCheckpoints, type RunCheckpoint } from './checkpoints.ts'

export class StartChoices {
  envs = $state<string[]>(['sokoban'])
  checkpoints = $state<RunCheckpoint[]>([])
  endpoints = $state<string[]>([])

  constructor(private readonly app: AppState) {}

  load(): void {
    const { app } = this
    void app.attempt(() => app.client.call('envs.list', {})).then((r) => r && (this.envs = r.map((e) => e.id)))
    void app.attempt(() => app.client.call('checkpoints.list', {})).then((r) => r && (this.checkpoints = runCheckpoints(r)))
    void app.attempt(() => app.client.call('endpoints.list', {})).then((r) => r && (this.endpoints = r.map((e) => e.name)))
  }
}

