import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { describeSandbox, hasBwrap, planFor, runSandboxed } from '../../../src-main/core/sandbox/isolation.ts'
import { tempDir } from '../../fixtures/tmp.ts'

describe('sandbox isolation report', () => {
  it.skipIf(!hasBwrap())('reports bubblewrap with every guard measured as on', async () => {
    const d = await describeSandbox()
    expect(d.js).toMatchObject({ available: true, level: 'bwrap', guards: { filesystem: true, network: true, processes: true, resources: true } })
    expect(d.js.summary).toMatch(/^bubblewrap: own PID, network and mount namespaces/)
    if (d.py.available) expect(d.py.level).toBe('bwrap')
  })

  it('says plainly what a weaker level leaves open', async () => {
    const { isolation } = await planFor('js', 'rlimits')
    expect(isolation.guards).toMatchObject({ filesystem: false, network: false, resources: true })
    expect(isolation.summary).toMatch(/NOT blocked: files outside its folder, the network/)
    const perm = await planFor('js', 'permission')
    expect(perm.isolation.guards).toMatchObject({ filesystem: true, network: false })
  })

  it('refuses a level that cannot work rather than running weaker', async () => {
    await expect(planFor('py', 'permission')).rejects.toThrow(/Python cannot run in the sandbox here/)
    const saved = process.env.LEAFE_SANDBOX
    process.env.LEAFE_SANDBOX = 'chroot'
    try {
      await expect(planFor('js')).rejects.toThrow(/LEAFE_SANDBOX must be one of bwrap, permission, rlimits \(got "chroot"\)/)
    } finally {
      if (saved === undefined) delete process.env.LEAFE_SANDBOX
      else process.env.LEAFE_SANDBOX = saved
    }
  })

  it('passes stdin, arguments and the result channel through, and cleans up its folder', async () => {
    const res = await runSandboxed({
      lang: 'js',
      files: { 'main.js': "let s = ''; process.stdin.on('data', (d) => (s += d)).on('end', () => { console.log(s.toUpperCase(), process.argv[2]); require('fs').writeSync(3, 'chan\\n'); console.log(process.cwd()) })" },
      main: 'main.js',
      args: ['arg1'],
      stdin: 'hello',
      // The weakest level runs in the host staging folder itself, so its removal can be seen.
      level: 'rlimits',
    })
    expect(res.status).toBe('ok')
    expect(res.stdout.split('\n')[0]).toBe('HELLO arg1')
    expect(res.channel).toBe('chan\n')
    const dir = res.stdout.split('\n')[1]!
    expect(dir).toMatch(/leafe-sbx-/)
    expect(existsSync(dir)).toBe(false)
  })

  it('rejects a file name that is not a plain name', async () => {
    await expect(runSandboxed({ lang: 'js', files: { '../x.js': '1' }, main: '../x.js' })).rejects.toThrow(/not a plain file name/)
  })

  // Here the tests run as root, where each run gets a uid of its own; on a desktop the engine runs
  // as the user, and the process cap is the user's own task count plus the budget.
  const root = process.getuid?.() === 0
  const setpriv = spawnSync('setpriv', ['--version']).status === 0
  it.skipIf(!root || !setpriv || !hasBwrap())('works the same for an ordinary user: a fork bomb and a loop are stopped', () => {
    const dir = tempDir('leafe-nonroot-')
    chmodSync(dir, 0o755)
    const isolation = fileURLToPath(new URL('../../../src-main/core/sandbox/isolation.ts', import.meta.url))
    const script = join(dir, 'run.mts')
    writeFileSync(
      script,
      `import { describeSandbox, runSandboxed } from ${JSON.stringify(isolation)}
const d = await describeSandbox()
const fork = await runSandboxed({ lang: 'py', files: { 'm.py': 'import os\\nwhile True:\\n    os.fork()\\n' }, main: 'm.py', limits: { cpuSeconds: 2 } })
const loop = await runSandboxed({ lang: 'js', files: { 'm.js': 'for (;;) {}' }, main: 'm.js', limits: { cpuSeconds: 1 } })
console.log(JSON.stringify({ uid: process.getuid(), js: d.js.level, user: d.js.guards.dedicatedUser, fork: fork.status, loop: loop.status }))
`,
      { mode: 0o644 },
    )
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, HOME: dir },
    })
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual({ uid: 65534, js: 'bwrap', user: false, fork: 'process_limit', loop: 'timeout' })
  })

  // Without bubblewrap, as an ordinary user, the program shares the engine's
  // uid. It read the engine's environment (endpoint keys), signalled the engine and the user's
  // other processes, and a setsid + double-fork daemon outlived the run.
  it.skipIf(!root || !setpriv)('at the fallback levels as an ordinary user: no signals from JavaScript, no daemon outlives a run, and status says what stays open', () => {
    const dir = tempDir('leafe-nonroot-')
    chmodSync(dir, 0o755)
    const isolation = fileURLToPath(new URL('../../../src-main/core/sandbox/isolation.ts', import.meta.url))
    const script = join(dir, 'escape.mts')
    const mark = `leafe-daemon-${process.pid}-${Date.now()}`
    const daemon = [
      'import os, sys, time',
      'if os.fork() == 0:',
      '    os.setsid()',
      '    if os.fork() == 0:',
      `        os.execv(sys.executable, [sys.executable, '-c', 'import time; time.sleep(30)', '${mark}'])`,
      '    os._exit(0)',
      'time.sleep(0.5)',
      "env = open('/proc/%d/environ' % os.getppid(), 'rb').read()",
      "print('environ', b'LEAFE_ENDPOINT_KEY=sk-nonroot-secret' in env)",
    ].join('\n')
    const signals = [
      "const r = {}",
      "try { process.kill(process.ppid, 0); r.engine = 'signalled' } catch (e) { r.engine = e.code }",
      "try { process.kill(-1, 0); r.all = 'signalled' } catch (e) { r.all = e.code }",
      "try { require('fs').readFileSync('/proc/' + process.ppid + '/environ'); r.environ = 'read' } catch (e) { r.environ = e.code }",
      'console.log(JSON.stringify(r))',
    ].join('\n')
    writeFileSync(
      script,
      `import { planFor, runSandboxed } from ${JSON.stringify(isolation)}
const py = await runSandboxed({ lang: 'py', level: 'rlimits', files: { 'm.py': ${JSON.stringify(daemon)} }, main: 'm.py', limits: { wallMs: 8000 } })
await new Promise((r) => setTimeout(r, 300))
const js = await runSandboxed({ lang: 'js', level: 'permission', files: { 'm.js': ${JSON.stringify(signals)} }, main: 'm.js' })
const pyPlan = await planFor('py', 'rlimits'), jsPlan = await planFor('js', 'permission')
console.log(JSON.stringify({ py: py.stdout.trim(), js: JSON.parse(js.stdout), pyGuards: pyPlan.isolation.guards, pySummary: pyPlan.isolation.summary, jsGuards: jsPlan.isolation.guards }))
`,
      { mode: 0o644 },
    )
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 90_000,
      env: { ...process.env, HOME: dir, LEAFE_ENDPOINT_KEY: 'sk-nonroot-secret' },
    })
    expect(r.stderr).toBe('')
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!)
    const survivors = spawnSync('pgrep', ['-f', mark], { encoding: 'utf8' }).stdout.trim()
    for (const pid of survivors.split('\n').filter(Boolean)) process.kill(Number(pid), 'SIGKILL') // clean up after a failure
    expect(survivors).toBe('') // the daemon died with the run
    expect(out.js).toEqual({ engine: 'EPERM', all: 'EPERM', environ: 'ERR_ACCESS_DENIED' })
    expect(out.jsGuards).toMatchObject({ engineEnv: true, signals: true })
    // What the rlimits level cannot stop as the same user, measured and said.
    expect(out.py).toBe('environ True')
    expect(out.pyGuards).toMatchObject({ engineEnv: false, signals: false, dedicatedUser: false })
    expect(out.pySummary).toMatch(/NOT blocked: files outside its folder, the network, the engine's environment \(endpoint keys\), signals to the engine and your other processes/)
  })
})
