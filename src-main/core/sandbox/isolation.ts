// Which isolation each language gets on this machine, found by running a probe program through
// each candidate level, strongest first, and measuring what the probe can see: the host's files,
// its network interfaces, a child process. Nothing here is assumed from the level's name.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import type { IsolationLevel, Plan } from './command.ts'
import { defaultLimits, languageNames, type Lang } from './limits.ts'
import { runWithPlan, type RunRequest, type RunResult } from './run.ts'
import { nodeRuntime, pythonRuntimes, type Runtime } from './runtimes.ts'

export type { IsolationLevel } from './command.ts'

export const isolationLevels: IsolationLevel[] = ['bwrap', 'permission', 'rlimits']

/** What the probe measured inside the sandbox. */
export type Guards = {
  /** The host's files (e.g. /etc/passwd, the host temp folder) could not be read or written. */
  filesystem: boolean
  /** Only a loopback interface (or none) was visible. */
  network: boolean
  /** Starting a child process was refused, or processes are capped per run. */
  processes: boolean
  /** CPU time, memory and file size are capped by resource limits. */
  resources: boolean
  /** The program runs as a uid of its own (the engine runs as root), without capabilities. */
  dedicatedUser: boolean
  /** The engine's /proc/<pid>/environ (where endpoint keys live) could not be read. */
  engineEnv: boolean
  /** The program could not signal the engine (process.kill / os.kill on its PID were refused). */
  signals: boolean
}

export type Isolation = {
  lang: Lang
  available: true
  level: IsolationLevel
  runtime: { exe: string; version: string }
  guards: Guards
  /** One line for the UI: the level and what it does and does not stop. */
  summary: string
}

export type Unavailable = { lang: Lang; available: false; level: null; summary: string }

type Probed = { plan: Plan; isolation: Isolation }

const cache = new Map<string, Promise<Probed>>()

/**
 * The plan for a language: the strongest level that works here, or the one asked for (by the
 * argument or LEAFE_SANDBOX). A level asked for that does not work is an error, never a silent
 * weaker sandbox. Probed once per process.
 */
export function planFor(lang: Lang, level?: IsolationLevel): Promise<Probed> {
  const forced = level ?? (process.env.LEAFE_SANDBOX as IsolationLevel | undefined) ?? undefined
  const bad = level === undefined ? sandboxSettingError() : null
  if (bad) return Promise.reject(new Error(bad))
  if (forced && !isolationLevels.includes(forced)) return Promise.reject(new Error(`There is no sandbox level "${forced}" (levels: ${isolationLevels.join(', ')}).`))
  const key = `${lang}:${forced ?? 'auto'}:${lang === 'py' ? (process.env.LEAFE_PYTHON ?? '') : ''}`
  let p = cache.get(key)
  if (!p) {
    p = probe(lang, forced)
    cache.set(key, p)
    p.catch(() => cache.delete(key))
  }
  return p
}

/** What is wrong with LEAFE_SANDBOX, or null when it is unset or names a level. */
export function sandboxSettingError(env: NodeJS.ProcessEnv = process.env): string | null {
  const v = env.LEAFE_SANDBOX
  return v === undefined || v === '' || isolationLevels.includes(v as IsolationLevel)
    ? null
    : `LEAFE_SANDBOX must be one of ${isolationLevels.join(', ')} (got "${v}").`
}

/** Runs one program in the sandbox for its language. */
export async function runSandboxed(req: RunRequest & { level?: IsolationLevel }): Promise<RunResult> {
  const { plan } = await planFor(req.lang, req.level)
  return runWithPlan(plan, req)
}

/** The isolation each language gets here (for the UI, `leafe code status`, the environment's status()). */
export async function describeSandbox(): Promise<Record<Lang, Isolation | Unavailable>> {
  const one = (lang: Lang) =>
    planFor(lang).then(
      (p) => p.isolation,
      (err: Error): Unavailable => ({ lang, available: false, level: null, summary: err.message }),
    )
  const [js, py] = await Promise.all([one('js'), one('py')])
  return { js, py }
}

function which(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, cmd)
    if (dir && existsSync(p)) return p
  }
  return null
}

async function probe(lang: Lang, forced: IsolationLevel | undefined): Promise<Probed> {
  const runtimes = lang === 'js' ? [nodeRuntime()] : await pythonRuntimes()
  if (!runtimes.length) {
    const where = process.env.LEAFE_PYTHON ? `LEAFE_PYTHON (${process.env.LEAFE_PYTHON}) is not a working Python 3` : 'no python3 was found on PATH or in /usr/bin'
    throw new Error(`${languageNames[lang]} is unavailable: ${where}. Install Python 3 to run Python tasks.`)
  }
  const bwrap = process.platform === 'linux' ? which('bwrap') : null
  const prlimit = process.platform === 'linux' ? which('prlimit') : null
  const dedicatedUid = process.getuid?.() === 0
  const levels = forced ? [forced] : isolationLevels
  const failures: string[] = []
  for (const level of levels) {
    if (level === 'bwrap' && !bwrap) {
      failures.push('bwrap: bubblewrap is not installed (Debian/Ubuntu: apt install bubblewrap)')
      continue
    }
    if (level === 'permission' && lang !== 'js') {
      failures.push("permission: that level is Node's permission model, for JavaScript only")
      continue
    }
    for (const runtime of runtimes) {
      // Node's permission model rides along inside bubblewrap when it works; without it the
      // bubblewrap level still stands.
      const variants: Runtime[] =
        lang === 'js' && level === 'bwrap' && runtime.permissionFlag ? [runtime, { ...runtime, permissionFlag: undefined }] : [runtime]
      for (const rt of variants) {
        if (level === 'permission' && !rt.permissionFlag) {
          failures.push(`permission: Node ${rt.version} has no permission model`)
          continue
        }
        const plan: Plan = { level, runtime: rt, bwrap, prlimit, dedicatedUid }
        const measured = await measure(plan)
        if ('failure' in measured) {
          failures.push(`${level} with ${rt.exe}: ${measured.failure}`)
          continue
        }
        const isolation: Isolation = {
          lang,
          available: true,
          level,
          runtime: { exe: rt.exe, version: rt.version },
          guards: measured.guards,
          summary: summarize(plan, measured.guards),
        }
        return { plan, isolation }
      }
    }
  }
  throw new Error(`${languageNames[lang]} cannot run in the sandbox here: ${failures.join('; ')}.`)
}

