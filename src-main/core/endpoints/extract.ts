import type { Environment } from '../envs/types.ts'
import type { Extraction } from '../../shared/endpoint-config.ts'

/**
 * Reads the action out of a model's reply as the extraction says, then lets the environment's
 * parser put it in canonical form ("Up." → "up"). What cannot be read is passed on as written:
 * the environment then answers that the action is not valid, which is itself a lesson.
 */
export function extractAction(reply: string, how: Extraction, env: Environment): string {
  const picked = pick(reply, how)
  return env.renderer.parseAction(picked, 'readable')
}

function pick(reply: string, how: Extraction): string {
  switch (how.kind) {
    case 'env':
      return reply
    case 'last-line': {
      const lines = reply.split('\n').map((l) => l.trim()).filter(Boolean)
      return lines[lines.length - 1] ?? ''
    }
    case 'regex': {
      const m = new RegExp(how.pattern, 'm').exec(reply)
      return m?.[how.group]?.trim() ?? reply.trim()
    }
    case 'json': {
      const value = jsonField(reply, how.field)
      return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : reply.trim()
    }
  }
}

/** A dotted path ("action" or "step.action") in the first JSON object of the text. */
function jsonField(text: string, path: string): unknown {
  const start = text.indexOf('{')
  const end = text.lastIndexOf('}')
  if (start < 0 || end <= start) return undefined
  let value: unknown
  try {
    value = JSON.parse(text.slice(start, end + 1))
  } catch {
    return undefined
  }
  for (const key of path.split('.')) {
    if (!value || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[key]
  }
  return value
}
