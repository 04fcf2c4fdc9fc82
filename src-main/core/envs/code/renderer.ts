// How a coding context reads to a policy: the statement, every earlier submission with its
// feedback, the experience when there is one. The compact form is the readable form — the
// built-in small models cannot write Python or JavaScript anyway; the list DSL is their task.
import type { Context, PromptForm, PromptRenderer, Task } from '../types.ts'
import { languageNames, type Lang } from '../../sandbox/limits.ts'
import { DEFAULT_MAX_TURNS } from '../submissions.ts'
import { codeMeta } from './tasks.ts'

const FENCE: Record<Lang, string> = { js: 'javascript', py: 'python' }
const TAGS: Record<Lang, string[]> = { js: ['javascript', 'js', 'node', 'typescript', 'ts'], py: ['python', 'py', 'python3'] }

export const fenced = (code: string, lang: Lang): string => `\`\`\`${FENCE[lang]}\n${code.replace(/\s+$/, '')}\n\`\`\``

/**
 * The program in a model's answer: the last fenced block tagged with the task's language (any
 * language when none is given), else the last untagged one, else the whole text when it has no
 * fence at all.
 */
export function extractProgram(text: string, lang?: Lang): string {
  const blocks = [...text.matchAll(/```([\w+-]*)[^\n]*\n([\s\S]*?)```/g)].map((m) => ({ tag: m[1]!.toLowerCase(), code: m[2]! }))
  const tagged = blocks.filter((b) => (lang ? TAGS[lang].includes(b.tag) : b.tag !== ''))
  const untagged = blocks.filter((b) => b.tag === '')
  const chosen = tagged.at(-1) ?? untagged.at(-1)
  if (chosen) return chosen.code.replace(/\s+$/, '') + '\n'
  return text.trim() ? text.replace(/\s+$/, '') + '\n' : ''
}

export const codeRenderer: PromptRenderer = {
  system(task: Task): string {
    const meta = codeMeta(task)
    const turns = meta.maxTurns ?? DEFAULT_MAX_TURNS
    return [
      `You are an expert ${languageNames[meta.lang]} programmer.`,
      `Solve the task with a complete program that defines the function ${meta.entry}, and reply with the program in one \`\`\`${FENCE[meta.lang]} code block.`,
      `You have up to ${turns} submissions. After each one you see compile and runtime errors and every visible test that fails, with its input, the expected and the actual result; hidden tests decide acceptance.`,
    ].join(' ')
  },

  render(ctx: Context, _form: PromptForm): string {
    const meta = codeMeta(ctx.task)
    const turns = meta.maxTurns ?? DEFAULT_MAX_TURNS
    const parts = [ctx.task.instruction]
    ctx.history.forEach(({ action, step }, i) => {
      parts.push(`Submission ${i + 1}:\n${fenced(extractProgram(action, meta.lang), meta.lang)}\nResult: ${step.feedback}`)
    })
    if (ctx.experience) parts.push(`Advice from reviewing an earlier attempt: ${ctx.experience}`)
    if (ctx.avoid?.length) parts.push('Do not submit a program that already failed again unchanged.')
    parts.push(`Write the complete program (submission ${ctx.history.length + 1} of ${turns}).`)
    return parts.join('\n\n')
  },

  // An action is a program's text. Without the task the language is unknown here, so the
  // canonical form is an untagged fence, which extractProgram reads for either language.
  formatAction(action: string, _form: PromptForm): string {
    return `\`\`\`\n${extractProgram(action).replace(/\s+$/, '')}\n\`\`\``
  },

  parseAction(text: string, _form: PromptForm): string {
    return extractProgram(text) || text
  },
}