const HOST_CANARY = '/etc/passwd'

function probeProgram(lang: Lang, hostTmp: string): string {
  const engine = process.pid
  if (lang === 'js') {
    return `const fs = require('fs'), os = require('os')
const r = { ifaces: [], read: false, write: false, spawn: false, environ: false, signal: false }
try { r.environ = fs.readFileSync('/proc/${engine}/environ').length > 0 } catch {}
try { process.kill(${engine}, 0); r.signal = true } catch {}
try { r.ifaces = Object.keys(os.networkInterfaces()) } catch {}
try { fs.readFileSync(${JSON.stringify(HOST_CANARY)}); r.read = true } catch {}
const w = ${JSON.stringify(hostTmp)} + '/leafe-probe-' + process.pid + '-' + Date.now()
try { fs.writeFileSync(w, 'x'); r.write = true; fs.unlinkSync(w) } catch {}
try { require('child_process').spawnSync(process.execPath, ['-e', '0']); r.spawn = true } catch {}
console.log(JSON.stringify(r))
`
  }
  return `import json, os, socket, subprocess, sys
r = {'ifaces': [], 'read': False, 'write': False, 'spawn': False, 'environ': False, 'signal': False}
try: r['environ'] = len(open('/proc/${engine}/environ', 'rb').read()) > 0
except Exception: pass
try:
    os.kill(${engine}, 0); r['signal'] = True
except Exception: pass
try: r['ifaces'] = [n for _, n in socket.if_nameindex()]
except Exception: pass
try:
    open(${JSON.stringify(HOST_CANARY)}).read(); r['read'] = True
except Exception: pass
w = ${JSON.stringify(hostTmp)} + '/leafe-probe-%d' % os.getpid()
try:
    open(w, 'w').write('x'); r['write'] = True; os.unlink(w)
except Exception: pass
try:
    subprocess.run([sys.executable, '-c', '0']); r['spawn'] = True
except Exception: pass
print(json.dumps(r))
`
}

async function measure(plan: Plan): Promise<{ guards: Guards } | { failure: string }> {
  const lang = plan.runtime.lang
  const main = lang === 'js' ? 'probe.js' : 'probe.py'
  const res = await runWithPlan(plan, { lang, files: { [main]: probeProgram(lang, tmpdir()) }, main, limits: { wallMs: 20_000 } })
  if (res.status !== 'ok') return { failure: `${res.detail} ${res.stderr.trim().split('\n').slice(-3).join(' ')}`.trim() }
  let seen: { ifaces: string[]; read: boolean; write: boolean; spawn: boolean; environ: boolean; signal: boolean }
  try {
    seen = JSON.parse(res.stdout.trim().split('\n').pop()!)
  } catch {
    return { failure: `the probe printed ${JSON.stringify(res.stdout.slice(0, 200))}` }
  }
  return {
    guards: {
      filesystem: !seen.read && !seen.write,
      network: seen.ifaces.every((n) => n === 'lo'),
      processes: !seen.spawn || plan.prlimit !== null,
      resources: true,
      dedicatedUser: plan.dedicatedUid,
      engineEnv: !seen.environ,
      signals: !seen.signal,
    },
  }
}

function summarize(plan: Plan, g: Guards): string {
  const limits = defaultLimits(plan.runtime.lang)
  const user = g.dedicatedUser ? 'an unprivileged uid of its own, no capabilities' : 'your user'
  const caps = `CPU ${limits.cpuSeconds} s, memory ${limits.memoryMb} MB, ${limits.processes} processes, output ${limits.outputBytes >> 20} MiB`
  const lacks = [
    !g.filesystem && 'files outside its folder',
    !g.network && 'the network',
    !g.engineEnv && "the engine's environment (endpoint keys)",
    !g.signals && 'signals to the engine and your other processes',
  ].filter(Boolean)
  const head =
    plan.level === 'bwrap'
      ? `bubblewrap: own PID, network and mount namespaces, no nested user namespaces, read-only system, a private ${limits.diskMb} MB temp folder`
      : plan.level === 'permission'
        ? "Node's permission model: files only in the temp folder, no child processes, no signals to other processes"
        : 'resource limits only'
  const extra = plan.level === 'bwrap' && plan.runtime.permissionFlag ? "; Node's permission model inside" : ''
  const open = lacks.length ? ` — NOT blocked: ${lacks.join(', ')} (install bubblewrap for full isolation)` : ''
  return `${head}${extra}; runs as ${user}; ${caps}${open}.`
}

/** For tests: whether bubblewrap is installed here at all. */
export const hasBwrap = (): boolean => process.platform === 'linux' && spawnSync('bwrap', ['--version']).status === 0
