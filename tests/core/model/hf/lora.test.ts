import * as tf from '@tensorflow/tfjs-core'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { paddedBatch } from '../../../../src-main/core/model/batch.ts'
import { exportAdapterFiles, exportMerged, importSnapshot, loadHfFolder, saveAdapterCheckpoint } from '../../../../src-main/core/model/hf/checkpoint.ts'
import { FAMILIES, type Family } from '../../../../src-main/core/model/hf/config.ts'
import { hfTargetLoss, nextLogProbs } from '../../../../src-main/core/model/hf/generate.ts'
import { createLora, exportPeft, importPeft, loraParams } from '../../../../src-main/core/model/hf/lora.ts'
import { parseLoraFlag, resolveLora, type LoraSpec } from '../../../../src-main/core/model/hf/lora-settings.ts'
import { disposeHfModel } from '../../../../src-main/core/model/hf/model.ts'
import { parseSafetensors, tensorF32 } from '../../../../src-main/core/model/hf/safetensors.ts'
import { openStore } from '../../../../src-main/core/store/db.ts'
import { reference, torchMissing, writeTinyModel } from '../../../fixtures/hf-models.ts'
import { tempDir } from '../../../fixtures/tmp.ts'
import { useWasm } from '../tf.ts'

beforeAll(async () => {
  await useWasm()
})

// Prompt tokens, then assistant tokens: the loss is on the assistant tokens only.
const EXAMPLES = [
  { ids: [256, 10, 20, 30, 40, 41, 42, 258], target: [false, false, false, false, false, true, true, true] },
  { ids: [256, 5, 6, 7, 99, 258], target: [false, false, false, false, true, true] },
  { ids: [256, 50, 51, 52, 53, 54, 55, 56, 57, 3, 258], target: [false, false, false, false, false, false, false, false, false, true, true] },
]

const TARGETS: Record<Family, string[]> = { gpt2: ['c_attn', 'c_proj'], llama: ['q_proj', 'v_proj', 'down_proj'], qwen2: ['k_proj', 'o_proj', 'up_proj'] }

/** A tiny imported model and an adapter with random (non-zero) A and B, so every gradient is non-trivial. */
function setup(family: Family) {
  const dataDir = tempDir()
  const { db } = openStore(join(dataDir, 'leafe.sqlite'))
  const src = join(tempDir(), 'base')
  writeTinyModel(src, family)
  const row = importSnapshot(db, dataDir, src)
  const loaded = loadHfFolder(row.path)
  const spec: LoraSpec = { r: 4, alpha: 8, dropout: 0, targetModules: TARGETS[family] }
  const lora = createLora(loaded.config, spec, 3)
  let i = 0
  for (const l of lora.layers.values()) tf.tidy(() => l.B.assign(tf.randomNormal(l.B.shape, 0, 0.3, 'float32', ++i)))
  return { dataDir, db, row, loaded, spec, lora }
}

function flatten(x: unknown): number[] {
  return Array.isArray(x) ? x.flatMap(flatten) : [x as number]
}

describe.skipIf(torchMissing !== null)('LoRA against the PyTorch reference', () => {
  for (const family of FAMILIES) {
    it(`${family}: one step's loss on assistant tokens and every adapter gradient equal torch's`, () => {
      const { loaded, spec, lora } = setup(family)
      const adapterDir = join(tempDir(), 'adapter')
      mkdirSync(adapterDir)
      const peft = exportPeft(loaded.config, spec, lora, 'base')
      writeFileSync(join(adapterDir, 'adapter_config.json'), peft.config)
      writeFileSync(join(adapterDir, 'adapter_model.safetensors'), peft.weights)
      const ref = reference<{ loss: number; grads: Record<string, number[][]> }>({ cmd: 'lora', dir: loaded.baseFolder, adapter: adapterDir, examples: EXAMPLES })
      const params = loraParams(lora)
      const batch = paddedBatch(EXAMPLES)
      const { value, grads } = tf.variableGrads(() => hfTargetLoss(loaded.model, batch, lora, true), Object.values(params))
      expect(value.dataSync()[0]).toBeCloseTo(ref.loss, 5)
      expect(Object.keys(ref.grads).length).toBe(2 * lora.layers.size)
      for (const [path, l] of lora.layers) {
        // PEFT's layout: A [r, in], B [out, r]; ours: A [in, r], B [r, out].
        for (const [which, v] of [['A', l.A], ['B', l.B]] as const) {
          const theirs = flatten(ref.grads[`base_model.model.${path}.lora_${which}.weight`])
          const mine = tf.tidy(() => tf.transpose(grads[v.name]!).dataSync())
          expect(mine.length).toBe(theirs.length)
          const scale = Math.max(...theirs.map(Math.abs))
          expect(scale).toBeGreaterThan(1e-4)
          for (let i = 0; i < mine.length; i++) expect(Math.abs(mine[i]! - theirs[i]!)).toBeLessThan(1e-5 + 1e-4 * scale)
        }
      }
      tf.dispose([value, ...Object.values(grads)])
    })
  }
})

