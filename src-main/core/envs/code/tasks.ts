// What a coding task carries in Task.meta — everything the environment needs to grade a
// submission, whether the task is built in or imported — and the built-in tasks as Tasks.
import type { Task } from '../types.ts'
import { languageNames, type Lang } from '../../sandbox/limits.ts'
import { builtinProblems, type Problem } from './builtin-problems.ts'
import { callText, literal, type CodeTest } from './run-tests.ts'

export const CODE_ENV = 'code'

export type CodeTaskMeta = {
  lang: Lang
  /** The function the tests call. */
  entry: string
  /** Shown in the statement; failures come back as feedback with input, expected and actual. */
  visible: CodeTest[]
  /** Decide success: every hidden test must pass. Never shown. */
  hidden: CodeTest[]
  /** A program that passes every test (verified in the sandbox when the task was made). */
  reference: string
  source: 'builtin' | 'mbpp' | 'humaneval' | 'humaneval-x'
  difficulty?: number
  maxTurns?: number
}

export function codeMeta(task: Task): CodeTaskMeta {
  const m = task.meta as CodeTaskMeta | undefined
  if (!m || (m.lang !== 'js' && m.lang !== 'py') || !Array.isArray(m.hidden) || typeof m.entry !== 'string') {
    throw new Error(`Task "${task.id}" is not a coding task: its meta lacks lang, entry or hidden tests.`)
  }
  return m
}

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())

export const entryName = (p: Problem, lang: Lang): string => (lang === 'py' ? p.fn : camel(p.fn))

const WORDS: Record<Lang, Record<string, string>> = {
  py: { None: 'None', True: 'True', False: 'False', list: 'list', dict: 'dictionary' },
  js: { None: 'null', True: 'true', False: 'false', list: 'array', dict: 'plain object' },
}

const ioTest = ([args, expected]: [unknown[], unknown]): CodeTest => ({ kind: 'io', args, expected })

export function builtinTask(p: Problem, index: number, lang: Lang): Task {
  const entry = entryName(p, lang)
  const statement = p.statement.replace(/\{(fn|None|True|False|list|dict)\}/g, (_, w: string) => (w === 'fn' ? entry : WORDS[lang][w]!))
  const params = lang === 'py' ? p.params : p.params.map(camel)
  const signature = lang === 'py' ? `def ${entry}(${params.join(', ')}):` : `function ${entry}(${params.join(', ')})`
  const examples = p.visible.map(([args, expected]) => `  ${callText(entry, args, lang)} → ${literal(expected, lang)}`)
  const instruction = [
    `Write a ${languageNames[lang]} function \`${signature}\`.`,
    '',
    statement,
    '',
    'Examples:',
    ...examples,
  ].join('\n')
  const visible = p.visible.map(ioTest)
  const meta: CodeTaskMeta = {
    lang,
    entry,
    visible,
    hidden: [...visible, ...p.hidden.map(ioTest)],
    reference: lang === 'py' ? p.py : p.js,
    source: 'builtin',
    difficulty: p.difficulty,
  }
  return { env: CODE_ENV, id: `${p.slug}.${lang}`, split: builtinSplit(index), seed: index, instruction, meta }
}

/**
 * Every fourth problem, in difficulty order, is held out for testing: 33 train and 11 test
 * problems, each split spanning all difficulties. Both languages of a problem share its split.
 */
export const builtinSplit = (index: number): 'train' | 'test' => (index % 4 === 3 ? 'test' : 'train')

export function builtinTasks(lang: Lang, split?: string): Task[] {
  return builtinProblems().map((p, i) => builtinTask(p, i, lang)).filter((t) => split === undefined || split === 'all' || t.split === split)
}
