// What one sandboxed execution may use. The defaults suit graded test runs of short programs;
// callers tighten or loosen them per run.

export type Lang = 'js' | 'py'

export type Limits = {
  /** Wall-clock time before the whole process group is killed. */
  wallMs: number
  /** CPU seconds per process (RLIMIT_CPU): SIGXCPU at the limit, SIGKILL a second later. */
  cpuSeconds: number
  /** Private writable memory per process (RLIMIT_DATA; for Node also the V8 heap limit). */
  memoryMb: number
  /** stdout + stderr + the harness channel together; more kills the run. */
  outputBytes: number
  /** Processes and threads of the sandbox's user (RLIMIT_NPROC); Node needs about a dozen threads. */
  processes: number
  /** The largest file the program may write (RLIMIT_FSIZE). */
  fileMb: number
  /** Size of the writable temporary directory where the sandbox can bound it (bubblewrap's tmpfs). */
  diskMb: number
}

export const languageNames: Record<Lang, string> = { js: 'JavaScript', py: 'Python' }

// Python gets few processes: it needs one, and the memory cap is per process, so a fork bomb's
// worst case is processes × memoryMb. Node cannot start a child at all under its permission model,
// but needs threads (libuv pool, V8 platform workers).
export function defaultLimits(lang: Lang): Limits {
  return {
    wallMs: 10_000,
    cpuSeconds: 5,
    memoryMb: 256,
    outputBytes: 1 << 20,
    processes: lang === 'js' ? 24 : 8,
    fileMb: 16,
    diskMb: 64,
  }
}

export function withLimits(lang: Lang, patch: Partial<Limits> | undefined): Limits {
  return { ...defaultLimits(lang), ...patch }
}
