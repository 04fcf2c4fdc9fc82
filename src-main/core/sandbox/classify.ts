// Reads what a sandboxed program printed when it failed and names the limit or the refusal that
// stopped it, so feedback says "memory limit" or "no network here" rather than a bare stack trace.

export type Violation = 'network' | 'filesystem' | 'process'

const MEMORY = /heap out of memory|Array buffer allocation failed|\bMemoryError\b|Cannot allocate memory|std::bad_alloc|\bENOMEM\b|WebAssembly\.Memory\(\): could not allocate/
// fork/spawn/thread creation refused by RLIMIT_NPROC: EAGAIN in every language's words.
const PROCESS_LIMIT = /\bEAGAIN\b|Resource temporarily unavailable|BlockingIOError|can't start new thread|pthread_create/
const FILE_SIZE = /\bEFBIG\b|File too large/
const NETWORK = /\bENETUNREACH\b|\bEAI_AGAIN\b|\bENOTFOUND\b|\bECONNREFUSED\b|Network is unreachable|Temporary failure in name resolution|Name or service not known|Connection refused|socket\.gaierror|ConnectionRefusedError|getaddrinfo/
const FILESYSTEM = /\bEROFS\b|Read-only file system|\bEACCES\b|Permission denied|PermissionError|ERR_ACCESS_DENIED.*FileSystem|FileSystem(Read|Write)/
// A missing absolute path outside the sandbox's own folder: in the sandbox the rest of the disk is not there.
const MISSING_OUTSIDE = /(ENOENT|No such file or directory)[^\n]*'\/(?!sandbox\/)[^']*'/
const CHILD_DENIED = /ERR_ACCESS_DENIED[\s\S]{0,200}ChildProcess|ERR_ACCESS_DENIED[\s\S]{0,200}WorkerThreads|permission: 'ChildProcess'|permission: 'WorkerThreads'/

export type TextClass = { limit: 'memory' | 'process_limit' | 'file_size' | null; violation: Violation | null }

export function classifyText(text: string): TextClass {
  const limit = MEMORY.test(text) ? 'memory' : PROCESS_LIMIT.test(text) ? 'process_limit' : FILE_SIZE.test(text) ? 'file_size' : null
  const violation: Violation | null = CHILD_DENIED.test(text)
    ? 'process'
    : NETWORK.test(text)
      ? 'network'
      : FILESYSTEM.test(text) || MISSING_OUTSIDE.test(text)
        ? 'filesystem'
        : null
  return { limit, violation }
}

export const violationWords: Record<Violation, string> = {
  network: 'the program tried to use the network, which the sandbox does not allow',
  filesystem: 'the program tried to use files outside its temporary directory, which the sandbox does not allow',
  process: 'the program tried to start another process or thread, which the sandbox does not allow',
}
