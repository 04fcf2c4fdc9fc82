// The built-in programming problems, written for this project, are data: resources/code-problems/
// holds problems.json (each problem's name, difficulty 1–5, function, statement and input/output
// cases, in task order) and each problem's JavaScript and Python reference solution as
// <slug>.js and <slug>.py. `visible` cases are shown in the statement; the hidden tests are all
// cases, visible ones included, so an accepted program also passes what it was shown.
//
// Statements use {fn} for the function's name, and {None} {True} {False} {list} {dict} for the
// words that differ between the languages.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { resourcePath } from '../../paths.ts'

/** [arguments, expected result] */
const Case = z.tuple([z.array(z.unknown()), z.unknown()])
export type Case = z.infer<typeof Case>

const ProblemEntry = z
  .object({
    slug: z.string().regex(/^[a-z0-9-]+$/, 'use lower-case letters, digits and "-"'),
    difficulty: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]),
    /** The Python name (snake_case); JavaScript uses its camelCase form. */
    fn: z.string().regex(/^[a-z][a-z0-9_]*$/),
    params: z.array(z.string().min(1)),
    statement: z.string().min(1),
    visible: z.array(Case),
    hidden: z.array(Case),
  })
  .strict()

export type Problem = z.infer<typeof ProblemEntry> & { py: string; js: string }

/** The problems in a folder laid out as resources/code-problems/ is; a bad file is named with what is wrong. */
export function loadProblems(dir: string): Problem[] {
  const read = (file: string) => {
    try {
      return readFileSync(join(dir, file), 'utf8')
    } catch (err) {
      throw new Error(`Cannot read the built-in coding problem file ${join(dir, file)}: ${(err as Error).message}`)
    }
  }
  const text = read('problems.json')
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new Error(`${join(dir, 'problems.json')}: ${(err as Error).message}`)
  }
  const parsed = z.array(ProblemEntry).safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new Error(`${join(dir, 'problems.json')}: ${issue.path.join('.')}: ${issue.message}`)
  }
  return parsed.data.map((p) => ({ ...p, py: read(`${p.slug}.py`), js: read(`${p.slug}.js`) }))
}

let loaded: Problem[] | undefined

/** The built-in problems in task order, read once from resources/code-problems/. */
export function builtinProblems(): Problem[] {
  loaded ??= loadProblems(resourcePath('code-problems'))
  return loaded
}
