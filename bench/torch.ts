// PyTorch beside the workbench in the benches that compare against it (`hf`, `model`): which
// Python runs, whether torch imports there, and running one of bench/'s torch scripts in a
// process of its own (its last stdout line is its JSON answer).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

// Debian's python3-torch is installed for /usr/bin/python3; a python3 earlier on PATH (a venv)
// usually lacks it.
export const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'

/** Why PyTorch cannot be compared against here, or null when it can. */
export function torchMissing(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' })
  if (r.error) return `no ${PYTHON} (${r.error.message})`
  return r.status === 0 ? null : `no PyTorch for ${PYTHON} (install python3-torch, and libopenblas0-openmp for OpenBLAS)`
}

/** Runs a command and parses its last stdout line as JSON; OMP_NUM_THREADS is left to the script. */
export function childJson<T>(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): { answer: T; stdout: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, OMP_NUM_THREADS: undefined, ...env } })
  if (r.status !== 0) throw new Error(`${cmd} ${args[0]} failed: ${(r.stderr || String(r.error ?? '')).slice(-2000)}`)
  const lines = r.stdout.trim().split('\n')
  return { answer: JSON.parse(lines.pop()!) as T, stdout: lines.join('\n') }
}
