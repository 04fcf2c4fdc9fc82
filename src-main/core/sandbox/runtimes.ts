// The language runtimes a sandbox can start: the Node that runs the engine (Electron's own, as
// Node, under Electron) and the Python 3 interpreters this machine has.
import { execFile } from 'node:child_process'
import { realpathSync } from 'node:fs'
import { dirname } from 'node:path'
import { promisify } from 'node:util'
import type { Lang } from './limits.ts'

export type Runtime = {
  lang: Lang
  /** Absolute path of the executable (symlinks resolved). */
  exe: string
  version: string
  /** Folders the runtime reads besides /usr (a pyenv or nvm install); bound read-only by bubblewrap. */
  roots: string[]
  /** Arguments before the program file. */
  args: string[]
  env: Record<string, string>
  /** Node's permission-model flag where this Node has one ('--permission' from Node 22, experimental before). */
  permissionFlag?: string
}

export function nodeRuntime(): Runtime {
  const exe = realpathSync(process.execPath)
  const flags = process.allowedNodeEnvironmentFlags
  const permissionFlag = flags.has('--permission') ? '--permission' : flags.has('--experimental-permission') ? '--experimental-permission' : undefined
  return {
    lang: 'js',
    exe,
    version: process.versions.node,
    roots: [dirname(dirname(exe))],
    // The experimental-permission warning would otherwise be the first line of every stderr.
    args: ['--no-warnings'],
    env: process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {},
    permissionFlag,
  }
}

const PY_INFO = 'import sys, json; print(json.dumps([sys.executable, sys.base_prefix, sys.prefix, sys.version.split()[0]]))'

/**
 * Python 3 interpreters in order of preference: LEAFE_PYTHON when set (and then only it), else
 * the `python3` on PATH (with pyenv or a venv resolved to the real interpreter), then the system
 * one. The sandbox takes the first that runs inside it — a pyenv under /root, say, is
 * unreachable for the sandbox's own user.
 */
export async function pythonRuntimes(): Promise<Runtime[]> {
  const found: Runtime[] = []
  const candidates = process.env.LEAFE_PYTHON ? [process.env.LEAFE_PYTHON] : ['python3', '/usr/bin/python3', '/usr/local/bin/python3']
  for (const candidate of candidates) {
    let info: [string, string, string, string]
    try {
      const { stdout } = await promisify(execFile)(candidate, ['-c', PY_INFO], { encoding: 'utf8', timeout: 15_000 })
      info = JSON.parse(stdout.trim())
    } catch {
      continue
    }
    const [executable, basePrefix, prefix, version] = info
    if (!executable || !version.startsWith('3.')) continue
    const exe = realpathSync(executable)
    if (found.some((f) => f.exe === exe)) continue
    found.push({
      lang: 'py',
      exe,
      version,
      roots: [...new Set([basePrefix, prefix])],
      // -s: no user site-packages; -B: no .pyc files next to the program.
      args: ['-s', '-B'],
      // A fixed hash seed makes set and dict-of-str iteration order, and so feedback, reproducible.
      env: { PYTHONHASHSEED: '0', PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8' },
    })
  }
  return found
}
