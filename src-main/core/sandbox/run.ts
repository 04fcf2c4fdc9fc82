// One sandboxed execution: stage the files in a fresh temporary folder, start the program in its
// own process group under the plan's isolation, enforce the wall clock and the output cap, kill
// the whole group at the end (and, where the run had its own uid, every process of that uid),
// remove the folder, and say in plain words what happened.
import { spawn } from 'node:child_process'
import { randomBytes, randomInt } from 'node:crypto'
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { classifyText, violationWords, type Violation } from './classify.ts'
import { buildCommand, JS_PRELOAD, jsPreload, type IsolationLevel, type Plan } from './command.ts'
import { languageNames, withLimits, type Lang, type Limits } from './limits.ts'

export type RunRequest = {
  lang: Lang
  /** File name → content, written to the run's fresh temporary folder. */
  files: Record<string, string>
  /** The file to run (one of `files`). */
  main: string
  args?: string[]
  stdin?: string
  limits?: Partial<Limits>
  signal?: AbortSignal
}

export type RunStatus = 'ok' | 'error' | 'timeout' | 'memory' | 'output_limit' | 'process_limit' | 'cancelled'

export type RunResult = {
  status: RunStatus
  /** What happened, in words an agent or a person can act on. */
  detail: string
  /** What the sandbox refused, when that is the likely cause of an error. */
  violation: Violation | null
  exitCode: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** The harness's result channel (file descriptor 3 in the program). */
  channel: string
  /** Output beyond limits.outputBytes was cut off. */
  truncated: boolean
  wallMs: number
  isolation: IsolationLevel
}

const SIGNALS: Record<number, NodeJS.Signals> = { 6: 'SIGABRT', 9: 'SIGKILL', 11: 'SIGSEGV', 24: 'SIGXCPU', 25: 'SIGXFSZ' }

// At most one execution per core at a time in this process: exploration may ask for dozens at
// once, and more would only make each slower (and the wall-clock limit unfair).
let free = availableParallelism()
const waiting: (() => void)[] = []

async function slot(): Promise<() => void> {
  if (free > 0) free--
  else await new Promise<void>((resolve) => waiting.push(resolve))
  let released = false
  return () => {
    if (released) return
    released = true
    const next = waiting.shift()
    if (next) next()
    else free++
  }
}

export async function runWithPlan(plan: Plan, req: RunRequest): Promise<RunResult> {
  const release = await slot()
  try {
    return await runInSlot(plan, req)
  } finally {
    release()
  }
}

