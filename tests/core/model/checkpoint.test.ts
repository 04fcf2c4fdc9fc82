import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { CheckpointError, loadCheckpoint, readCheckpoint, saveCheckpoint, writeCheckpoint } from '../../../src-main/core/model/checkpoint.ts'
import { createModel, exportWeights, presets } from '../../../src-main/core/model/transformer.ts'
import { openStore } from '../../../src-main/core/store/db.ts'
import { tempDir } from '../../fixtures/tmp.ts'
import { useWasm } from './tf.ts'

beforeAll(async () => {
  await useWasm()
})

const config = { ...presets.nano, dModel: 16, nLayers: 1, nHeads: 2, contextLength: 16 }

describe('checkpoints', () => {
  it('round-trips weights, optimizer state and metadata, and records lineage', () => {
    const dataDir = tempDir()
    const { db } = openStore(join(dataDir, 'leafe.sqlite'))
    const weights = exportWeights(createModel(config, 1))
    const slots = Float32Array.from({ length: 10 }, (_, i) => i / 7)
    const a = saveCheckpoint(db, dataDir, { config, weights, meta: { epoch: 1 } }, { name: 'base' })
    const b = saveCheckpoint(db, dataDir, { config, weights, optimizer: { step: 3, names: ['x'], slots }, meta: { epoch: 2 } }, { name: 'child', parentId: a.id })
    expect(b.parentId).toBe(a.id)
    expect(b.contentHash).toBe(a.contentHash) // same weights and configuration, same content
    const back = loadCheckpoint(db, dataDir, b.id)
    expect(back.weights).toEqual(weights)
    expect(back.optimizer).toEqual({ step: 3, names: ['x'], slots })
    expect(back.meta).toEqual({ epoch: 2 })
    // Written atomically: no temp folder is left behind.
    expect(readdirSync(join(dataDir, 'checkpoints')).filter((n) => n.includes('.tmp-'))).toEqual([])
    db.close()
  })

  it('refuses a corrupted checkpoint with a message naming the file', () => {
    const dir = join(tempDir(), 'ck')
    writeCheckpoint(dir, { config, weights: exportWeights(createModel(config, 2)), meta: {} })
    const file = join(dir, 'weights.bin')
    const bytes = readFileSync(file)
    bytes[100] = bytes[100]! ^ 0xff
    writeFileSync(file, bytes)
    expect(() => readCheckpoint(dir)).toThrow(CheckpointError)
    expect(() => readCheckpoint(dir)).toThrow(`Checkpoint file ${file} is corrupt: its SHA-256 is`)
    writeFileSync(file, bytes.subarray(0, 64))
    expect(() => readCheckpoint(dir)).toThrow(`Checkpoint file ${file} is corrupt: it has 64 bytes`)
    writeFileSync(join(dir, 'model.json'), '{ not json')
    expect(() => readCheckpoint(dir)).toThrow(`Checkpoint file ${join(dir, 'model.json')} cannot be read`)
  })

  it('refuses files that are not the ones the table recorded', () => {
    const dataDir = tempDir()
    const { db } = openStore(join(dataDir, 'leafe.sqlite'))
    const row = saveCheckpoint(db, dataDir, { config, weights: exportWeights(createModel(config, 3)), meta: {} }, { name: 'x' })
    db.prepare('UPDATE checkpoints SET content_hash = ? WHERE id = ?').run('0'.repeat(64), row.id)
    expect(() => loadCheckpoint(db, dataDir, row.id)).toThrow(`the files in ${row.path} are not the ones recorded`)
    expect(() => loadCheckpoint(db, dataDir, 999)).toThrow(/Checkpoint 999 was not found/)
    db.close()
  })
})
