import type { EnvSession } from './types.ts'

/**
 * Closes a session without letting a failure escape: an episode is over either way, and a close
 * that throws (a remote server already gone) must not end the run or become an unhandled rejection.
 */
export function closeQuietly(session: EnvSession | undefined): Promise<void> {
  if (!session) return Promise.resolve()
  try {
    return session.close().catch(() => undefined)
  } catch {
    return Promise.resolve()
  }
}
