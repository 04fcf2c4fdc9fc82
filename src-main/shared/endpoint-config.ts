// What an OpenAI-compatible endpoint is (a model server: vLLM, llama.cpp, Ollama, a hosted API)
// and how a reply becomes an action. Pure zod: the API contract and the renderer use these too.
import { z } from 'zod'

/**
 * What an endpoint's keyEnv may name. Anyone who can save an endpoint chooses where its key is
 * sent, so a free choice of variable would let them send any secret of the engine's environment
 * (a cloud token, a password) to a server of theirs.
 */
export const KEY_ENV_PATTERN = /^LEAFE_ENDPOINT_KEY_[A-Z0-9_]+$/

/** Names of endpoints and remote environments: what runs, the CLI and environment variables use. */
export const Name = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/i, 'use letters, digits, ".", "_" or "-", starting with a letter or digit')

/** A server's http(s) URL; the message shows the example. */
export const HttpUrl = (example: string) =>
  z
    .string()
    .max(2000)
    .refine((u) => /^https?:\/\//.test(u) && URL.canParse(u), `must be an http:// or https:// URL (e.g. ${example})`)

/**
 * How the action is read out of a model's reply. `env`: the environment's own parser (its
 * renderer's readable form); `last-line`: the last non-empty line; `regex`: a capture group of
 * the first match; `json`: a field (dotted path) of the first JSON object in the reply.
 */
export const Extraction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('env') }).strict(),
  z.object({ kind: z.literal('last-line') }).strict(),
  z
    .object({
      kind: z.literal('regex'),
      pattern: z
        .string()
        .min(1)
        .max(500)
        .refine((p) => compiles(p), 'is not a valid regular expression'),
      group: z.number().int().min(0).max(20).default(1),
    })
    .strict(),
  z.object({ kind: z.literal('json'), field: z.string().min(1).max(100) }).strict(),
])
export type Extraction = z.output<typeof Extraction>

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern)
    return true
  } catch {
    return false
  }
}

/** Limits and defaults of one endpoint. Never a key: at most the name of the variable holding it. */
export const EndpointSettings = z
  .object({
    /** Requests in flight at once from one process (a job's worker, or the engine). */
    concurrency: z.number().int().min(1).max(256).default(8),
    /** Per request, seconds. */
    timeoutS: z.number().positive().max(3600).default(120),
    /** Further attempts after a failed one (429, 5xx, timeout, broken or empty reply). */
    retries: z.number().int().min(0).max(20).default(4),
    /** First backoff; doubles per attempt (capped at 30 s) unless the server sends Retry-After. */
    backoffMs: z.number().int().min(0).max(60_000).default(500),
    /** Reply length limit for actions; reflections use their own. */
    maxTokens: z.number().int().min(1).max(65_536).default(256),
    stop: z.array(z.string().min(1).max(50)).max(4).optional(),
    /** The environment variable that holds the API key (default: LEAFE_ENDPOINT_KEY_<NAME>, then LEAFE_ENDPOINT_KEY). */
    keyEnv: z
      .string()
      .regex(KEY_ENV_PATTERN, 'must name a LEAFE_ENDPOINT_KEY_… variable (upper case, digits, _)')
      .max(100)
      .optional(),
  })
  .strict()
export type EndpointSettings = z.output<typeof EndpointSettings>

export const EndpointMode = z.enum(['chat', 'completion'])
export type EndpointMode = z.infer<typeof EndpointMode>

export const EndpointInput = z
  .object({
    name: Name,
    baseUrl: HttpUrl('http://127.0.0.1:8000/v1'),
    model: z.string().min(1).max(300),
    mode: EndpointMode.default('chat'),
    settings: EndpointSettings.default(EndpointSettings.parse({})),
  })
  .strict()
export type EndpointInput = z.input<typeof EndpointInput>
export type EndpointRecord = z.output<typeof EndpointInput> & { id: number }


/** What a capability probe found (stored with the endpoint, shown in Settings). */
export const ProbeResult = z.object({
  at: z.string(),
  ok: z.boolean(),
  /** The models the server lists; null when it does not answer /models. */
  models: z.array(z.string()).nullable(),
  modelListed: z.boolean().nullable(),
  /** Two requests with the same seed at temperature 1 gave the same text (null: not tested). */
  seedReproduces: z.boolean().nullable(),
  logprobs: z.boolean().nullable(),
  latencyMs: z.number().nullable(),
  /** Plain sentences: what failed, what to expect. */
  notes: z.array(z.string()),
})
export type ProbeResult = z.infer<typeof ProbeResult>

/** A model on an endpoint registered as a checkpoint, so its Pass@k curves sit beside local ones. */
export const ServedCheckpointInput = z
  .object({
    name: z.string().min(1).max(200),
    endpoint: Name,
    /** The model id on that endpoint (default: the endpoint's model). */
    model: z.string().min(1).max(300).optional(),
    parentId: z.number().int().positive().optional(),
    extraction: Extraction.optional(),
  })
  .strict()
export type ServedCheckpointInput = z.input<typeof ServedCheckpointInput>

/** What a served checkpoint's row holds in its config column. */
export const ServedConfig = z.object({ endpoint: Name, model: z.string(), extraction: Extraction.optional() })
export type ServedConfig = z.infer<typeof ServedConfig>
