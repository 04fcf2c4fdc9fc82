// One episode on an environment server: create (one environment id per episode) → reset to the
// task → step … → close. No snapshot: rollback resets and replays, and the exploration engine
// checks that the replay gives the stored observations. Every failed call throws a
// RemoteEnvError; the engine ends that episode as an error and goes on with the others.
import type { EnvSession, Step } from '../types.ts'
import type { RemoteEnvRecord } from '../../../shared/remote-env-config.ts'
import { getJson, postJson, RemoteEnvError, type Call } from './http.ts'

export class RemoteSession implements EnvSession {
  private available: string[] | undefined
  private steps = 0
  private closed = false

  private constructor(
    private readonly server: RemoteEnvRecord,
    private readonly call: Call,
    private readonly envId: unknown,
    private readonly taskIndex: number,
  ) {}

  static async open(server: RemoteEnvRecord, taskIndex: number): Promise<RemoteSession> {
    const p = server.profile
    const call: Call = { server: server.name, baseUrl: server.baseUrl, timeoutS: server.timeoutS, errorField: p.errorField }
    const reply = await postJson(call, p.create.path, p.create.body)
    const id = p.create.idFrom === null ? reply : field(reply, p.create.idFrom)
    if (typeof id !== 'number' && typeof id !== 'string') {
      throw new RemoteEnvError(`${server.name} server, POST ${p.create.path}: no environment id in the reply (${JSON.stringify(reply).slice(0, 200)}).`)
    }
    return new RemoteSession(server, call, id, taskIndex)
  }

  async reset(): Promise<Step> {
    const p = this.server.profile
    const reply = await postJson(this.call, p.reset.path, { ...p.reset.body, [p.idField]: this.envId, [p.reset.taskField]: this.taskIndex })
    let observation: string
    if ('get' in p.reset.observation) {
      observation = this.text(await getJson(this.call, p.reset.observation.get, { [p.idField]: String(this.envId) }), `GET ${p.reset.observation.get}`)
    } else {
      observation = p.reset.observation.fields.map((f) => this.text(field(reply, f), `POST ${p.reset.path}, field "${f}"`)).join('\n')
    }
    this.available = p.reset.availableActionsField ? actions(field(reply, p.reset.availableActionsField)) : undefined
    this.steps = 0
    return { observation, feedback: observation, reward: 0, done: false, success: false, valid: true }
  }

  async step(action: string): Promise<Step> {
    const p = this.server.profile
    const reply = await postJson(this.call, p.step.path, { [p.idField]: this.envId, [p.step.actionField]: action })
    const observation = this.text(field(reply, p.step.observationField), `POST ${p.step.path}, field "${p.step.observationField}"`)
    const reward = number(field(reply, p.step.rewardField))
    const successValue = number(field(reply, p.success.field))
    const success = successValue >= p.success.atLeast
    this.steps++
    const limit = this.steps >= this.server.maxSteps
    const done = field(reply, p.step.doneField) === true || success || limit
    if (p.step.availableActionsField) this.available = actions(field(reply, p.step.availableActionsField))
    const invalid = p.invalidPattern !== undefined && new RegExp(p.invalidPattern, 'i').test(observation.trim())
    const feedback = limit && !success && field(reply, p.step.doneField) !== true ? `${observation}\n(Step limit of ${this.server.maxSteps} reached.)` : observation
    return { observation, feedback, reward, done, success, valid: !invalid }
  }

  private text(value: unknown, where: string): string {
    if (typeof value === 'string') return value
    throw new RemoteEnvError(`${this.server.name} server, ${where}: expected text, got ${JSON.stringify(value)?.slice(0, 200) ?? 'nothing'}.`)
  }

  validActions(): string[] | undefined {
    return this.available
  }

  /** Best effort: a server without close, or one that fails to close, costs nothing but a log line there. */
  async close(): Promise<void> {
    const close = this.server.profile.close
    if (this.closed || !close) return
    this.closed = true
    await postJson(this.call, close.path, { [this.server.profile.idField]: this.envId }).catch(() => undefined)
  }
}

function field(reply: unknown, name: string): unknown {
  return reply && typeof reply === 'object' && !Array.isArray(reply) ? (reply as Record<string, unknown>)[name] : undefined
}


const number = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'boolean' ? Number(v) : 0)

const actions = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((a) => typeof a === 'string') ? (v as string[]) : undefined)
