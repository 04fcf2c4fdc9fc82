// Pure helpers of the start forms: how a policy named in a form becomes a spec, and how the
// engine's validation message is shortened for the field it names.
import type { PolicySpec } from '../../../src-main/shared/run-inputs.ts'

/** A policy as the forms name it ('random', 'checkpoint:12', 'endpoint:name' — eval_results' keys) → its spec. */
export function policySpecOf(key: string): PolicySpec {
  if (key.startsWith('checkpoint:')) return { kind: 'checkpoint', id: Number(key.slice('checkpoint:'.length)) }
  if (key.startsWith('endpoint:')) return { kind: 'endpoint', endpoint: key.slice('endpoint:'.length) }
  return { kind: 'random' }
}

/** "Invalid parameters for explore: config.budget: Too small: …" → "budget: Too small: …". */
export function readableStartError(message: string): string {
  return message.replace(/^Invalid parameters for [\w-]+: (?:config\.?)?/, '').replace(/^: /, '')
}
