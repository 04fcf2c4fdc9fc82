// Turns (isolation level, runtime, limits, staged files) into the command line that starts one
// sandboxed execution. Layers from the outside in: resource limits (prlimit, else sh ulimit),
// then bubblewrap's namespaces where the level has them, then the runtime itself (for Node with
// its permission model on).
import { existsSync, lstatSync, readlinkSync } from 'node:fs'
import type { Limits } from './limits.ts'
import type { Runtime } from './runtimes.ts'

export type IsolationLevel = 'bwrap' | 'permission' | 'rlimits'

/** How a language runs on this machine: found once by probing (isolation.ts). */
export type Plan = {
  level: IsolationLevel
  runtime: Runtime
  bwrap: string | null
  prlimit: string | null
  /** Running as root: every execution gets its own unprivileged uid (processes counted and killed per uid). */
  dedicatedUid: boolean
}

export const SANDBOX_DIR = '/sandbox'

/**
 * Staged with every JavaScript run and loaded first: Node writes to a pipe asynchronously, so a
 * program printing in a busy loop would only grow its own memory; blocking writes make a flood
 * reach the output cap and be reported as what it is.
 */
export const JS_PRELOAD = {
  name: 'leafe-stdio.cjs',
  source: 'for (const s of [process.stdout, process.stderr]) s._handle?.setBlocking?.(true)\n',
}

/**
 * Added to the preload at the permission level, where the program shares the engine's uid and
 * PID space: Node's permission model does not cover signals, so process.kill (and its binding,
 * _kill) refuse every PID but the program's own. The model itself blocks process.binding and
 * child processes, the other ways to send one.
 */
export const JS_KILL_GUARD = `{
  const own = process.pid, kill = process.kill.bind(process)
  const refuse = () => { const e = new Error('kill EPERM: the sandbox allows no signals to other processes'); e.code = 'EPERM'; throw e }
  process.kill = (pid, sig) => (pid === own ? kill(pid, sig) : refuse())
  process._kill = refuse
}
`

/** The preload staged with a JavaScript run at this level. */
export const jsPreload = (level: IsolationLevel): string => (level === 'permission' ? JS_PRELOAD.source + JS_KILL_GUARD : JS_PRELOAD.source)

export type Command = { file: string; args: string[]; env: Record<string, string>; cwd: string }

/** The folder the program sees as its own: /sandbox inside bubblewrap, else the staging folder itself. */
export const programDir = (plan: Plan, stageDir: string): string => (plan.level === 'bwrap' ? SANDBOX_DIR : stageDir)

export function buildCommand(
  plan: Plan,
  limits: Limits,
  stage: { dir: string; files: string[] },
  main: string,
  args: string[],
  nprocBudget: number,
): Command {
  const dir = programDir(plan, stage.dir)
  const rt = plan.runtime
  const runtimeArgs = [...rt.args]
  if (rt.lang === 'js') {
    runtimeArgs.push(`--max-old-space-size=${limits.memoryMb}`, '--require', `${dir}/${JS_PRELOAD.name}`)
    if (rt.permissionFlag && plan.level !== 'rlimits') {
      runtimeArgs.push(rt.permissionFlag, `--allow-fs-read=${dir}/`, `--allow-fs-write=${dir}/`)
    }
  }
  let cmd = [rt.exe, ...runtimeArgs, main, ...args]
  if (plan.level === 'bwrap') cmd = [plan.bwrap!, ...bwrapArgs(plan, limits, stage), '--', ...cmd]
  cmd = withRlimits(plan, limits, nprocBudget, cmd)
  const env: Record<string, string> = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: dir,
    TMPDIR: dir,
    LANG: 'C.UTF-8',
    ...rt.env,
  }
  return { file: cmd[0]!, args: cmd.slice(1), env, cwd: stage.dir }
}

function withRlimits(plan: Plan, limits: Limits, nprocBudget: number, cmd: string[]): string[] {
  const mb = 1024 * 1024
  if (plan.prlimit) {
    const rl = [
      `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`,
      `--data=${limits.memoryMb * mb}`,
      `--nproc=${nprocBudget}`,
      `--fsize=${limits.fileMb * mb}`,
      '--core=0',
      '--nofile=256',
    ]
    // Python can map shared memory, which RLIMIT_DATA does not count; cap its address space too.
    // Node reserves gigabytes of address space it never touches, so it gets no such cap.
    if (plan.runtime.lang === 'py') rl.push(`--as=${(limits.memoryMb + 256) * mb}`)
    return [plan.prlimit, ...rl, '--', ...cmd]
  }
  // No prlimit (macOS, BSD): POSIX sh's ulimit; -f counts 512-byte blocks, -d KiB.
  const script = [
    `ulimit -t ${limits.cpuSeconds}`,
    `ulimit -d ${limits.memoryMb * 1024}`,
    `ulimit -f ${limits.fileMb * 2048}`,
    'ulimit -n 256',
    'ulimit -c 0',
    'exec "$@"',
  ].join(' && ')
  return ['/bin/sh', '-c', script, 'sh', ...cmd]
}

function bwrapArgs(plan: Plan, limits: Limits, stage: { dir: string; files: string[] }): string[] {
  // --disable-userns (it needs an explicit --unshare-user): a user namespace of the program's own
  // would let it mount a tmpfs of its own, past the temp folder's cap and into host memory.
  const a = ['--unshare-all', '--unshare-user', '--disable-userns', '--die-with-parent', '--new-session', '--cap-drop', 'ALL', '--ro-bind', '/usr', '/usr']
  // Merged-/usr systems link /bin, /lib … into /usr; others keep real folders.
  for (const p of ['/bin', '/sbin', '/lib', '/lib64', '/lib32', '/libx32']) {
    if (!existsSync(p)) continue
    if (lstatSync(p).isSymbolicLink()) a.push('--symlink', readlinkSync(p), p)
    else a.push('--ro-bind', p, p)
  }
  // The dynamic loader needs its cache to find libraries in multiarch folders.
  a.push('--ro-bind-try', '/etc/ld.so.cache', '/etc/ld.so.cache', '--ro-bind-try', '/etc/alternatives', '/etc/alternatives')
  for (const root of plan.runtime.roots) {
    if (root === '/' || root === '/usr' || root.startsWith('/usr/')) continue
    a.push('--ro-bind', root, root)
  }
  a.push('--proc', '/proc', '--dev', '/dev')
  // /dev and / are tmpfs bubblewrap creates without a size: make them read-only, give shm a cap.
  a.push('--size', String(1024 * 1024), '--tmpfs', '/dev/shm', '--remount-ro', '/dev')
  a.push('--size', String(limits.diskMb * 1024 * 1024), '--tmpfs', SANDBOX_DIR)
  for (const f of stage.files) a.push('--ro-bind', `${stage.dir}/${f}`, `${SANDBOX_DIR}/${f}`)
  a.push('--remount-ro', '/', '--chdir', SANDBOX_DIR, '--hostname', 'sandbox')
  return a
}