async function runInSlot(plan: Plan, req: RunRequest): Promise<RunResult> {
  const limits = withLimits(req.lang, req.limits)
  const dir = mkdtempSync(join(tmpdir(), 'leafe-sbx-'))
  const uid = plan.dedicatedUid ? freshUid() : null
  try {
    const files = req.lang === 'js' ? { ...req.files, [JS_PRELOAD.name]: jsPreload(plan.level) } : req.files
    for (const [name, content] of Object.entries(files)) {
      if (!/^[\w.-]+$/.test(name)) throw new Error(`Sandbox file name "${name}" is not a plain file name.`)
      writeFileSync(join(dir, name), content)
      if (uid !== null) chownSync(join(dir, name), uid, uid)
    }
    if (uid !== null) chownSync(dir, uid, uid)
    const budget = uid !== null ? limits.processes : tasksOfUid(process.getuid?.() ?? -1) + limits.processes
    const cmd = buildCommand(plan, limits, { dir, files: Object.keys(files) }, req.main, req.args ?? [], budget)
    // Without bubblewrap's PID namespace or a uid of its own, a process that left the group
    // (setsid, a double fork) is found by this mark in its environment at the end.
    const mark = uid === null && plan.level !== 'bwrap' ? randomBytes(12).toString('hex') : null
    if (mark) cmd.env[RUN_MARK] = mark
    return await execute(plan, limits, cmd, uid, mark, req)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

// A uid nobody on the machine has: RLIMIT_NPROC then counts this run's processes only, and the
// run's leftovers can be found and killed by uid.
const freshUid = () => randomInt(10_000_000, 1_010_000_000)

const RUN_MARK = 'LEAFE_SANDBOX_RUN'

function execute(plan: Plan, limits: Limits, cmd: ReturnType<typeof buildCommand>, uid: number | null, mark: string | null, req: RunRequest): Promise<RunResult> {
  return new Promise((resolve) => {
    const started = performance.now()
    const child = spawn(cmd.file, cmd.args, {
      cwd: cmd.cwd,
      env: cmd.env,
      detached: true, // its own process group, so one kill reaches everything it starts
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      ...(uid !== null ? { uid, gid: uid } : {}),
    })
    const chunks: Record<'stdout' | 'stderr' | 'channel', Buffer[]> = { stdout: [], stderr: [], channel: [] }
    let bytes = 0
    let flooded = false
    let timedOut = false
    let cancelled = false
    let spawnError: Error | null = null
    const killAll = () => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
      // Outside bubblewrap's PID namespace a process can leave the group (setsid); its uid gives it away.
      if (uid !== null && plan.level !== 'bwrap') killUid(uid)
      if (mark) killMarked(`${RUN_MARK}=${mark}`)
    }
    const collect = (name: keyof typeof chunks) => (d: Buffer) => {
      if (flooded) return
      const room = limits.outputBytes - bytes
      if (d.length > room) {
        chunks[name].push(d.subarray(0, room))
        bytes = limits.outputBytes
        flooded = true
        killAll()
        return
      }
      chunks[name].push(d)
      bytes += d.length
    }
    child.stdout!.on('data', collect('stdout'))
    child.stderr!.on('data', collect('stderr'))
    ;(child.stdio[3] as NodeJS.ReadableStream).on('data', collect('channel'))
    child.stdin!.on('error', () => {}) // the program may exit without reading its input
    child.stdin!.end(req.stdin ?? '')
    const timer = setTimeout(() => {
      timedOut = true
      killAll()
    }, limits.wallMs)
    const onAbort = () => {
      cancelled = true
      killAll()
    }
    req.signal?.addEventListener('abort', onAbort, { once: true })
    if (req.signal?.aborted) onAbort()
    let done = false
    // The group is killed when the program exits, too: whatever it left running goes with it. A
    // leftover that escaped the group could hold the pipes open, so 'close' gets a deadline.
    child.on('exit', () => {
      killAll()
      setTimeout(() => finish(child.exitCode, child.signalCode), 2000).unref()
    })
    child.on('error', (err) => {
      spawnError = err
      finish(null, null)
    })
    child.on('close', (code, sig) => finish(code, sig))
    function finish(code: number | null, sig: NodeJS.Signals | null) {
      if (done) return
      done = true
      clearTimeout(timer)
      req.signal?.removeEventListener('abort', onAbort)
      for (const s of [child.stdout, child.stderr, child.stdio[3]]) (s as NodeJS.ReadableStream & { destroy(): void })?.destroy()
      const text = (name: keyof typeof chunks) => Buffer.concat(chunks[name]).toString('utf8')
      const out = { stdout: text('stdout'), stderr: text('stderr'), channel: text('channel') }
      // bubblewrap and prlimit report a signalled child as exit status 128 + signal.
      const signal = sig ?? (code !== null && code > 128 && SIGNALS[code - 128] ? SIGNALS[code - 128]! : null)
      const verdict = spawnError
        ? { status: 'error' as const, detail: `The sandbox could not start: ${(spawnError as Error).message}.`, violation: null }
        : judge({ code, signal, timedOut, flooded, cancelled, text: out.stderr, limits, lang: req.lang })
      resolve({
        ...verdict,
        exitCode: code,
        signal,
        ...out,
        truncated: flooded,
        wallMs: Math.round(performance.now() - started),
        isolation: plan.level,
      })
    }
  })
}

function judge(r: {
  code: number | null
  signal: NodeJS.Signals | null
  timedOut: boolean
  flooded: boolean
  cancelled: boolean
  text: string
  limits: Limits
  lang: Lang
}): Pick<RunResult, 'status' | 'detail' | 'violation'> {
  const { limits } = r
  const seen = classifyText(r.text)
  if (r.cancelled) return { status: 'cancelled', detail: 'Cancelled.', violation: null }
  if (r.flooded) return { status: 'output_limit', detail: `Output limit exceeded: the program printed more than ${size(limits.outputBytes)}.`, violation: null }
  if (r.timedOut) return { status: 'timeout', detail: `Time limit exceeded: still running after ${limits.wallMs / 1000} s.`, violation: null }
  if (r.signal === 'SIGXCPU' || (r.signal === 'SIGKILL' && seen.limit === null)) {
    return { status: 'timeout', detail: `Time limit exceeded: more than ${limits.cpuSeconds} s of CPU time.`, violation: null }
  }
  if (seen.limit === 'memory') return { status: 'memory', detail: `Memory limit exceeded: the program needed more than ${limits.memoryMb} MB.`, violation: null }
  if (seen.limit === 'process_limit') {
    return { status: 'process_limit', detail: `Process limit reached: the program tried to start more than ${limits.processes} processes or threads.`, violation: null }
  }
  if (r.signal === 'SIGXFSZ' || seen.limit === 'file_size') {
    return { status: 'output_limit', detail: `File size limit exceeded: the program wrote a file larger than ${limits.fileMb} MB.`, violation: null }
  }
  if (r.code === 0) return { status: 'ok', detail: 'Finished normally.', violation: null }
  const how = r.signal ? `was killed by ${r.signal}` : `exited with status ${r.code}`
  const why = seen.violation ? ` — ${violationWords[seen.violation]}` : ''
  return { status: 'error', detail: `The ${languageNames[r.lang]} program ${how}${why}.`, violation: seen.violation }
}

const size = (bytes: number) => (bytes >= 1 << 20 ? `${bytes / (1 << 20)} MiB` : `${Math.round(bytes / 1024)} KiB`)

/** Processes and threads a uid has now: what RLIMIT_NPROC compares against (Linux; 0 elsewhere). */
export function tasksOfUid(uid: number): number {
  let n = 0
  for (const pid of procPids()) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8')
      if (Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]) === uid) n += Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 1)
    } catch {
      // exited while we looked
    }
  }
  return n
}

/** Kills every process of a run's dedicated uid, including any that left the process group (setsid). */
function killUid(uid: number): void {
  killWhere((pid) => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) === uid)
}

/**
 * Kills every process whose environment carries the run's mark (the same user's processes are
 * readable). A program that re-executes itself with a cleaned environment escapes this; `leafe
 * code status` says the level does not isolate processes.
 */
function killMarked(entry: string): void {
  const needle = Buffer.from(`${entry}\0`)
  killWhere((pid) => pid !== process.pid && readFileSync(`/proc/${pid}/environ`).includes(needle))
}

function killWhere(matches: (pid: number) => boolean): void {
  for (let round = 0; round < 5; round++) {
    let found = 0
    for (const pid of procPids()) {
      try {
        if (!matches(pid)) continue
        found++
        process.kill(pid, 'SIGKILL')
      } catch {
        // exited while we looked, or not ours to read
      }
    }
    if (!found) return
  }
}

function procPids(): number[] {
  try {
    return readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number)
  } catch {
    return []
  }
}
