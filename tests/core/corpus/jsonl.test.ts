import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { insertCorpusItems, type NewCorpusItem } from '../../../src-main/core/corpus/curation.ts'
import { exportCorpus, importCorpus } from '../../../src-main/core/corpus/jsonl.ts'
import { openStore } from '../../../src-main/core/store/db.ts'
import { tempDir } from '../../fixtures/tmp.ts'

const item = (i: number, kind: NewCorpusItem['kind'] = 'cf'): NewCorpusItem => ({
  kind, env: 'sokoban', taskKey: `t${i}`, prompt: `state ${i}`, target: 'up', experience: `e ${i}: push it up`, failedAction: 'left',
  source: 'critic', sourceRunId: null, sourceNodeId: null, branchEventId: null, meta: { system: 'You play Sokoban.', compact: { prompt: `s${i}`, target: 'u' } },
})

describe('corpus JSONL', () => {
  it('exports accepted items in chat form with the experience only in metadata, and imports them back', () => {
    const { db } = openStore(':memory:')
    insertCorpusItems(db, [item(1), item(2), item(3, 'reh'), item(4), item(5)])
    db.prepare(`UPDATE corpus_items SET status = 'accepted' WHERE task_key != 't5'`).run()
    db.prepare(`UPDATE corpus_items SET edited_target = 'down' WHERE task_key = 't2'`).run()
    db.prepare(`UPDATE corpus_items SET status = 'rejected' WHERE task_key = 't3'`).run()
    // Written before targets were checked: Sokoban has no action "fly north", so it is never exported.
    db.prepare(`UPDATE corpus_items SET edited_target = 'fly north' WHERE task_key = 't4'`).run()
    const file = join(tempDir(), 'out.jsonl')
    // t3 is rejected and t5 pending: both of another status, and said so.
    expect(exportCorpus(db, file)).toEqual({ written: 2, otherStatus: 2, invalidTargets: 1 })
    expect(exportCorpus(db, join(tempDir(), 'cf.jsonl'), { status: 'any', kind: 'reh' })).toEqual({ written: 1, otherStatus: 0, invalidTargets: 0 })
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(lines[0].messages).toEqual([
      { role: 'system', content: 'You play Sokoban.' },
      { role: 'user', content: 'state 1' },
      { role: 'assistant', content: 'up' },
    ])
    expect(lines[1].messages[2].content).toBe('down')
    expect(lines[1].metadata).toMatchObject({ original_target: 'up', experience: 'e 2: push it up', failed_action: 'left' })
    for (const l of lines) for (const m of l.messages) expect(m.content).not.toContain('push it up')

    const { db: db2 } = openStore(':memory:')
    expect(importCorpus(db2, file)).toEqual({ imported: 2, duplicates: 0, lines: 2 })
    expect(importCorpus(db2, file)).toEqual({ imported: 0, duplicates: 2, lines: 2 })
    const back = db2.prepare('SELECT kind, prompt, target, status, experience, meta FROM corpus_items ORDER BY id').all() as { meta: string }[]
    expect(back[1]).toMatchObject({ kind: 'cf', prompt: 'state 2', target: 'down', status: 'pending', experience: 'e 2: push it up' })
    expect(JSON.parse(back[1]!.meta)).toMatchObject({ system: 'You play Sokoban.', compact: { target: 'u' } })
  })

  it.each([
    ['not JSON', '{"messages": [', /line 2: not valid JSON/],
    ['no assistant turn', JSON.stringify({ messages: [{ role: 'user', content: 'x' }, { role: 'user', content: 'y' }], metadata: { env: 'e' } }), /line 2: the last message must be a non-empty assistant turn/],
    ['a wrong role', JSON.stringify({ messages: [{ role: 'robot', content: 'x' }, { role: 'assistant', content: 'y' }] }), /line 2: messages\.0\.role: /],
    ['no environment', JSON.stringify({ messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: 'y' }] }), /line 2: metadata.env is missing/],
    ['an unknown environment', JSON.stringify({ messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: 'y' }], metadata: { env: 'nosuchenv' } }), /line 2: metadata\.env: There is no environment "nosuchenv"/],
    ['a 2 MB prompt', JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(2_000_000) }, { role: 'assistant', content: 'y' }], metadata: { env: 'sokoban' } }), /line 2: messages\.0\.content: longer than 1,000,000 characters/],
  ])('imports nothing of a file with a bad line (%s) and names the line', (_what, bad, message) => {
    const { db } = openStore(':memory:')
    const good = JSON.stringify({ messages: [{ role: 'user', content: 'p' }, { role: 'assistant', content: 'up' }], metadata: { env: 'sokoban' } })
    const file = join(tempDir(), 'in.jsonl')
    writeFileSync(file, [good, bad, good.replace('"p"', '"q"')].join('\n') + '\n')
    expect(() => importCorpus(db, file)).toThrow(message)
    expect(() => importCorpus(db, file)).toThrow(/Nothing was imported/)
    expect((db.prepare('SELECT COUNT(*) AS n FROM corpus_items').get() as { n: number }).n).toBe(0)
  })

  it('refuses bytes that are not UTF-8 rather than replacing them, and names the line', () => {
    const { db } = openStore(':memory:')
    const good = JSON.stringify({ messages: [{ role: 'user', content: 'p' }, { role: 'assistant', content: 'up' }], metadata: { env: 'sokoban' } })
    const file = join(tempDir(), 'latin1.jsonl')
    writeFileSync(file, Buffer.concat([Buffer.from(good + '\n' + good.replace('"p"', '"caf')), Buffer.from([0xe9]), Buffer.from('"') , Buffer.from(good.slice(good.indexOf(',')) + '\n')]))
    expect(() => importCorpus(db, file)).toThrow(/latin1\.jsonl, line 2: not valid UTF-8\. Nothing was imported\./)
    expect((db.prepare('SELECT COUNT(*) AS n FROM corpus_items').get() as { n: number }).n).toBe(0)
  })

  it('imports a big file in chunks (the write lock is free between them) and takes committed chunks back on a failure', () => {
    const dir = tempDir()
    const { db } = openStore(join(dir, 'a.sqlite'))
    const { db: other } = openStore(join(dir, 'a.sqlite'), { migrate: false, check: false })
    const lines = Array.from({ length: 5_000 }, (_, i) => JSON.stringify({ messages: [{ role: 'user', content: `p${i}` }, { role: 'assistant', content: 'up' }], metadata: { env: 'sokoban' } }))
    const file = join(dir, 'big.jsonl')
    writeFileSync(file, lines.join('\n') + '\n')
    // Another connection's data_version moves each time the import commits; seen from inside the
    // import every 1,000 items, one transaction would show one version, chunks several.
    const versions = new Set<number>()
    db.function('seen_version', () => {
      versions.add(other.pragma('data_version', { simple: true }) as number)
      return 0
    })
    db.exec(`CREATE TEMP TRIGGER watch BEFORE INSERT ON main.corpus_items WHEN NEW.prompt GLOB 'p*000' BEGIN SELECT seen_version(); END`)
    expect(importCorpus(db, file)).toMatchObject({ imported: 5_000 })
    expect(versions.size).toBeGreaterThanOrEqual(2)
    db.exec(`DROP TRIGGER watch`)

    db.exec(`DELETE FROM corpus_items`)
    db.exec(`CREATE TEMP TRIGGER fail_late BEFORE INSERT ON main.corpus_items WHEN NEW.prompt = 'p4500' BEGIN SELECT RAISE(ABORT, 'disk gone'); END`)
    expect(() => importCorpus(db, file)).toThrow(/disk gone/)
    expect((db.prepare('SELECT COUNT(*) AS n FROM corpus_items').get() as { n: number }).n).toBe(0)
  })
})
