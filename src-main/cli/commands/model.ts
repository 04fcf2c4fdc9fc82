import { join, resolve } from 'node:path'
import { listCheckpoints } from '../../core/store/checkpoints.ts'
import { intFlag, numberFlag, parse, UsageError } from '../args.ts'
import type { Command } from '../command.ts'
import { openEngine } from '../engine.ts'

// `leafe model`: imported Hugging Face models — import a snapshot folder or a PEFT adapter,
// list them, score next tokens, generate, export the adapter or a merged model. TF.js and the
// model code load only for the verbs that compute.

export const modelCommand: Command = {
  name: 'model',
  summary: 'Hugging Face models (GPT-2, Llama/SmolLM/TinyLlama, Qwen2): import, list, score, generate, export adapters for PEFT and vLLM.',
  usage: [
    'import DIR [--name N] [--json]               a local snapshot folder (config.json, model.safetensors or a sharded index, tokenizer.json, tokenizer_config.json)',
    '  | pull OWNER/NAME[@REVISION] [--name N] [--hub-url URL]   download from the Hugging Face Hub (resumable, sizes and hashes checked; HF_TOKEN for gated models), then import',
    '  | import-adapter BASE_ID DIR [--name N]     a PEFT LoRA adapter folder onto an imported base',
    '  | list [--json]',
    '  | score ID (--ids 1,2,3 | --text T) [--top 20] [--json]     top next-token log-probabilities after the given tokens',
    '  | generate ID --prompt TEXT [--chat] [--max-tokens N] [--greedy | --temperature T] [--seed S] [--json]',
    '  | export ID (--adapter OUT_DIR | --merged OUT_DIR)   PEFT adapter folder (vllm serve --lora-modules) or a merged HF snapshot',
  ].join('\n'),
  async run(argv) {
    const { values, positionals } = parse(
      argv,
      {
        name: { type: 'string' }, json: { type: 'boolean' }, ids: { type: 'string' }, text: { type: 'string' }, top: { type: 'string' },
        prompt: { type: 'string' }, chat: { type: 'boolean' }, 'max-tokens': { type: 'string' }, greedy: { type: 'boolean' }, temperature: { type: 'string' },
        seed: { type: 'string' }, adapter: { type: 'string' }, merged: { type: 'string' }, 'hub-url': { type: 'string' },
      },
      true,
    )
    const [verb, a1, a2] = positionals
    const verbs = ['import', 'pull', 'import-adapter', 'list', 'score', 'generate', 'export']
    if (!verb || !verbs.includes(verb)) throw new UsageError(`say ${verbs.join(', ')}.`)
    const engine = openEngine(values['data-dir'])
    const dataDir = engine.opts.dataDir
    try {
      const hf = await import('../../core/model/hf/checkpoint.ts')
      const idOf = (s: string | undefined) => {
        if (!s) throw new UsageError(`"${verb}" needs a checkpoint id (leafe model list).`)
        return intFlag(s, 'checkpoint id', 1, 2 ** 31)!
      }
      switch (verb) {
        case 'import': {
          if (!a1) throw new UsageError('import needs the snapshot folder.')
          const row = hf.importSnapshot(engine.db, dataDir, resolve(a1), values.name ? { name: values.name } : {})
          console.log(values.json ? JSON.stringify(row, null, 2) : `checkpoint ${row.id} "${row.name}": ${describe(row.config)}`)
          return 0
        }
        case 'pull': {
          if (!a1) throw new UsageError('pull needs the model name, e.g. HuggingFaceTB/SmolLM-135M-Instruct.')
          const { pullSnapshot } = await import('../../core/model/hf/pull.ts')
          const { ProgressBar } = await import('../progress.ts')
          const bar = new ProgressBar(`pull ${a1}`)
          const dir = await pullSnapshot(a1, join(dataDir, 'downloads'), {
            ...(values['hub-url'] ? { hubUrl: values['hub-url'] } : {}), ...(process.env.HF_TOKEN ? { accessToken: process.env.HF_TOKEN } : {}),
            onProgress: (done, total, file) => bar.update(done, total, file),
          })
          bar.finish(`downloaded to ${dir}`)
          const row = hf.importSnapshot(engine.db, dataDir, dir, { name: values.name ?? a1 })
          console.log(values.json ? JSON.stringify(row, null, 2) : `checkpoint ${row.id} "${row.name}": ${describe(row.config)}`)
          return 0
        }
        case 'import-adapter': {
          if (!a2) throw new UsageError('import-adapter needs the base checkpoint id and the adapter folder.')
          const row = hf.importAdapter(engine.db, dataDir, idOf(a1), resolve(a2), values.name ? { name: values.name } : {})
          console.log(values.json ? JSON.stringify(row, null, 2) : `checkpoint ${row.id} "${row.name}": LoRA on checkpoint ${row.parentId}`)
          return 0
        }
        case 'list': {
          const rows = listCheckpoints(engine.db).filter((c) => hf.isHfConfig(c.config))
          if (values.json) console.log(JSON.stringify(rows, null, 2))
          else if (rows.length === 0) console.log('no imported models; import one with `leafe model import DIR`')
          else for (const r of rows) console.log(`${String(r.id).padStart(4)}  ${r.name}  ${describe(r.config)}${r.parentId ? `  (parent ${r.parentId})` : ''}`)
          return 0
        }
        case 'export': {
          if (!values.adapter === !values.merged) throw new UsageError('export needs exactly one of --adapter OUT_DIR or --merged OUT_DIR.')
          const loaded = await loadComputing(engine, idOf(a1))
          if (values.adapter) hf.exportAdapterFiles(loaded, resolve(values.adapter))
          else hf.exportMerged(loaded, resolve(values.merged!))
          console.log(`wrote ${resolve((values.adapter ?? values.merged)!)}`)
          return 0
        }
        case 'score': {
          if (!values.ids === !values.text) throw new UsageError('score needs exactly one of --ids 1,2,3 or --text TEXT.')
          const loaded = await loadComputing(engine, idOf(a1))
          const ids = values.ids ? values.ids.split(',').map((s) => intFlag(s.trim(), 'ids', 0, loaded.config.vocabSize - 1)!) : loaded.tokenizer.encode(values.text!)
          if (ids.length === 0) throw new UsageError('score needs at least one token.')
          const top = intFlag(values.top, 'top', 1, loaded.config.vocabSize) ?? 20
          const { nextLogProbs } = await import('../../core/model/hf/generate.ts')
          const [lp] = nextLogProbs(loaded.model, [ids], loaded.lora?.lora)
          const best = Array.from(lp!, (logprob, id) => ({ id, logprob })).sort((x, y) => y.logprob - x.logprob).slice(0, top).map((t) => ({ ...t, token: loaded.tokenizer.decode([t.id], false) }))
          if (values.json) console.log(JSON.stringify({ checkpoint: loaded.row.id, ids, top: best }, null, 2))
          else for (const t of best) console.log(`${String(t.id).padStart(7)}  ${t.logprob.toFixed(4).padStart(9)}  ${JSON.stringify(t.token)}`)
          return 0
        }
        case 'generate': {
          if (values.prompt === undefined) throw new UsageError('generate needs --prompt TEXT.')
          const loaded = await loadComputing(engine, idOf(a1))
          const text = values.chat ? loaded.tokenizer.renderChat([{ role: 'user', content: values.prompt }], true) : values.prompt
          const ids = loaded.tokenizer.encode(text)
          const temperature = values.greedy ? 0 : (numberFlag(values.temperature, 'temperature', 0, 10) ?? 1)
          const { generateHf } = await import('../../core/model/hf/generate.ts')
          const stop = [...loaded.config.eosTokenIds, ...[loaded.tokenizer.eosToken].filter((t): t is string => !!t).map((t) => loaded.tokenizer.tokenId(t)).filter((x): x is number => x !== undefined)]
          const [out] = generateHf(loaded.model, [ids], { maxTokens: intFlag(values['max-tokens'], 'max-tokens', 1, 100_000) ?? 64, temperature, seed: intFlag(values.seed, 'seed', 0, 2 ** 31) ?? 1, stop, ...(loaded.lora ? { lora: loaded.lora.lora } : {}) })
          const decoded = loaded.tokenizer.decode(out!)
          console.log(values.json ? JSON.stringify({ checkpoint: loaded.row.id, promptIds: ids, ids: out, text: decoded }, null, 2) : decoded)
          return 0
        }
      }
      return 2
    } finally {
      await engine.close()
    }
  },
}

async function loadComputing(engine: ReturnType<typeof openEngine>, id: number) {
  const { ensureBackend, backendPreference } = await import('../../core/model/backend.ts')
  await ensureBackend(backendPreference(undefined, engine.settings().tfBackend))
  const { loadHfCheckpoint } = await import('../../core/model/hf/checkpoint.ts')
  return loadHfCheckpoint(engine.db, engine.opts.dataDir, id)
}

function describe(config: unknown): string {
  const c = config as { family: string; params: number; dtype: string; layers: number; hidden: number; vocab: number; chatTemplate: boolean; lora?: { r: number; alpha: number } }
  const m = c.params >= 1e6 ? `${(c.params / 1e6).toFixed(1)}M` : `${(c.params / 1e3).toFixed(1)}k`
  return `${c.family}, ${m} parameters, ${c.dtype}, ${c.layers} layers × ${c.hidden}, vocabulary ${c.vocab}${c.chatTemplate ? ', chat template' : ''}${c.lora ? `, LoRA r=${c.lora.r} α=${c.lora.alpha}` : ''}`
}
