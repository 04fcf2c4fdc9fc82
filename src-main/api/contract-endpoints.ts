// The endpoints side of the contract: OpenAI-compatible model servers (with their capability
// probes and, on the desktop, keychain keys), AgentGym-style environment servers, the per-
// environment prompts served models get, and served models registered as checkpoints. contract.ts
// spreads these methods into the one contract. Pure: no Node, no Electron.
import { z } from 'zod'
import { EndpointInput, EndpointMode, EndpointSettings, Extraction, Name, ProbeResult, ServedCheckpointInput } from '../shared/endpoint-config.ts'
import { RemoteEnvInput, Splits } from '../shared/remote-env-config.ts'
import { RemoteProfile } from '../shared/remote-profile.ts'
import { CheckpointInfo } from './contract-training.ts'
import { Empty, Int, method } from './contract-shapes.ts'

const ByName = z.object({ name: Name }).strict()

export const EndpointInfo = z.object({
  id: Int,
  name: z.string(),
  baseUrl: z.string(),
  model: z.string(),
  mode: EndpointMode,
  settings: EndpointSettings,
  /** Where the key comes from — never the key: 'keychain', 'env:VARIABLE' or 'none'. */
  key: z.object({ source: z.string(), present: z.boolean(), variable: z.string() }),
  probe: ProbeResult.nullable(),
})
export type EndpointInfo = z.infer<typeof EndpointInfo>

export const RemoteEnvInfo = z.object({
  id: Int,
  name: z.string(),
  baseUrl: z.string(),
  profile: RemoteProfile,
  splits: Splits,
  maxSteps: Int,
  timeoutS: z.number(),
})
export type RemoteEnvInfo = z.infer<typeof RemoteEnvInfo>

export const RemoteEnvCheck = z.object({
  ok: z.boolean(),
  /** What was tried and what happened, in words. */
  message: z.string(),
  /** The start of the first observation of the task tried. */
  observation: z.string().nullable(),
  ms: z.number(),
})
export type RemoteEnvCheck = z.infer<typeof RemoteEnvCheck>

export const EnvPromptsInfo = z.object({
  env: z.string(),
  reflectionTemplate: z.string(),
  defaultTemplate: z.string(),
  templateIsDefault: z.boolean(),
  extraction: Extraction,
})
export type EnvPromptsInfo = z.infer<typeof EnvPromptsInfo>

export const endpointMethods = {
  'endpoints.list': method(Empty, z.array(EndpointInfo), 'OpenAI-compatible endpoints, with where each key comes from and the last probe.'),
  'endpoints.save': method(EndpointInput, EndpointInfo, 'Add or change an endpoint by name (no key here: see endpoints.setKey).'),
  'endpoints.remove': method(ByName, z.object({ removed: z.literal(true) }), 'Remove an endpoint (refused while a served checkpoint names it).'),
  'endpoints.probe': method(ByName, EndpointInfo, 'Probe an endpoint: models listed, whether a seed reproduces a reply, logprobs, latency; stored with it.'),
  'endpoints.setKey': method(
    z.object({ name: Name, key: z.string().min(1).max(4000).nullable() }).strict(),
    EndpointInfo,
    "Keep (or, with null, forget) an endpoint's API key in the OS keychain — desktop only; serve and the CLI read keys from environment variables.",
  ),

  'remoteEnvs.list': method(Empty, z.array(RemoteEnvInfo), 'AgentGym-style environment servers.'),
  'remoteEnvs.profiles': method(Empty, z.array(RemoteProfile), 'The built-in server profiles (ALFWorld, WebShop, ScienceWorld).'),
  'remoteEnvs.save': method(RemoteEnvInput, RemoteEnvInfo, 'Add or change a remote environment by name: server, profile (built-in name or a whole profile), splits.'),
  'remoteEnvs.remove': method(ByName, z.object({ removed: z.literal(true) }), 'Remove a remote environment (its runs and episodes stay).'),
  'remoteEnvs.check': method(ByName, RemoteEnvCheck, "Create an environment on the server, reset it to the first task of its first split, and close it."),

  'prompts.get': method(z.object({ env: z.string().min(1).max(100) }).strict(), EnvPromptsInfo, "An environment's LLM reflection template (default or edited) and action extraction."),
  'prompts.set': method(
    z
      .object({
        env: z.string().min(1).max(100),
        /** null restores the default. */
        reflectionTemplate: z.string().min(1).max(20_000).nullable().optional(),
        extraction: Extraction.nullable().optional(),
      })
      .strict(),
    EnvPromptsInfo,
    "Edit an environment's reflection template or extraction; null restores the default.",
  ),

  'checkpoints.addServed': method(ServedCheckpointInput, CheckpointInfo, 'Register a model on an endpoint (e.g. a LoRA adapter) as a checkpoint, so its Pass@k curves sit beside local ones.'),
} as const
