// Stage 2's input: the ACCEPTED corpus as (prompt, target) files in the compact form the local
// model is trained on — D_cf (and manual corrections) in one file, D_reh in another, so the SFT
// trainer can weight them (L = L_cf + β·L_reh). The experience text is never part of either.
import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { getEnvironment } from '../envs/registry.ts'
import type { Environment } from '../envs/types.ts'
import type { DB } from '../store/db.ts'
import { targetProblemWithoutState } from './target-check.ts'

export type Stage2Files = {
  cf: { path: string; count: number }
  reh: { path: string; count: number }
  /** Accepted items that cannot train the local model (no compact prompt, e.g. imported chat data). */
  skipped: number
  /** Accepted items whose target the environment does not accept (target-check.ts): never trained on. */
  invalidTargets: number
}

type Row = { kind: string; env: string; prompt: string; target: string; edited_target: string | null; meta: string }

/** The compact target for an item's effective (possibly edited, readable) target. */
export function compactTarget(env: Environment, readableTarget: string): string {
  return env.renderer.formatAction(env.renderer.parseAction(readableTarget, 'readable'), 'compact')
}

/**
 * `form: 'readable'` writes what an imported Hugging Face model trains on instead: the readable
 * prompt, its system message and the readable target (its chat template is applied when encoding).
 */
export function writeStage2Data(db: DB, dir: string, filter: { env?: string; runs?: number[] } = {}, form: 'compact' | 'readable' = 'compact'): Stage2Files {
  mkdirSync(dir, { recursive: true })
  const files = { cf: join(dir, 'cf.jsonl'), reh: join(dir, 'reh.jsonl') }
  const fds = { cf: openSync(`${files.cf}.tmp`, 'w'), reh: openSync(`${files.reh}.tmp`, 'w') }
  const counts = { cf: 0, reh: 0 }
  let skipped = 0
  let invalidTargets = 0
  const envs = new Map<string, Environment>()
  try {
    const where = ["status = 'accepted'"]
    const args: unknown[] = []
    if (filter.env) (where.push('env = ?'), args.push(filter.env))
    if (filter.runs?.length) (where.push(`source_run_id IN (${filter.runs.map(() => '?').join(',')})`), args.push(...filter.runs))
    const sql = `SELECT kind, env, prompt, target, edited_target, meta FROM corpus_items WHERE ${where.join(' AND ')} ORDER BY id`
    for (const r of db.prepare(sql).iterate(...args) as Iterable<Row>) {
      const which = r.kind === 'reh' ? 'reh' : 'cf'
      if (form === 'readable') {
        const system = (JSON.parse(r.meta) as { system?: unknown }).system
        writeSync(fds[which], JSON.stringify({ ...(typeof system === 'string' ? { system } : {}), prompt: r.prompt, target: r.edited_target ?? r.target }) + '\n')
        counts[which]++
        continue
      }
      const compact = (JSON.parse(r.meta) as { compact?: { prompt?: string } }).compact
      if (typeof compact?.prompt !== 'string') {
        skipped++
        continue
      }
      if (targetProblemWithoutState(r.env, r.edited_target ?? r.target)) {
        invalidTargets++
        continue
      }
      let env = envs.get(r.env)
      if (!env) envs.set(r.env, (env = getEnvironment(r.env)))
      writeSync(fds[which], JSON.stringify({ prompt: compact.prompt, target: compactTarget(env, r.edited_target ?? r.target) }) + '\n')
      counts[which]++
    }
  } finally {
    closeSync(fds.cf)
    closeSync(fds.reh)
  }
  renameSync(`${files.cf}.tmp`, files.cf)
  renameSync(`${files.reh}.tmp`, files.reh)
  return { cf: { path: files.cf, count: counts.cf }, reh: { path: files.reh, count: counts.reh }, skipped, invalidTargets }
}
