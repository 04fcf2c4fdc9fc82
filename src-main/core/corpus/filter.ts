import type { CorpusFilter, CorpusSort } from '../../api/contract-corpus.ts'
import { likeContains } from '../store/like.ts'

const TEXT_COLUMNS = ['prompt', 'target', 'edited_target', 'experience', 'failed_action', 'note']

/**
 * The one translation of a corpus filter into SQL: the table, the counts and every bulk action
 * see exactly the same items. Columns are those of corpus_items (no alias).
 */
export function corpusWhere(f: CorpusFilter): { sql: string; args: unknown[] } {
  const parts: string[] = []
  const args: unknown[] = []
  const eq = (column: string, value: string | undefined) => {
    if (value !== undefined && value !== '') parts.push(`${column} = ?`), args.push(value)
  }
  eq('env', f.env)
  eq('kind', f.kind)
  eq('status', f.status)
  eq('source', f.source)
  eq('task_key', f.task)
  if (f.text) {
    const like = likeContains(f.text)
    parts.push(`(${TEXT_COLUMNS.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`)
    args.push(...TEXT_COLUMNS.map(() => like))
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', args }
}

const SORT_COLUMN: Record<CorpusSort['by'], string> = {
  id: 'id',
  updated: 'updated_at',
  task: 'task_key',
  env: 'env',
  kind: 'kind',
  status: 'status',
}

/** ORDER BY for a sort choice; the id breaks ties so that windows never overlap or skip. */
export function corpusOrder(s: CorpusSort): string {
  const dir = s.dir === 'desc' ? 'DESC' : 'ASC'
  return s.by === 'id' ? `ORDER BY id ${dir}` : `ORDER BY ${SORT_COLUMN[s.by]} ${dir}, id ${dir}`
}