describe('PEFT adapters', () => {
  it('round-trips through a checkpoint, the PEFT folder and back, with identical log-probs; the merged export equals base + adapter', () => {
    const { dataDir, db, row, loaded, spec, lora } = setup('qwen2')
    const prompt = [[256, 11, 12, 13, 14]]
    const [withAdapter] = nextLogProbs(loaded.model, prompt, lora)
    const [without] = nextLogProbs(loaded.model, prompt)
    expect(Math.max(...withAdapter!.map((v, i) => Math.abs(v - without![i]!)))).toBeGreaterThan(1e-3) // the adapter changes the model
    const saved = saveAdapterCheckpoint(db, dataDir, loaded, spec, lora, { name: 'adapter', parentId: row.id })
    expect(saved.parentId).toBe(row.id)
    expect(saved.config).toMatchObject({ format: 'hf', lora: spec })
    const back = loadHfFolder(saved.path)
    expect(back.lora!.spec).toEqual(spec)
    const [again] = nextLogProbs(back.model, prompt, back.lora!.lora)
    expect(again).toEqual(withAdapter)

    // The exported folder is what PEFT writes: its file names, tensor names and config fields.
    const out = join(tempDir(), 'peft')
    exportAdapterFiles(back, out)
    const cfg = JSON.parse(readFileSync(join(out, 'adapter_config.json'), 'utf8'))
    expect(cfg).toMatchObject({ peft_type: 'LORA', task_type: 'CAUSAL_LM', r: 4, lora_alpha: 8, target_modules: TARGETS.qwen2, bias: 'none', fan_in_fan_out: false })
    const names = [...parseSafetensors(readFileSync(join(out, 'adapter_model.safetensors')), 'a').entries.keys()].sort()
    expect(names).toContain('base_model.model.model.layers.0.self_attn.k_proj.lora_A.weight')
    expect(names).toContain('base_model.model.model.layers.1.mlp.up_proj.lora_B.weight')
    expect(names.length).toBe(2 * 2 * 3)
    const reread = importPeft(back.config, readFileSync(join(out, 'adapter_config.json'), 'utf8'), readFileSync(join(out, 'adapter_model.safetensors')), out)
    const [third] = nextLogProbs(back.model, prompt, reread.lora)
    expect(third).toEqual(withAdapter)

    // Merged: base weights + scale·B·A, a plain HF snapshot that imports as a base model.
    const merged = join(tempDir(), 'merged')
    exportMerged(back, merged)
    const m2 = importSnapshot(db, dataDir, merged, { name: 'merged' })
    const mergedModel = loadHfFolder(m2.path)
    const [fromMerged] = nextLogProbs(mergedModel.model, prompt)
    expect(Math.max(...fromMerged!.map((v, i) => Math.abs(v - withAdapter![i]!)))).toBeLessThan(1e-4)
    const w = tensorF32(parseSafetensors(readFileSync(join(merged, 'model.safetensors')), 'm'), 'model.layers.0.self_attn.o_proj.weight')
    expect(w.length).toBe(16 * 16)
    for (const m of [loaded, back, mergedModel]) disposeHfModel(m.model)
    db.close()
  })

  it('refuses an adapter for other layers, shapes or methods in one line', () => {
    const { loaded, spec, lora } = setup('llama')
    const peft = exportPeft(loaded.config, spec, lora, 'base')
    const cfg = JSON.parse(peft.config)
    expect(() => importPeft(loaded.config, JSON.stringify({ ...cfg, peft_type: 'IA3' }), peft.weights, 'x')).toThrow(/peft_type IA3 is not supported/)
    expect(() => importPeft(loaded.config, JSON.stringify({ ...cfg, r: 8 }), peft.weights, 'x')).toThrow(/has shape \[4, 16\], this model needs \[8, 16\]/)
    expect(() => importPeft(loaded.config, JSON.stringify({ ...cfg, target_modules: ['q_proj'] }), peft.weights, 'x')).toThrow(/belongs to no targeted layer/)
    expect(() => importPeft(loaded.config, JSON.stringify({ ...cfg, target_modules: ['c_attn'] }), peft.weights, 'x')).toThrow(/match no linear layer/)
  })

  it('reads the --lora flag', () => {
    expect(resolveLora(parseLoraFlag('r=16,alpha=32'), 'llama')).toEqual({ r: 16, alpha: 32, dropout: 0, targetModules: ['q_proj', 'v_proj'] })
    expect(resolveLora(parseLoraFlag('r=4,alpha=8,dropout=0.1,targets=c_attn+c_fc'), 'gpt2')).toEqual({ r: 4, alpha: 8, dropout: 0.1, targetModules: ['c_attn', 'c_fc'] })
    expect(() => parseLoraFlag('r=0')).toThrow(/cannot read "r=0"/)
  })
})
