// Every attack the issue names, run through the real sandbox: each must be stopped, reported as
// what it was, and leave the host as it was (no stray processes, no files, no connections).
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasBwrap, runSandboxed, type IsolationLevel } from '../../../src-main/core/sandbox/isolation.ts'
import type { Lang } from '../../../src-main/core/sandbox/limits.ts'
import { tempDir } from '../../fixtures/tmp.ts'
import { python } from '../../fixtures/python.ts'

const bwrap = hasBwrap()
if (!bwrap) console.warn('bubblewrap (bwrap) is not installed: the namespace-level attack tests are skipped.')

const file = (lang: Lang) => (lang === 'js' ? 'main.js' : 'main.py')
let seq = 0
/** Runs code with a unique marker argument, so any process it leaves behind can be found by its command line. */
async function attack(lang: Lang, code: string, opts: { level?: IsolationLevel; cpuSeconds?: number; wallMs?: number } = {}) {
  const marker = `leafe-attack-${process.pid}-${Date.now()}-${seq++}`
  const res = await runSandboxed({
    lang,
    files: { [file(lang)]: code },
    main: file(lang),
    args: [marker],
    level: opts.level,
    limits: { cpuSeconds: opts.cpuSeconds ?? 2, wallMs: opts.wallMs ?? 8_000 },
  })
  return { res, marker }
}

function processesWith(marker: string): number[] {
  const found: number[] = []
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(marker)) found.push(Number(d))
    } catch {
      // gone
    }
  }
  return found
}

/** The host is unaffected: nothing of the run is left, and the host can still start processes. */
function expectHostClean(marker: string) {
  expect(processesWith(marker)).toEqual([])
  expect(spawnSync('true').status).toBe(0)
}

const levels: { level: IsolationLevel; js: boolean; py: boolean }[] = [
  { level: 'bwrap', js: bwrap, py: bwrap && python },
  { level: 'permission', js: true, py: false },
  { level: 'rlimits', js: true, py: python },
]

const INFINITE = { js: 'for (;;) {}', py: 'while True:\n    pass\n' }
const MEMORY = {
  js: 'const a = []\nfor (;;) a.push(new Array(1e6).fill(1.5))',
  py: 'a = []\nwhile True:\n    a.append(bytearray(10**7))\n',
}
const BUFFERS = 'const a = []\nfor (;;) a.push(Buffer.alloc(1 << 24, 1))'
const FLOOD = { js: "const s = 'x'.repeat(1000)\nfor (;;) console.log(s)", py: "s = 'x' * 1000\nwhile True:\n    print(s)\n" }
// Forks until refused, then each child sleeps: without a process cap this never ends.
const FORK_PY = 'import os, time\nwhile True:\n    os.fork()\n'
const FORK_JS = `const { spawn } = require('child_process')
function more() {
  spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']).on('error', (e) => { throw e })
  setImmediate(more)
}
more()`
// A child that leaves the process group (setsid) and sleeps: the run must still end and take it along.
const ESCAPE_PY = 'import os, sys, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(60)\nprint("parent done")\n'

describe.each(levels)('sandbox attacks at level $level', ({ level, js, py }) => {
  for (const lang of ['js', 'py'] as const) {
    const on = lang === 'js' ? js : py
    // Node's permission model is a level for JavaScript only.
    if (level === 'permission' && lang === 'py') continue
    it.skipIf(!on)(`${lang}: an infinite loop is stopped as a time limit`, async () => {
      const { res, marker } = await attack(lang, INFINITE[lang], { level, cpuSeconds: 1, wallMs: 6_000 })
      expect(res.status).toBe('timeout')
      expect(res.detail).toMatch(/Time limit exceeded/)
      expect(res.isolation).toBe(level)
      expectHostClean(marker)
    })

    it.skipIf(!on)(`${lang}: a memory bomb is stopped as a memory limit`, async () => {
      const { res, marker } = await attack(lang, MEMORY[lang], { level })
      expect(res.status).toBe('memory')
      expect(res.detail).toMatch(/Memory limit exceeded/)
      expectHostClean(marker)
    })

    it.skipIf(!on)(`${lang}: a flood of output is cut off as an output limit`, async () => {
      const { res, marker } = await attack(lang, FLOOD[lang], { level })
      expect(res.status).toBe('output_limit')
      expect(res.truncated).toBe(true)
      expect(res.stdout.length).toBeLessThanOrEqual(1 << 20)
      expect(res.stdout.length).toBeGreaterThan(1000)
      expectHostClean(marker)
    })
  }

  it.skipIf(!js)('js: off-heap buffers are capped too', async () => {
    const { res, marker } = await attack('js', BUFFERS, { level })
    expect(res.status).toBe('memory')
    expectHostClean(marker)
  })

  // Node's permission model is a level for JavaScript only.
  if (level !== 'permission') {
    it.skipIf(!py)('py: a fork bomb is stopped at the process limit', async () => {
      const { res, marker } = await attack('py', FORK_PY, { level })
      expect(res.status).toBe('process_limit')
      expect(res.detail).toMatch(/Process limit reached/)
      expectHostClean(marker)
    })

    it.skipIf(!py)('py: a child that leaves the process group is killed with the run', async () => {
      const { res, marker } = await attack('py', ESCAPE_PY, { level })
      expect(res.status).toBe('ok')
      expect(res.stdout).toContain('parent done')
      expect(res.wallMs).toBeLessThan(8_000)
      expectHostClean(marker)
    })
  }

  it.skipIf(!js)('js: a fork bomb is refused or capped', async () => {
    const { res, marker } = await attack('js', FORK_JS, { level })
    if (level === 'rlimits') {
      expect(res.status).toBe('process_limit')
    } else {
      // Node's permission model refuses child processes outright.
      expect(res.status).toBe('error')
      expect(res.violation).toBe('process')
    }
    expectHostClean(marker)
  })
})

