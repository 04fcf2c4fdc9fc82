import type { JobKind } from './types.ts'

/**
 * Every kind of long work the engine knows. Each entry names its parameter schema and how its
 * worker code is loaded; the worker thread (worker-entry.ts) imports this same table.
 */
export const builtinJobKinds: JobKind[] = []

export function findBuiltinKind(kind: string): JobKind | undefined {
  return builtinJobKinds.find((k) => k.kind === kind)
}
