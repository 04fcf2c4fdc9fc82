import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { codeEnvironment as env } from '../../../../src-main/core/envs/code/environment.ts'
import { docExamples, importTaskFile, parseTaskFile } from '../../../../src-main/core/envs/code/import.ts'
import { codeMeta } from '../../../../src-main/core/envs/code/tasks.ts'
import type { Task } from '../../../../src-main/core/envs/types.ts'
import { openStore } from '../../../../src-main/core/store/db.ts'
import { listTaskSets, loadTasks } from '../../../../src-main/core/store/tasks.ts'
import { python } from '../../../fixtures/python.ts'

const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/code/${name}`, import.meta.url))
const datasets = fileURLToPath(new URL('../../../../../shared/datasets/humaneval/', import.meta.url))
const HUMANEVAL = `${datasets}HumanEval.jsonl`
const HUMANEVAL_X = `${datasets}humaneval_js.humanevalx.jsonl.gz`
const haveData = existsSync(HUMANEVAL) && existsSync(HUMANEVAL_X)
if (!haveData) console.warn(`The shared HumanEval files are absent (looked in ${datasets}): the real-file import tests are skipped.`)

async function submit(t: Task, program: string) {
  const s = await env.open(t)
  await s.reset()
  return s.step(program)
}

describe.skipIf(!python)('importing MBPP and HumanEval files', () => {
  it('imports a valid MBPP file (both the original and the sanitized field names)', async () => {
    const { db } = openStore(':memory:')
    const { set, skipped } = await importTaskFile(db, fixture('mbpp-valid.jsonl'), { format: 'mbpp' })
    expect(set).toMatchObject({ name: 'mbpp-valid', env: 'code', split: 'test', source: 'imported', count: 4 })
    expect(set.params).toMatchObject({ format: 'mbpp', lang: 'py', file: 'mbpp-valid.jsonl' })
    expect(skipped).toEqual([])
    const tasks = loadTasks(db, set.id)
    expect(tasks.map((t) => t.id)).toEqual(['mbpp/1', 'mbpp/2', 'mbpp/3', 'mbpp/4'])
    const circle = codeMeta(tasks[2]!)
    expect(circle).toMatchObject({ entry: 'circle_area', source: 'mbpp', lang: 'py' })
    expect(circle.visible).toHaveLength(1)
    expect(circle.hidden).toHaveLength(4) // test_list plus challenge_test_list
    expect(tasks[0]!.instruction).toMatch(/sum of the squares[\s\S]*assert sum_squares\(\[1, 2, 3\]\) == 14/)
    // The imported task works in the environment: a wrong program gets input, expected and actual.
    const step = await submit(tasks[0]!, 'def sum_squares(nums):\n    return sum(nums)\n')
    expect(step.feedback).toContain('Test 1 failed:\n  input:    sum_squares([1, 2, 3])\n  expected: 14\n  actual:   6')
    expect((await submit(tasks[0]!, codeMeta(tasks[0]!).reference)).success).toBe(true)
  })

  it('stops at a broken MBPP line, names it and the reason, and imports nothing', async () => {
    const { db } = openStore(':memory:')
    await expect(importTaskFile(db, fixture('mbpp-bad-json.jsonl'), { format: 'mbpp' })).rejects.toThrow(/^Line 3: not valid JSON \(/)
    await expect(importTaskFile(db, fixture('mbpp-missing-field.jsonl'), { format: 'mbpp' })).rejects.toThrow(
      'Line 2: field "test_list" is missing (MBPP lines need task_id, text, code and test_list).',
    )
    await expect(importTaskFile(db, fixture('mbpp-wrong-reference.jsonl'), { format: 'mbpp' })).rejects.toThrow(
      /^The reference solutions of 1 of 3 tasks do not pass their own tests in the sandbox, so nothing was imported:\n {2}line 3 \(mbpp\/3\): it fails a hidden test \(assert math\.isclose\(circle_area\(1\), 3\.141592653589793\) — assertion failed\)/,
    )
    await expect(importTaskFile(db, fixture('mbpp-valid.jsonl'), { format: 'mbpp', lang: 'js' })).rejects.toThrow(/MBPP tasks are Python/)
    expect(listTaskSets(db)).toEqual([])
  })

  it('imports a valid HumanEval file with docstring examples as visible tests', async () => {
    const { db } = openStore(':memory:')
    const { set } = await importTaskFile(db, fixture('humaneval-valid.jsonl'), { format: 'humaneval', name: 'mine', split: 'train' })
    expect(set).toMatchObject({ name: 'mine', split: 'train', count: 2 })
    const [add, shout] = loadTasks(db, set.id)
    expect(codeMeta(add!).visible).toHaveLength(2) // a trailing comment on the call is fine
    expect(codeMeta(shout!).visible).toHaveLength(1) // the print(...) example is prose, dropped
    const wrong = await submit(add!, 'def add(a, b):\n    return a * b\n')
    expect(wrong.feedback).toContain('Test 1 failed:\n  input:    add(2, 3)\n  expected: 5\n  actual:   6')
  })

  it('stops at a broken HumanEval line and imports nothing', async () => {
    const { db } = openStore(':memory:')
    await expect(importTaskFile(db, fixture('humaneval-missing-entry.jsonl'), { format: 'humaneval' })).rejects.toThrow(
      'Line 2: field "entry_point" is missing (HumanEval lines need task_id, prompt, entry_point, canonical_solution and test).',
    )
    await expect(importTaskFile(db, fixture('humaneval-wrong-reference.jsonl'), { format: 'humaneval' })).rejects.toThrow(
      /line 2 \(Mine\/1\): it fails a hidden test \(shout\('hi'\) — got 'HI', expected 'HI!'\)/,
    )
    expect(listTaskSets(db)).toEqual([])
  })

  it('refuses duplicate ids and taken names', async () => {
    const { db } = openStore(':memory:')
    const line = '{"task_id": "A", "prompt": "def f():\\n", "entry_point": "f", "canonical_solution": "    return 1\\n", "test": "def check(c):\\n    assert c() == 1\\n"}'
    expect(() => parseTaskFile(`${line}\n\n${line}\n`, 'humaneval')).toThrow('Line 3: task_id "A" appears twice (first on line 1).')
    await importTaskFile(db, fixture('humaneval-valid.jsonl'), { format: 'humaneval', name: 'x' })
    await expect(importTaskFile(db, fixture('mbpp-valid.jsonl'), { format: 'mbpp', name: 'x' })).rejects.toThrow(/named "x" already exists/)
  })

  it('turns docstring examples, doctest or prose, into assertions', () => {
    expect(docExamples("    >>> f([1, 2])  # two\n    [2, 1]\n    >>> g(1)\n    1\n    >>> f('')\n    ''\n    \"\"\"", 'f')).toEqual([
      { kind: 'code', code: 'assert (\n    f([1, 2])  # two\n) == (\n    [2, 1]\n)' },
      { kind: 'code', code: "assert (\n    f('')\n) == (\n    ''\n)" },
    ])
    expect(docExamples("    For example:\n    f([1, (2)]) ==> 3\n    f('a)') ➞ 'b'.\n    g(1) == 2\n", 'f')).toEqual([
      { kind: 'code', code: 'assert (\n    f([1, (2)])\n) == (\n    3\n)' },
      { kind: 'code', code: "assert (\n    f('a)')\n) == (\n    'b'\n)" },
    ])
  })
})

describe.skipIf(!haveData)('the real HumanEval files', () => {
  it.skipIf(!python)('imports all 164 HumanEval problems: every canonical solution passes in the sandbox', { timeout: 300_000 }, async () => {
    const { db } = openStore(':memory:')
    const { set, skipped } = await importTaskFile(db, HUMANEVAL, { format: 'humaneval' })
    expect(set.count).toBe(164)
    expect(skipped).toEqual([])
    const tasks = loadTasks(db, set.id)
    // Docstring examples that the canonical solution passes become visible tests (measured: 127 of 164 tasks, 359 examples).
    expect(tasks.filter((t) => codeMeta(t).visible.length > 0).length).toBeGreaterThan(100)
    const first = tasks[0]!
    expect(first.id).toBe('HumanEval/0')
    const wrong = await submit(first, 'def has_close_elements(numbers, threshold):\n    return False\n')
    expect(wrong.success).toBe(false)
  })

  it('HumanEval-X JavaScript: a failed console.assert fails the test, so the 4 broken canonical solutions stop the import', { timeout: 300_000 }, async () => {
    const { db } = openStore(':memory:')
    const err = await importTaskFile(db, HUMANEVAL_X, { format: 'humaneval-x' }).then(
      () => null,
      (e: Error) => e.message,
    )
    expect(err).toMatch(/^The reference solutions of 4 of 164 tasks do not pass their own tests in the sandbox, so nothing was imported:/)
    for (const line of ['line 33 (JavaScript/32)', 'line 113 (JavaScript/112)', 'line 156 (JavaScript/155)', 'line 163 (JavaScript/162)']) expect(err).toContain(line)
    expect(listTaskSets(db)).toEqual([])

    const { set, skipped } = await importTaskFile(db, HUMANEVAL_X, { format: 'humaneval-x', skipFailing: true })
    expect(set.count).toBe(160)
    expect(skipped.map((s) => s.id)).toEqual(['JavaScript/32', 'JavaScript/112', 'JavaScript/155', 'JavaScript/162'])
    expect(set.params.skipped).toEqual(['JavaScript/32', 'JavaScript/112', 'JavaScript/155', 'JavaScript/162'])
    const t0 = loadTasks(db, set.id)[0]!
    expect(codeMeta(t0)).toMatchObject({ lang: 'js', entry: 'hasCloseElements' })
    // A wrong solution: Node would only print the failed assertions; here they fail the task.
    const wrong = await submit(t0, '```javascript\nconst hasCloseElements = (numbers, threshold) => false\n```')
    expect(wrong.success).toBe(false)
    expect(wrong.feedback).toContain('Test 1 failed:\n  input:    hasCloseElements([1.0, 2.8, 3.0, 4.0, 5.0, 2.0], 0.3)\n  expected: true\n  actual:   false')
    const right = await submit(t0, codeMeta(t0).reference)
    expect(right.success).toBe(true)
  })
})