describe.skipIf(!bwrap)('bubblewrap keeps files and the network out of reach', () => {
  const host = tempDir('leafe-host-')
  const secret = join(host, 'secret.txt')
  const SECRET = 'the host secret 8c1f'
  writeFileSync(secret, SECRET, { mode: 0o644 })
  const outside = join(host, 'written-by-sandbox.txt')
  let server: ReturnType<typeof createServer>
  let port = 0
  let connections = 0
  beforeAll(async () => {
    server = createServer((s) => {
      connections++
      s.end('hello')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    port = (server.address() as { port: number }).port
  })
  afterAll(() => server.close())

  const READ = {
    js: `console.log(require('fs').readFileSync(${JSON.stringify(secret)}, 'utf8'))`,
    py: `print(open(${JSON.stringify(secret)}).read())`,
  }
  const WRITE = {
    js: `require('fs').writeFileSync(${JSON.stringify(outside)}, 'pwned')`,
    py: `open(${JSON.stringify(outside)}, 'w').write('pwned')`,
  }
  const WRITE_HERE = {
    js: "require('fs').writeFileSync('scratch.txt', 'ok'); console.log(require('fs').readFileSync('scratch.txt', 'utf8'))",
    py: "open('scratch.txt', 'w').write('ok')\nprint(open('scratch.txt').read())",
  }
  const CONNECT = {
    js: `const s = require('net').connect(${'PORT'}, '127.0.0.1'); s.on('connect', () => console.log('connected')); s.on('error', (e) => { console.error(e.message); process.exit(1) })`,
    py: `import socket\nsocket.create_connection(('127.0.0.1', PORT), timeout=3)\nprint('connected')`,
  }
  const OUTBOUND = {
    js: `const s = require('net').connect(80, '1.1.1.1'); s.on('connect', () => console.log('connected')); s.on('error', (e) => { console.error(e.message); process.exit(1) })`,
    py: `import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=3)\nprint('connected')`,
  }

  for (const lang of ['js', 'py'] as const) {
    const on = lang === 'js' || python
    it.skipIf(!on)(`${lang}: reading a host file outside the temp folder is refused`, async () => {
      const { res, marker } = await attack(lang, READ[lang])
      expect(res.status).toBe('error')
      expect(res.violation).toBe('filesystem')
      expect(res.stdout + res.stderr).not.toContain(SECRET)
      expectHostClean(marker)
    })

    it.skipIf(!on)(`${lang}: writing outside the temp folder is refused, writing inside works`, async () => {
      const { res, marker } = await attack(lang, WRITE[lang])
      expect(res.status).toBe('error')
      expect(res.violation).toBe('filesystem')
      expect(existsSync(outside)).toBe(false)
      const here = await attack(lang, WRITE_HERE[lang])
      expect(here.res.status).toBe('ok')
      expect(here.res.stdout.trim()).toBe('ok')
      expectHostClean(marker)
    })

    it.skipIf(!on)(`${lang}: a connection to a host server and to the internet fails`, async () => {
      const { res, marker } = await attack(lang, CONNECT[lang].replace('PORT', String(port)))
      expect(res.status).toBe('error')
      expect(res.violation).toBe('network')
      expect(res.stdout).not.toContain('connected')
      const out = await attack(lang, OUTBOUND[lang])
      expect(out.res.status).toBe('error')
      expect(out.res.violation).toBe('network')
      expect(connections).toBe(0)
      expectHostClean(marker)
    })
  }
})

describe.skipIf(!bwrap || !python)('bubblewrap refuses nested user namespaces', () => {
  it('stops a program that makes its own namespace to mount a tmpfs past the disk cap', async () => {
    // Before --disable-userns, `unshare -Urm` gave the program a tmpfs of its own, and 1.5 GB of
    // host memory went past the 64 MB temp-folder cap.
    const code = [
      'import ctypes, subprocess, sys',
      'libc = ctypes.CDLL(None, use_errno=True)',
      "print('unshare', libc.unshare(0x10000000), ctypes.get_errno())", // CLONE_NEWUSER
      "r = subprocess.run(['unshare', '-Urm', 'sh', '-c', 'mount -t tmpfs -o size=1g t /sandbox && head -c 100000000 /dev/zero > /sandbox/x && echo filled'], capture_output=True, text=True)",
      "print('nested', r.returncode, r.stdout.strip(), r.stderr.strip())",
    ].join('\n')
    const { res, marker } = await attack('py', code, { level: 'bwrap', wallMs: 15_000 })
    expect(res.stdout).toMatch(/^unshare -1 28$/m) // ENOSPC: user namespaces are capped at zero
    expect(res.stdout).not.toContain('filled')
    expect(res.stdout).toMatch(/^nested [1-9]/m)
    expectHostClean(marker)
  })
})
