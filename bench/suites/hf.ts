import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expectedTensors, parseHfConfig } from '../../src-main/core/model/hf/config.ts'
import { encodeSafetensors, type TensorOut } from '../../src-main/core/model/hf/safetensors.ts'
import { childJson, PYTHON, torchMissing } from '../torch.ts'
import type { Suite } from './index.ts'

// Imported-model speed: forward (logits at every position) and LoRA training (r = 16, α = 32 on
// PEFT's default targets, loss on the last quarter of each row) tokens/s for random models shaped
// like GPT-2 small (124M) and SmolLM-135M, on TF.js wasm (one thread: Node's wasm backend is not
// threaded; the forward also on 2 threads, the batch cut in two as HfPolicy scores on threads)
// and in PyTorch side by side in the same run (same files, batch and measurement), each
// measurement in a process of its own so its peak RSS is its own. GPU backends are measured only
// where one is present (none on these machines).

const SHAPES: Record<string, Record<string, unknown>> = {
  'gpt2-124m': { architectures: ['GPT2LMHeadModel'], model_type: 'gpt2', vocab_size: 50257, n_embd: 768, n_layer: 12, n_head: 12, n_positions: 1024 },
  'smollm-135m': {
    architectures: ['LlamaForCausalLM'], model_type: 'llama', vocab_size: 49152, hidden_size: 576, num_hidden_layers: 30, num_attention_heads: 9, num_key_value_heads: 3,
    intermediate_size: 1536, max_position_embeddings: 2048, rms_norm_eps: 1e-5, rope_theta: 10000, tie_word_embeddings: true, hidden_act: 'silu',
  },
}

// Forward at batch 4 × 64 tokens; LoRA at 2 × 64: TF.js keeps every activation and gradient of a
// step on its tape until the step ends, and at 4 × 64 the SmolLM-shaped step outgrew wasm's 4 GiB
// heap (measured: "memory access out of bounds" in the first step).
const SIZES = { forward: { B: 4, T: 64 }, lora: { B: 2, T: 64 } }
// Gradient accumulation: a LoRA batch of 8 × 64 in four parts of 2 rows, so that a useful batch
// needs the memory of a part (wasm only; one step after a warm-up one).
const ACCUMULATED = { B: 8, T: 64, micro: 2, steps: 1 }
const STEPS = 3

/** A random bf16 model of this shape (values do not matter for speed; bf16 halves the file). */
function writeRandomModel(dir: string, cfg: Record<string, unknown>): number {
  let state = 12345
  const tensors = new Map<string, TensorOut>()
  let params = 0
  for (const [name, shape] of expectedTensors(parseHfConfig(cfg))) {
    const n = shape.reduce((a, b) => a * b, 1)
    params += n
    const halves = new Uint16Array(n)
    const f = new Float32Array(1)
    const bits = new Uint32Array(f.buffer)
    for (let i = 0; i < n; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0
      f[0] = name.includes('norm') || name.includes('ln_') ? 1 : ((state / 2 ** 32) * 2 - 1) * 0.04
      halves[i] = bits[0]! >>> 16
    }
    tensors.set(name, { dtype: 'BF16', shape, bytes: new Uint8Array(halves.buffer) })
  }
  writeFileSync(join(dir, 'model.safetensors'), encodeSafetensors(tensors))
  writeFileSync(join(dir, 'config.json'), JSON.stringify(cfg))
  return params
}

type Measured = { tokensPerS: number; peakRssMb: number }

const child = (cmd: string, args: string[]): Measured => childJson<Measured>(cmd, args).answer

export const hfSuite: Suite = {
  name: 'hf',
  summary: 'imported models: forward and LoRA tokens/s and peak RSS, GPT-2-124M- and SmolLM-135M-shaped, TF.js wasm beside PyTorch',
  async run(log) {
    const out: Record<string, number> = { forward_batch: SIZES.forward.B, lora_batch: SIZES.lora.B, lora_accumulated_batch: ACCUMULATED.B, lora_accumulated_part: ACCUMULATED.micro, seq_len: SIZES.forward.T }
    const missing = torchMissing()
    const torch = missing === null
    if (missing) log(`${missing}: the PyTorch columns are left out`)
    for (const [shape, cfg] of Object.entries(SHAPES)) {
      const dir = mkdtempSync(join(tmpdir(), `leafe-bench-${shape}-`))
      try {
        const params = writeRandomModel(dir, cfg)
        out[`${shape}_params_m`] = params / 1e6
        for (const mode of ['forward', 'lora'] as const) {
          const req = { dir, mode, ...SIZES[mode], steps: STEPS }
          const w = child(process.execPath, ['--import', 'tsx', 'bench/hf-child.ts', JSON.stringify(req)])
          out[`${shape}_${mode}_wasm_tokens_per_s`] = w.tokensPerS
          out[`${shape}_${mode}_wasm_peak_rss_mb`] = w.peakRssMb
          log(`${shape} ${mode}: wasm ${w.tokensPerS.toFixed(1)} tokens/s, peak RSS ${w.peakRssMb.toFixed(0)} MB`)
          if (!torch) continue
          for (const threads of [1, 2]) {
            const p = child(PYTHON, ['bench/hf_torch.py', JSON.stringify({ ...req, threads })])
            out[`${shape}_${mode}_torch_${threads}t_tokens_per_s`] = p.tokensPerS
            out[`${shape}_${mode}_torch_${threads}t_peak_rss_mb`] = p.peakRssMb
            log(`${shape} ${mode}: torch ${threads} thread(s) ${p.tokensPerS.toFixed(1)} tokens/s, peak RSS ${p.peakRssMb.toFixed(0)} MB`)
          }
          if (torch) out[`${shape}_${mode}_torch_2t_over_wasm`] = out[`${shape}_${mode}_torch_2t_tokens_per_s`]! / w.tokensPerS
        }
        const w2 = child(process.execPath, ['--import', 'tsx', 'bench/hf-child.ts', JSON.stringify({ dir, mode: 'forward', ...SIZES.forward, steps: STEPS, threads: 2 })])
        out[`${shape}_forward_wasm_2t_tokens_per_s`] = w2.tokensPerS
        out[`${shape}_forward_wasm_2t_peak_rss_mb`] = w2.peakRssMb
        log(`${shape} forward: wasm 2 threads ${w2.tokensPerS.toFixed(1)} tokens/s, peak RSS ${w2.peakRssMb.toFixed(0)} MB`)
        if (torch) out[`${shape}_forward_torch_2t_over_wasm_2t`] = out[`${shape}_forward_torch_2t_tokens_per_s`]! / w2.tokensPerS
        const a = child(process.execPath, ['--import', 'tsx', 'bench/hf-child.ts', JSON.stringify({ dir, mode: 'lora', ...ACCUMULATED })])
        out[`${shape}_lora_accumulated_wasm_tokens_per_s`] = a.tokensPerS
        out[`${shape}_lora_accumulated_wasm_peak_rss_mb`] = a.peakRssMb
        log(`${shape} lora, batch ${ACCUMULATED.B} in parts of ${ACCUMULATED.micro}: wasm ${a.tokensPerS.toFixed(1)} tokens/s, peak RSS ${a.peakRssMb.toFixed(0)} MB`)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }
    return out
  },
}
