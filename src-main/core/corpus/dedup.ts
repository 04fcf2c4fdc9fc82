import { createHash } from 'node:crypto'

/**
 * Two corpus items with the same prompt and the same effective target (the edited target when
 * there is one) are the same training example; this key finds them.
 */
export function dedupKey(prompt: string, target: string): string {
  return createHash('sha256').update(prompt).update('\u0000').update(target).digest('hex').slice(0, 32)
}
