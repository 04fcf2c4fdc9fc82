// A served language model as a policy: each context becomes one request to an OpenAI-compatible
// endpoint (the environment's readable prompt; its system message in chat mode), with the
// context's own seed, and the action is read out of the reply. Requests of a batch run
// concurrently up to the endpoint's limit. A context whose request fails for good gets an error
// instead of an action, so one bad request ends one episode, not the run. (Its reflections — the
// 'self' and 'llm' reflectors — go through endpointComplete below; see explore/job.ts.)
import type { Context, Environment } from '../envs/types.ts'
import type { Extraction } from '../../shared/endpoint-config.ts'
import { EndpointError, type EndpointClient } from '../endpoints/client.ts'
import { extractAction } from '../endpoints/extract.ts'
import type { Complete } from '../explore/reflectors.ts'
import { deriveSeed } from '../random.ts'
import type { Decision, Policy, SampleOptions } from './types.ts'

export type EndpointPolicyOptions = {
  /** Overrides the endpoint's model (a LoRA adapter served beside its base, another tag). */
  model?: string
  maxTokens?: number
  extraction: Extraction
}

export class EndpointPolicy implements Policy {
  readonly id: string

  constructor(
    private readonly client: EndpointClient,
    private readonly env: Environment,
    private readonly opts: EndpointPolicyOptions,
  ) {
    this.id = `endpoint:${client.endpoint.name}/${opts.model ?? client.endpoint.model}`
  }

  async decide(contexts: Context[], opts: SampleOptions): Promise<Decision[]> {
    const renderer = this.env.renderer
    const chat = this.client.endpoint.mode === 'chat'
    return Promise.all(
      contexts.map(async (ctx, i): Promise<Decision> => {
        try {
          const answer = await this.client.complete(
            {
              ...(chat ? { system: renderer.system(ctx.task) } : {}),
              prompt: renderer.render(ctx, 'readable'),
              temperature: opts.temperature,
              topP: opts.topP,
              seed: opts.seeds?.[i] ?? deriveSeed(opts.seed ?? 0, i),
              maxTokens: opts.maxTokens ?? this.opts.maxTokens,
            },
            { model: this.opts.model },
          )
          return { action: extractAction(answer.text, this.opts.extraction, this.env), raw: answer.text }
        } catch (err) {
          if (!(err instanceof EndpointError)) throw err
          return { action: '', error: err.message }
        }
      }),
    )
  }

  async act(contexts: Context[], opts: SampleOptions): Promise<string[]> {
    const decisions = await this.decide(contexts, opts)
    const failed = decisions.find((d) => d.error)
    if (failed) throw new Error(failed.error)
    return decisions.map((d) => d.action)
  }
}

export type CompleteOptions = { model?: string; temperature?: number; maxTokens?: number; seed: number }

/**
 * A `complete(prompt, attempt)` over an endpoint for the LLM reflector: seeded per prompt and
 * attempt, so a retry after a malformed reply asks for a different sample, and a run repeated
 * with the same seed asks for the same ones.
 */
export function endpointComplete(client: EndpointClient, opts: CompleteOptions): Complete {
  return async (prompt, attempt) => {
    const answer = await client.complete(
      { prompt, temperature: opts.temperature ?? 0.7, maxTokens: opts.maxTokens ?? 512, seed: deriveSeed(opts.seed, prompt, attempt) },
      { model: opts.model },
    )
    return answer.text
  }
}
