import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { writeSyntheticDataset } from '../../fixtures/sft-data.ts'
import { tempDir } from '../../fixtures/tmp.ts'

const leafe = (args: string[]) => spawnSync(process.execPath, ['bin/leafe.js', ...args], { encoding: 'utf8', timeout: 120_000 })

describe('leafe train', () => {
  it('sft trains a checkpoint from JSONL data on the backend --backend names', () => {
    const dir = tempDir()
    const data = writeSyntheticDataset(dir, 120)
    const r = leafe(['train', 'sft', '--data', `${data}:1`, '--model', 'nano', '--epochs', '1', '--batch-size', '32', '--backend', 'cpu', '--json', '--data-dir', dir])
    expect(r.stderr).not.toMatch(/failed/)
    expect(r.status).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out).toMatchObject({ epochs: 1, backend: 'cpu', checkpointId: 1 })
  })

  it('says what was wrong on bad usage', () => {
    expect(leafe(['train', 'nope']).stderr).toMatch(/unknown subcommand "nope"; use base, sft, leafe, grpo or ee/)
    expect(leafe(['train', 'sft', '--data', 'x.jsonl']).stderr).toMatch(/exactly one of --from CHECKPOINT and --model PRESET/)
    expect(leafe(['train', 'base', '--env', 'sokoban', '--model', 'huge']).stderr).toMatch(/--model must be one of nano, micro, micro-256, tiny, small, ref/)
    expect(leafe(['train', 'base', '--env', 'nowhere']).stderr).toMatch(/no environment "nowhere"/)
    const bad = leafe(['status', '--backend', 'tpu', '--data-dir', tempDir()])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/--backend: Unknown TensorFlow.js backend "tpu"/)
  })
})
