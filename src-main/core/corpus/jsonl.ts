// Export and import of the corpus as JSONL in the chat format TRL-style trainers read:
//   {"messages": [{"role": "system", …}, {"role": "user", …}, {"role": "assistant", …}], "metadata": {…}}
// The assistant turn is the only trained part (the target action); the experience, the failed
// action and the curation state travel in metadata, never in a trained message.
import { closeSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs'
import { z } from 'zod'
import { resolveEnvironment } from '../envs/resolve.ts'
import { EngineError } from '../errors.ts'
import type { DB } from '../store/db.ts'
import { insertCorpusItems, type NewCorpusItem } from './curation.ts'
import { targetProblemWithoutState } from './target-check.ts'

export type ExportFilter = { status?: 'pending' | 'accepted' | 'rejected' | 'any'; kind?: 'cf' | 'reh' | 'manual'; env?: string }

type Row = {
  id: number; kind: string; env: string; task_key: string | null; prompt: string; target: string; edited_target: string | null
  experience: string | null; failed_action: string | null; status: string; note: string; source: string; meta: string
}

export type ExportResult = {
  written: number
  /** Items of the kind and environment asked for that the status filter left out (e.g. pending ones). */
  otherStatus: number
  /** Matching items whose target the environment does not accept (target-check.ts): never exported as an assistant turn. */
  invalidTargets: number
}

/** Writes the matching items to `path` (temp file, then rename: a reader never sees half a file), and says what it left out. */
export function exportCorpus(db: DB, path: string, filter: ExportFilter = {}): ExportResult {
  const where: string[] = []
  const args: unknown[] = []
  const status = filter.status ?? 'accepted'
  if (status !== 'any') (where.push('status = ?'), args.push(status))
  if (filter.kind) (where.push('kind = ?'), args.push(filter.kind))
  if (filter.env) (where.push('env = ?'), args.push(filter.env))
  const sql = `SELECT id, kind, env, task_key, prompt, target, edited_target, experience, failed_action, status, note, source, meta FROM corpus_items ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`
  const others = status === 'any' ? [] : where.slice(1)
  const otherStatus = status === 'any' ? 0 : (db
    .prepare(`SELECT COUNT(*) AS n FROM corpus_items WHERE status != ?${others.map((w) => ` AND ${w}`).join('')}`)
    .get(...args) as { n: number }).n
  let invalidTargets = 0
  const tmp = `${path}.tmp-${process.pid}`
  const fd = openSync(tmp, 'w')
  let n = 0
  try {
    for (const r of db.prepare(sql).iterate(...args) as Iterable<Row>) {
      if (targetProblemWithoutState(r.env, r.edited_target ?? r.target)) {
        invalidTargets++
        continue
      }
      const meta = JSON.parse(r.meta) as { system?: string }
      const messages = [
        ...(meta.system ? [{ role: 'system', content: meta.system }] : []),
        { role: 'user', content: r.prompt },
        { role: 'assistant', content: r.edited_target ?? r.target },
      ]
      const metadata = {
        id: r.id, kind: r.kind, env: r.env, task: r.task_key, status: r.status, source: r.source, note: r.note,
        experience: r.experience, failed_action: r.failed_action, original_target: r.edited_target ? r.target : undefined, meta,
      }
      writeSync(fd, JSON.stringify({ messages, metadata }) + '\n')
      n++
    }
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, path)
  return { written: n, otherStatus, invalidTargets }
}

/** Far above any prompt a policy here reads; it keeps one line from filling the database. */
export const MAX_MESSAGE_CHARS = 1_000_000
const Message = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().max(MAX_MESSAGE_CHARS, `longer than ${MAX_MESSAGE_CHARS.toLocaleString('en')} characters`),
})

/** The file as text, refused (with the line) where it is not UTF-8: replacing bytes would change prompts silently. */
function readUtf8(path: string): string {
  const bytes = readFileSync(path)
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    let line = 1
    let start = 0
    for (let i = 0; i <= bytes.length; i++) {
      if (i < bytes.length && bytes[i] !== 0x0a) continue
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, i))
      } catch {
        break
      }
      line++
      start = i + 1
    }
    throw new EngineError('bad_request', `${path}, line ${line}: not valid UTF-8. Nothing was imported.`)
  }
}
const Line = z.object({
  messages: z.array(Message).min(2),
  metadata: z
    .object({
      kind: z.enum(['cf', 'reh', 'manual']).optional(),
      env: z.string().min(1).optional(),
      task: z.string().nullable().optional(),
      source: z.string().optional(),
      experience: z.string().nullable().optional(),
      failed_action: z.string().nullable().optional(),
      meta: z.record(z.string(), z.unknown()).optional(),
    })
    .passthrough()
    .optional(),
})

/**
 * Imports a chat-JSONL file. Every line is validated first; a file with a bad line imports
 * nothing, and the error names the line and the reason. Items land as pending, deduplicated.
 */
export function importCorpus(db: DB, path: string, opts: { env?: string } = {}): { imported: number; duplicates: number; lines: number } {
  const text = readUtf8(path)
  const items: NewCorpusItem[] = []
  const envsSeen = new Set<string>()
  const lines = text.split('\n')
  lines.forEach((raw, i) => {
    const where = `${path}, line ${i + 1}`
    if (raw.trim() === '') return
    let data: unknown
    try {
      data = JSON.parse(raw)
    } catch (err) {
      throw new EngineError('bad_request', `${where}: not valid JSON (${(err as Error).message}). Nothing was imported.`)
    }
    const parsed = Line.safeParse(data)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      throw new EngineError('bad_request', `${where}: ${issue.path.join('.') || '(line)'}: ${issue.message}. Nothing was imported.`)
    }
    const { messages, metadata = {} } = parsed.data
    const last = messages[messages.length - 1]!
    const users = messages.filter((m) => m.role === 'user')
    if (last.role !== 'assistant' || last.content.trim() === '') {
      throw new EngineError('bad_request', `${where}: the last message must be a non-empty assistant turn (the target). Nothing was imported.`)
    }
    if (users.length !== 1) {
      throw new EngineError('bad_request', `${where}: expected exactly one user message (the prompt), found ${users.length}. Nothing was imported.`)
    }
    const env = metadata.env ?? opts.env
    if (!env) throw new EngineError('bad_request', `${where}: metadata.env is missing and no environment was given. Nothing was imported.`)
    if (!envsSeen.has(env)) {
      try {
        resolveEnvironment(db, env)
      } catch (err) {
        throw new EngineError('bad_request', `${where}: metadata.env: ${(err as Error).message} Nothing was imported.`)
      }
      envsSeen.add(env)
    }
    const system = messages.find((m) => m.role === 'system')?.content
    items.push({
      kind: metadata.kind ?? 'manual',
      env,
      taskKey: metadata.task ?? null,
      prompt: users[0]!.content,
      target: last.content,
      experience: metadata.experience ?? null,
      failedAction: metadata.failed_action ?? null,
      source: 'import',
      sourceRunId: null,
      sourceNodeId: null,
      branchEventId: null,
      meta: { ...(metadata.meta ?? {}), ...(system ? { system } : {}), importedFrom: path },
    })
  })
  const imported = insertCorpusItems(db, items)
  return { imported, duplicates: items.length - imported, lines: items.length }
}
