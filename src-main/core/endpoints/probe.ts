// The capability probe run when an endpoint is added or checked: which models the server lists,
// whether a seed reproduces a sampled reply (so seeded exploration is repeatable), whether it
// returns log-probabilities, and how long a short reply takes. Each question is answered
// separately: a server that lacks /models can still serve, one that ignores seeds still explores.
import { EndpointClient, EndpointError } from './client.ts'
import type { EndpointRecord, ProbeResult } from '../../shared/endpoint-config.ts'

const PROMPT = 'Write one short sentence about a random animal.'

export async function probeEndpoint(endpoint: EndpointRecord, apiKey: string | undefined, signal?: AbortSignal): Promise<ProbeResult> {
  // Probes answer quickly or not at all: one try each, a short timeout.
  const client = new EndpointClient({ ...endpoint, settings: { ...endpoint.settings, retries: 0, timeoutS: Math.min(endpoint.settings.timeoutS, 30) } }, apiKey)
  const notes: string[] = []
  let models: string[] | null = null
  try {
    models = await client.models(signal)
  } catch (err) {
    notes.push(`The server does not list models (${brief(err)}).`)
  }
  const modelListed = models === null ? null : models.includes(endpoint.model)
  if (modelListed === false) notes.push(`Model "${endpoint.model}" is not among the ${models!.length} listed${models!.length ? ` (e.g. ${models!.slice(0, 3).join(', ')})` : ''}.`)

  const ask = { prompt: PROMPT, temperature: 1, maxTokens: 24, seed: 1234 }
  let latencyMs: number | null = null
  let first: string
  try {
    const t0 = performance.now()
    first = (await client.complete(ask, { signal })).text
    latencyMs = Math.round(performance.now() - t0)
  } catch (err) {
    notes.push(`A ${endpoint.mode} request failed: ${brief(err)}`)
    return { at: new Date().toISOString(), ok: false, models, modelListed, seedReproduces: null, logprobs: null, latencyMs, notes }
  }

  let seedReproduces: boolean | null = null
  try {
    seedReproduces = (await client.complete(ask, { signal })).text === first
    if (!seedReproduces) notes.push('The same seed gave a different reply: samples cannot be reproduced exactly (exploration still works; re-runs will differ).')
  } catch (err) {
    notes.push(`The seed check failed: ${brief(err)}`)
  }

  let logprobs: boolean | null = null
  try {
    logprobs = (await client.complete({ ...ask, logprobs: true }, { signal })).logprobs
    if (!logprobs) notes.push('No log-probabilities in replies.')
  } catch (err) {
    logprobs = false
    notes.push(`Asking for log-probabilities failed: ${brief(err)}`)
  }
  return { at: new Date().toISOString(), ok: true, models, modelListed, seedReproduces, logprobs, latencyMs, notes }
}

const brief = (err: unknown): string => (err instanceof EndpointError ? err.message : (err as Error)?.message ?? String(err))
