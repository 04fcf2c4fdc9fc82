// The CLI explains itself. Bad input is one line that names the flag or key,
// exits 2 and creates no job; --help lists every flag with what it does and its default; a run
// in which every task failed exits 1; third-party warnings stay out of the output.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it, vi } from 'vitest'
import { main } from '../../src-main/cli/main.ts'
import { DEFAULTS } from '../../src-main/shared/defaults.ts'
import { tempDir } from '../fixtures/tmp.ts'

const leafe = (args: string[], input = '') => spawnSync(process.execPath, ['bin/leafe.js', ...args], { encoding: 'utf8', input, timeout: 120_000 })
const jobsOf = (dir: string) => leafe(['jobs', 'list', '--data-dir', dir]).stdout.trim()

/** A refusal: exit 2, the first line says it, no stack trace anywhere, no job left behind. */
function refused(args: string[], firstLine: RegExp, dir = tempDir()) {
  const r = leafe([...args, '--data-dir', dir])
  expect(r.status, r.stderr).toBe(2)
  expect(r.stderr.split('\n')[0]).toMatch(firstLine)
  expect(r.stderr + r.stdout).not.toMatch(/\n\s+at /)
  expect(jobsOf(dir)).toBe('')
  return r
}

describe('the CLI refuses bad input in one line', () => {
  it('names the flag of a missing checkpoint or environment and creates no job', () => {
    refused(['explore', '--env', 'sokoban', '--policy', '999', '--tasks', '2'], /^leafe explore: --policy: there is no checkpoint 999 \(no checkpoints yet/)
    refused(['explore', '--env', 'chess', '--policy', 'random', '--tasks', '2'], /^leafe explore: --env: There is no environment "chess" \(known: sokoban, household/)
    refused(['eval', '--env', 'sokoban', '--policies', 'random,7'], /^leafe eval: --policies: there is no checkpoint 7/)
    refused(['train', 'grpo', '--from', '3', '--env', 'sokoban'], /^leafe train: --from: there is no checkpoint 3/)
  })

  it('says what is wrong with a negative number instead of "argument is ambiguous"', () => {
    refused(['explore', '--env', 'sokoban', '--policy', 'random', '--tasks', '-4'], /^leafe explore: --tasks must be a whole number from 1 to 100000 \(got "-4"\)\.$/)
  })

  it('names a mistyped key of a --config file', () => {
    const dir = tempDir()
    const file = join(dir, 'sizes.json')
    writeFileSync(file, JSON.stringify({ evall: { n: 4 } }))
    refused(['quickstart', '--config', file], new RegExp(`^leafe quickstart: --config ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: unknown key "evall"; check the spelling\\.$`), dir)
    writeFileSync(file, JSON.stringify({ eval: { nn: 4 } }))
    refused(['quickstart', '--config', file], /: unknown key "eval\.nn"; check the spelling\.$/, dir)
  })

  it('refuses random play on a remote environment without actions before starting a job', () => {
    const dir = tempDir()
    expect(leafe(['remote', 'add', 'shop', '--url', 'http://127.0.0.1:9', '--profile', 'webshop', '--split', 'test=0:10', '--no-check', '--data-dir', dir]).status).toBe(0)
    refused(['eval', '--env', 'shop', '--policies', 'random', '--tasks', '2'], /^leafe eval: --policies: random play needs actions to choose from, and the remote environment "shop" has no action space/, dir)
  })

  it('exits 1 when every task ended in an error', () => {
    const dir = tempDir()
    expect(leafe(['remote', 'add', 'gone', '--url', 'http://127.0.0.1:9', '--profile', 'alfworld', '--split', 'train=0:10', '--no-check', '--data-dir', dir]).status).toBe(0)
    // Without a critic there the run is refused up front, naming the flag; with one that needs none, every task fails.
    refused(['explore', '--env', 'gone', '--policy', 'random', '--tasks', '2'], /^leafe explore: --reflector: the environment "gone" has no critic; choose self, llm or human\.$/, dir)
    const r = leafe(['explore', '--env', 'gone', '--policy', 'random', '--sampler', 'is', '--tasks', '2', '--data-dir', dir])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/leafe explore: every task ended in an error; first: /)
    expect(r.stdout).toMatch(/ended by errors\s+2/)
  })

  it('says a truncated .gz file is truncated, before any "checking" line', () => {
    const dir = tempDir()
    const line = JSON.stringify({ task_id: 1, text: 'add', code: 'def add(a, b):\n    return a + b', test_list: ['assert add(1, 2) == 3'] })
    const gz = gzipSync(Buffer.from(`${line}\n`.repeat(50)))
    const file = join(dir, 'mbpp.jsonl.gz')
    writeFileSync(file, gz.subarray(0, gz.length - 12))
    const r = leafe(['code', 'import', file, '--format', 'mbpp', '--data-dir', dir])
    expect(r.status).toBe(1)
    expect(r.stderr.trim()).toBe(`leafe code: ${file}: the gzip data ends early (the file is truncated: ${gz.length - 12} bytes; download it again); nothing was imported.`)
  })
})

describe('--help', () => {
  /** The Options block of a --help (run in this process: 18 child processes would take a minute here). */
  async function options(args: string[]): Promise<string[]> {
    const printed: string[] = []
    const log = vi.spyOn(console, 'log').mockImplementation((m: unknown) => void printed.push(String(m)))
    try {
      expect(await main([...args, '--help'])).toBe(0)
    } finally {
      log.mockRestore()
    }
    const text = printed.join('\n')
    expect(text, args.join(' ')).toContain('Options:\n')
    const lines = text.split('Options:\n')[1]!.split('\n').filter(Boolean)
    // Every flag line has a description.
    for (const l of lines) expect(l, `${args.join(' ')}: ${l}`).toMatch(/^\s+(-\w, )?--[\w-]+( \S+)?\s{2,}\S/)
    return lines
  }

  it('lists every flag of a command with its description and default', async () => {
    const explore = await options(['explore'])
    expect(explore.find((l) => l.includes('--budget'))).toMatch(new RegExp(`--budget STEPS\\s+environment steps per task, branches and replays included \\(default: ${DEFAULTS.explore.budget}\\)`))
    expect(explore.find((l) => l.includes('--tasks'))).toMatch(new RegExp(`\\(default: ${DEFAULTS.tasks.explore}\\)`))
    expect(explore.find((l) => l.includes('--preset'))).toMatch(new RegExp(`\\(default: ${DEFAULTS.sokobanPreset}\\)`))
    expect((await options(['eval'])).find((l) => l.includes('--n '))).toMatch(new RegExp(`\\(default: ${DEFAULTS.eval.n}\\)`))
    for (const args of [['quickstart'], ['corpus'], ['serve'], ['status'], ['jobs'], ['env', 'play'], ['env', 'generate'], ['env', 'import'], ['train', 'grpo'], ['train', 'base'], ['train', 'sft'], ['code', 'import'], ['endpoint'], ['remote']]) {
      expect((await options(args)).some((l) => l.includes('--data-dir DIR')), args.join(' ')).toBe(true)
    }
  })
})

describe('third-party noise', () => {
  it('keeps the WebGPU probe quiet: its warning is shown once, in leafe status', () => {
    const r = leafe(['status', '--data-dir', tempDir()])
    expect(r.status).toBe(0)
    expect(r.stderr).not.toMatch(/Vulkan|BackendVk/)
    expect(r.stdout).toMatch(/✗ webgpu: /)
  })

  it('env play counts the moves left', () => {
    const r = leafe(['env', 'play', 'sokoban', '--seed', '3', '--data-dir', tempDir()], 'up\nleft\nquit\n')
    expect(r.stdout).toMatch(/\(29 of 30 moves left\)[\s\S]*\(28 of 30 moves left\)/)
  })
})
