import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { importSnapshot, isHfConfig, loadHfFolder } from '../../../../src-main/core/model/hf/checkpoint.ts'
import { nextLogProbs } from '../../../../src-main/core/model/hf/generate.ts'
import { disposeHfModel } from '../../../../src-main/core/model/hf/model.ts'
import { encodeSafetensors, parseSafetensors } from '../../../../src-main/core/model/hf/safetensors.ts'
import { openStore } from '../../../../src-main/core/store/db.ts'
import { writeTinyModel } from '../../../fixtures/hf-models.ts'
import { tempDir } from '../../../fixtures/tmp.ts'
import { useWasm } from '../tf.ts'

beforeAll(async () => {
  await useWasm()
})

function setup() {
  const dataDir = tempDir()
  const { db } = openStore(join(dataDir, 'leafe.sqlite'))
  return { dataDir, db }
}

describe('leafe model import', () => {
  it('stores a sharded bf16 snapshot as a checkpoint whose folder is a verified HF snapshot', () => {
    const { dataDir, db } = setup()
    const src = join(tempDir(), 'SmolLM-tiny')
    writeTinyModel(src, 'llama', { dtype: 'BF16', sharded: true })
    const row = importSnapshot(db, dataDir, src)
    expect(row.name).toBe('SmolLM-tiny')
    expect(isHfConfig(row.config)).toBe(true)
    expect(row.config).toMatchObject({ format: 'hf', family: 'llama', dtype: 'BF16', chatTemplate: true, layers: 2 })
    expect(readdirSync(row.path).sort()).toEqual(['config.json', 'generation_config.json', 'leafe-hf.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'])
    expect(readdirSync(join(dataDir, 'checkpoints')).filter((n) => n.includes('.tmp-'))).toEqual([])
    // One merged file, dtypes as they came.
    const merged = parseSafetensors(readFileSync(join(row.path, 'model.safetensors')), 'merged')
    expect([...merged.entries.values()].every((e) => e.dtype === 'BF16')).toBe(true)
    const loaded = loadHfFolder(row.path)
    const [lp] = nextLogProbs(loaded.model, [[256, 1, 2, 3]])
    expect(lp!.reduce((s, v) => s + Math.exp(v), 0)).toBeCloseTo(1, 4)
    disposeHfModel(loaded.model)
    // A file changed after the import is refused on load.
    const tok = join(row.path, 'tokenizer.json')
    writeFileSync(tok, readFileSync(tok, 'utf8').replace('"BPE"', '"BPE" '))
    expect(() => loadHfFolder(row.path)).toThrow(/tokenizer\.json is corrupt/)
    db.close()
  })

  const broken: [string, (dir: string) => void, RegExp][] = [
    ['an unsupported architecture', (d) => writeFileSync(join(d, 'config.json'), JSON.stringify({ architectures: ['MistralForCausalLM'], model_type: 'mistral' })), /unsupported architecture MistralForCausalLM/],
    ['a missing tokenizer', (d) => rmSync(join(d, 'tokenizer.json')), /tokenizer\.json: missing file/],
    ['missing weights', (d) => rmSync(join(d, 'model.safetensors')), /missing file model\.safetensors/],
    ['a corrupt header', (d) => writeFileSync(join(d, 'model.safetensors'), Buffer.concat([Buffer.from([40, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{"a": {"dtype": "F32", "shape": [2], "data_off')])), /corrupt safetensors header/],
    ['a missing tensor', (d) => rewrite(d, (t) => t.delete('model.norm.weight')), /missing tensor model\.norm\.weight/],
    ['a tensor of the wrong shape', (d) => rewrite(d, (t) => t.set('model.layers.1.mlp.up_proj.weight', { dtype: 'F32', shape: [24, 15], bytes: new Uint8Array(24 * 15 * 4) })), /up_proj\.weight has shape \[24, 15\]; config\.json implies \[24, 16\]/],
    ['an int8 (quantised) tensor', (d) => rewrite(d, (t) => t.set('model.norm.weight', { dtype: 'I8' as 'F32', shape: [16], bytes: new Uint8Array(16) })), /dtype I8; only F32, F16 and BF16/],
    ['a rope_scaling config', (d) => writeFileSync(join(d, 'config.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(d, 'config.json'), 'utf8')), rope_scaling: { type: 'linear', factor: 2 } })), /rope_scaling is not supported/],
  ]
  for (const [what, breakIt, reason] of broken) {
    it(`refuses ${what} in one line and stores nothing`, () => {
      const { dataDir, db } = setup()
      const src = join(tempDir(), 'm')
      writeTinyModel(src, 'llama')
      breakIt(src)
      let message = ''
      try {
        importSnapshot(db, dataDir, src)
      } catch (err) {
        message = (err as Error).message
      }
      expect(message).toMatch(reason)
      expect(message).not.toContain('\n')
      expect((db.prepare('SELECT COUNT(*) AS n FROM checkpoints').get() as { n: number }).n).toBe(0)
      expect(existsSync(join(dataDir, 'checkpoints')) ? readdirSync(join(dataDir, 'checkpoints')) : []).toEqual([])
      db.close()
    })
  }
})

type Tensors = Map<string, { dtype: 'F32'; shape: number[]; bytes: Uint8Array }>

function rewrite(dir: string, change: (t: Tensors) => void): void {
  const f = parseSafetensors(readFileSync(join(dir, 'model.safetensors')), 'x')
  const t: Tensors = new Map([...f.entries].map(([n, e]) => [n, { dtype: 'F32', shape: e.shape, bytes: f.data.slice(e.begin, e.end) }]))
  change(t)
  writeFileSync(join(dir, 'model.safetensors'), encodeSafetensors(t))
}

describe('imported checkpoints elsewhere', () => {
  it('are refused by name where only the byte-level model can go (GRPO, Early Experience)', async () => {
    const { loadCheckpoint } = await import('../../../../src-main/core/model/checkpoint.ts')
    const { dataDir, db } = setup()
    const src = join(tempDir(), 'm')
    writeTinyModel(src, 'gpt2')
    const row = importSnapshot(db, dataDir, src)
    expect(() => loadCheckpoint(db, dataDir, row.id)).toThrow(`Checkpoint ${row.id} (m) is an imported Hugging Face model: only sft and LEAFE Stage 2 (LoRA) train it so far, not this.`)
    db.close()
  })
})
