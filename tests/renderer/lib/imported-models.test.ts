import { describe, expect, it } from 'vitest'
import type { CheckpointInfo } from '../../../src-main/api/contract-training.ts'
import { formatParameters, importedModels, loraConfig } from '../../../src-renderer/src/lib/imported-models.ts'

const row = (id: number, config: unknown, parentId: number | null = null): CheckpointInfo => ({
  id, name: `c${id}`, kind: 'local', parentId, lineage: [], runId: null, runKind: null, runName: null, path: `checkpoints/c${id}`, config, createdAt: '2026-12-02T00:00:00Z',
})

describe('importedModels', () => {
  it('lists imported models and their adapters, and leaves byte-level and served checkpoints out', () => {
    const base = { format: 'hf', family: 'llama', params: 134_515_008, dtype: 'BF16', hidden: 576, layers: 30, vocab: 49152, chatTemplate: true }
    const list = importedModels([
      row(3, { ...base, lora: { r: 16, alpha: 32, dropout: 0, targetModules: ['q_proj', 'v_proj'] } }, 2),
      row(2, base),
      row(1, { vocabSize: 260, dModel: 64 }),
    ])
    expect(list).toEqual([
      { id: 3, name: 'c3', family: 'llama', parameters: '134.5M', dtype: 'BF16', tokenizer: 'vocabulary 49152, chat template', adapter: 'LoRA r=16, α=32 on q_proj, v_proj', parentId: 2 },
      { id: 2, name: 'c2', family: 'llama', parameters: '134.5M', dtype: 'BF16', tokenizer: 'vocabulary 49152, chat template', adapter: null, parentId: null },
    ])
  })
  it('formats parameter counts', () => {
    expect([formatParameters(8272), formatParameters(124_439_808), formatParameters(494_032_768), formatParameters(1.5e9)]).toEqual(['8.3k', '124.4M', '494.0M', '1.5B'])
  })
  it('turns the LoRA fields into a config, blank targets meaning the family default', () => {
    expect(loraConfig({ r: 16, alpha: 32, dropout: 0.05, targets: '' })).toEqual({ r: 16, alpha: 32, dropout: 0.05 })
    expect(loraConfig({ r: 8, alpha: 16, dropout: 0, targets: ' q_proj, v_proj  down_proj' })).toEqual({ r: 8, alpha: 16, dropout: 0, targetModules: ['q_proj', 'v_proj', 'down_proj'] })
  })
})
