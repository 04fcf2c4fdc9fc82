import type { RemoteEnvRecord } from '../../../shared/remote-env-config.ts'
import { closeQuietly } from '../close.ts'
import { RemoteSession } from './session.ts'

/** One create → reset → close round on the server's first task of its first split: does it answer as its profile says? */
export async function checkRemoteEnv(server: RemoteEnvRecord): Promise<{ ok: boolean; message: string; observation: string | null; ms: number }> {
  const [split, [index]] = Object.entries(server.splits)[0]!
  const t0 = performance.now()
  let session: RemoteSession | undefined
  try {
    session = await RemoteSession.open(server, index)
    const first = await session.reset()
    const ms = Math.round(performance.now() - t0)
    return { ok: true, message: `Created an environment and reset it to task ${index} (split "${split}") in ${ms} ms.`, observation: first.observation.slice(0, 500), ms }
  } catch (err) {
    return { ok: false, message: (err as Error).message, observation: null, ms: Math.round(performance.now() - t0) }
  } finally {
    await closeQuietly(session)
  }
}
