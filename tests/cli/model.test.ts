import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { hubStandIn } from '../fixtures/hub-standin.ts'
import { reference, torchMissing, writeTinyModel } from '../fixtures/hf-models.ts'
import { tempDir } from '../fixtures/tmp.ts'
import { openStore } from '../../src-main/core/store/db.ts'

const leafeAsync = (args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
    const p = spawn(process.execPath, ['bin/leafe.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    p.stdout.on('data', (d) => (stdout += d))
    p.stderr.on('data', (d) => (stderr += d))
    p.on('close', (status) => done({ status, stdout, stderr }))
  })

const leafe = (args: string[]) => spawnSync(process.execPath, ['bin/leafe.js', ...args, '--backend', 'wasm'], { encoding: 'utf8', timeout: 120_000 })

function imported(family: 'gpt2' | 'llama' | 'qwen2') {
  const src = join(tempDir(), `${family}-tiny`)
  writeTinyModel(src, family)
  const data = tempDir()
  const r = leafe(['model', 'import', src, '--name', `tiny ${family}`, '--json', '--data-dir', data])
  expect(r.stderr).toBe('')
  expect(r.status).toBe(0)
  return { src, data, id: JSON.parse(r.stdout).id as number }
}

describe('leafe model', () => {
  it('imports, lists, and refuses a broken folder with one line and exit 1, storing nothing', () => {
    const { data, id } = imported('llama')
    expect(leafe(['model', 'list', '--data-dir', data]).stdout).toMatch(new RegExp(`${id}  tiny llama  llama, 8.3k parameters, F32, 2 layers × 16, vocabulary 272, chat template`))
    const empty = join(tempDir(), 'empty')
    const bad = leafe(['model', 'import', empty, '--data-dir', data])
    expect(bad.status).toBe(1)
    expect(bad.stderr.trim().split('\n')).toEqual([`leafe model: ${empty}: no such folder.`])
    expect(readdirSync(join(data, 'checkpoints')).length).toBe(1)
  })

  it('score --text tokenises through the model\'s tokenizer: the same as --ids of those tokens', () => {
    const { data, id } = imported('gpt2')
    const byText = JSON.parse(leafe(['model', 'score', String(id), '--text', 'the theme', '--top', '5', '--json', '--data-dir', data]).stdout)
    // ByteLevel BPE with the fixture's merges: "the" → t + he, " theme" → Ġthe + m + e.
    expect(byText.ids).toEqual([116, 260, 261, 109, 101])
    const byIds = JSON.parse(leafe(['model', 'score', String(id), '--ids', byText.ids.join(','), '--top', '5', '--json', '--data-dir', data]).stdout)
    expect(byIds.top).toEqual(byText.top)
  })

  it.skipIf(torchMissing !== null)('score --json and generate --greedy agree with the PyTorch reference', () => {
    const { src, data, id } = imported('qwen2')
    const ids = [256, 3, 141, 59, 26]
    const out = JSON.parse(leafe(['model', 'score', String(id), '--ids', ids.join(','), '--top', '20', '--json', '--data-dir', data]).stdout)
    const logits = reference<{ logits: number[][][] }>({ cmd: 'forward', dir: src, ids: [ids] }).logits[0]!.at(-1)!
    const max = Math.max(...logits)
    const lse = max + Math.log(logits.reduce((s, v) => s + Math.exp(v - max), 0))
    const expected = logits.map((v, i) => ({ id: i, logprob: v - lse })).sort((a, b) => b.logprob - a.logprob).slice(0, 20)
    expect(out.top.map((t: { id: number }) => t.id)).toEqual(expected.map((t) => t.id))
    out.top.forEach((t: { logprob: number }, i: number) => expect(Math.abs(t.logprob - expected[i]!.logprob)).toBeLessThan(1e-4))

    const gen = JSON.parse(leafe(['model', 'generate', String(id), '--prompt', 'hi there', '--chat', '--max-tokens', '6', '--greedy', '--json', '--data-dir', data]).stdout)
    expect(gen.promptIds.length).toBeGreaterThan(4) // the chat template's turn markers are special tokens
    expect(gen.promptIds).toContain(257) // <|im_start|>
    const ref = reference<{ tokens: number[] }>({ cmd: 'greedy', dir: src, ids: gen.promptIds, n: 6 })
    const stopAt = ref.tokens.indexOf(258) // <|im_end|> ends the reply
    expect(gen.ids).toEqual(stopAt < 0 ? ref.tokens : ref.tokens.slice(0, stopAt))
  })

  it('exports a merged snapshot that imports again', () => {
    const { data, id } = imported('gpt2')
    const out = join(tempDir(), 'merged')
    expect(leafe(['model', 'export', String(id), '--merged', out, '--data-dir', data]).status).toBe(0)
    expect(existsSync(join(out, 'model.safetensors'))).toBe(true)
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).architectures).toEqual(['GPT2LMHeadModel'])
    expect(leafe(['model', 'import', out, '--data-dir', data]).status).toBe(0)
    expect(leafe(['model', 'export', String(id), '--adapter', out, '--data-dir', data]).stderr).toMatch(/holds no adapter to export/)
  })

  it('train sft --lora trains an adapter on an imported model in a job thread', () => {
    const { data, id } = imported('llama')
    const file = join(tempDir(), 'pairs.jsonl')
    writeFileSync(file, Array.from({ length: 24 }, (_, i) => JSON.stringify({ system: 'Answer.', prompt: `question ${i % 3}`, target: ['yes', 'no', 'maybe'][i % 3] })).join('\n'))
    const r = leafe(['train', 'sft', '--data', file, '--from', String(id), '--lora', 'r=2,alpha=4', '--epochs', '2', '--batch-size', '8', '--micro-batch', '3', '--lr', '0.01', '--json', '--data-dir', data])
    expect(r.status).toBe(0)
    const result = JSON.parse(r.stdout)
    expect(result).toMatchObject({ epochs: 2, steps: 6, backend: 'wasm' }) // microbatches of 3 make no extra steps
    const run = JSON.parse((openStore(join(data, 'leafe.sqlite')).db.prepare('SELECT config FROM runs WHERE id = ?').get(result.runId) as { config: string }).config)
    expect(run).toMatchObject({ batchSize: 8, microBatch: 3, lora: { r: 2, alpha: 4 } })
    const list = leafe(['model', 'list', '--data-dir', data]).stdout
    expect(list).toMatch(new RegExp(`${result.checkpointId}  sft · epoch 2  llama, .*LoRA r=2 α=4  \\(parent ${result.checkpointId - 1}\\)`))
  })

  // Each refusal is a CLI process of its own, so they get their own test and time.
  it('train refuses a bad --lora for every stage, LoRA on a byte-level start and a bad --train-threads, before any job', () => {
    const { data, id } = imported('llama')
    const file = join(tempDir(), 'pairs.jsonl')
    writeFileSync(file, JSON.stringify({ prompt: 'question', target: 'yes' }))
    expect(leafe(['train', 'sft', '--data', file, '--from', String(id), '--lora', 'r=two', '--data-dir', data]).stderr).toMatch(/--lora: cannot read "r=two"/)
    expect(leafe(['train', 'sft', '--data', file, '--model', 'nano', '--lora', 'r=2,alpha=4', '--epochs', '1', '--data-dir', data]).stderr).toMatch(/LoRA needs an imported Hugging Face model/)
    for (const stage of ['grpo', 'ee', 'leafe']) expect(leafe(['train', stage, '--from', String(id), '--env', 'sokoban', '--lora', 'r=two', '--data-dir', data]).stderr).toMatch(/--lora: cannot read "r=two"/)
    expect(leafe(['train', 'sft', '--data', file, '--model', 'nano', '--train-threads', '0', '--data-dir', data]).stderr).toMatch(/--train-threads must be a whole number from 1 to 64 \(got "0"\)/)
    expect(leafe(['train', 'grpo', '--from', String(id), '--env', 'sokoban', '--train-threads', 'two', '--data-dir', data]).stderr).toMatch(/--train-threads must be a whole number from 1 to 64 \(got "two"\)/)
  })

  it('pull downloads from a Hub (here a loopback stand-in) with a progress line and imports', async () => {
    const src = join(tempDir(), 'src')
    writeTinyModel(src, 'gpt2')
    const hub = await hubStandIn('tiny/gpt2', 'v1', src)
    try {
      const data = tempDir()
      // spawn, not spawnSync: the stand-in answers from this process's event loop.
      const r = await leafeAsync(['model', 'pull', 'tiny/gpt2@v1', '--hub-url', hub.url, '--data-dir', data])
      expect(r.stderr).toMatch(/pull tiny\/gpt2@v1 downloaded to .*tiny--gpt2@v1/)
      expect(r.status).toBe(0)
      expect(r.stdout).toMatch(/checkpoint 1 "tiny\/gpt2@v1": gpt2, /)
    } finally {
      await hub.close()
    }
  })
})
