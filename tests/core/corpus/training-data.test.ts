import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { insertCorpusItems, type NewCorpusItem } from '../../../src-main/core/corpus/curation.ts'
import { writeStage2Data } from '../../../src-main/core/corpus/training-data.ts'
import { registerEnvironment } from '../../../src-main/core/envs/registry.ts'
import { openStore } from '../../../src-main/core/store/db.ts'
import { corridorEnv } from '../../fixtures/corridor-env.ts'
import { tempDir } from '../../fixtures/tmp.ts'

registerEnvironment(corridorEnv({ length: 3, trapAt: 1, stepLimit: 5 }))

const item = (i: number, kind: NewCorpusItem['kind'], compact = true): NewCorpusItem => ({
  kind, env: 'corridor', taskKey: `t${i}`, prompt: `Reach the end (t${i})\ncell ${i}`, target: 'go a', experience: 'SECRET EXPERIENCE', failedAction: 'b',
  source: 'critic', sourceRunId: null, sourceNodeId: null, branchEventId: null, meta: compact ? { compact: { prompt: `cell ${i}`, target: 'a' } } : {},
})

describe('Stage-2 training files', () => {
  it('writes accepted items in compact form, edited targets applied, experience never included', () => {
    const { db } = openStore(':memory:')
    insertCorpusItems(db, [item(1, 'cf'), item(2, 'cf'), item(3, 'reh'), item(4, 'manual'), item(5, 'cf', false), item(6, 'cf'), item(7, 'cf')])
    db.prepare(`UPDATE corpus_items SET status = 'accepted' WHERE task_key != 't6'`).run()
    db.prepare(`UPDATE corpus_items SET edited_target = 'go b' WHERE task_key = 't2'`).run()
    // An edit stored before targets were checked: the corridor has no action "jump".
    db.prepare(`UPDATE corpus_items SET edited_target = 'jump' WHERE task_key = 't7'`).run()
    const out = writeStage2Data(db, tempDir())
    expect(out.cf.count).toBe(3) // t1, t2, manual t4; t5 has no compact form; t6 is not accepted
    expect(out.reh.count).toBe(1)
    expect(out.skipped).toBe(1)
    expect(out.invalidTargets).toBe(1)
    const cf = readFileSync(out.cf.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(cf).toEqual([
      { prompt: 'cell 1', target: 'a' },
      { prompt: 'cell 2', target: 'b' },
      { prompt: 'cell 4', target: 'a' },
    ])
    expect(readFileSync(out.cf.path, 'utf8') + readFileSync(out.reh.path, 'utf8')).not.toContain('SECRET')
  })
})
