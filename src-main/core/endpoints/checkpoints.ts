// Served models as checkpoints: a checkpoints row of kind 'endpoint' names an endpoint and a model
// there (a fine-tuned model, a vLLM LoRA adapter), so that its Pass@k curves sit beside local
// checkpoints' and its lineage (parent) is recorded like theirs.
import { EngineError, notFound } from '../errors.ts'
import type { DB } from '../store/db.ts'
import { insertCheckpoint } from '../store/checkpoints.ts'
import { ServedCheckpointInput, ServedConfig } from '../../shared/endpoint-config.ts'
import { getEndpoint } from './store.ts'

export function addServedCheckpoint(db: DB, input: ServedCheckpointInput): number {
  const v = ServedCheckpointInput.parse(input)
  const endpoint = getEndpoint(db, v.endpoint)
  if (v.parentId !== undefined && !db.prepare('SELECT 1 FROM checkpoints WHERE id = ?').get(v.parentId)) throw notFound(`Parent checkpoint ${v.parentId}`)
  const config: ServedConfig = { endpoint: v.endpoint, model: v.model ?? endpoint.model, ...(v.extraction ? { extraction: v.extraction } : {}) }
  return insertCheckpoint(db, { name: v.name, kind: 'endpoint', parentId: v.parentId ?? null, config })
}

/** The endpoint and model of a served checkpoint; null for a local one. */
export function servedCheckpoint(db: DB, id: number): ServedConfig | null {
  const row = db.prepare('SELECT kind, config FROM checkpoints WHERE id = ?').get(id) as { kind: string; config: string } | undefined
  if (!row) throw notFound(`Checkpoint ${id}`)
  if (row.kind !== 'endpoint') return null
  const parsed = ServedConfig.safeParse(JSON.parse(row.config))
  if (!parsed.success) throw new EngineError('bad_request', `Checkpoint ${id} is of kind 'endpoint' but does not name an endpoint and a model.`)
  return parsed.data
}
