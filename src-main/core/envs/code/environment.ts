// The multi-turn coding environment (id "code"): a task is a statement, an entry point, visible
// and hidden tests; each step submits a whole program, run in the sandbox. Built-in tasks come
// from tasks(); imported task sets (MBPP, HumanEval) are stored Tasks whose meta says the same.
import { EngineError } from '../../errors.ts'
import { describeSandbox, planFor } from '../../sandbox/isolation.ts'
import { languageNames, type Lang } from '../../sandbox/limits.ts'
import { deriveSeed, Random } from '../../random.ts'
import type { Environment, EnvStatus, Task } from '../types.ts'
import { codeCritic } from './critic.ts'
import { codeRenderer } from './renderer.ts'
import { codeSession } from './session.ts'
import { builtinTasks, CODE_ENV, codeMeta } from './tasks.ts'

const SPLITS = ['train', 'test', 'all']

export const codeEnvironment: Environment = {
  id: CODE_ENV,
  label: 'Coding: JavaScript and Python with test feedback',

  /** The built-in problems; params.lang picks the language ('js' by default), params.maxTurns the turn limit. */
  tasks(split, count, seed, params = {}) {
    const lang = (params.lang ?? 'js') as Lang
    if (lang !== 'js' && lang !== 'py') throw new EngineError('bad_request', `The code environment's lang must be "js" or "py" (got ${JSON.stringify(params.lang)}).`)
    if (!SPLITS.includes(split)) throw new EngineError('bad_request', `The built-in coding tasks have splits ${SPLITS.join(', ')} (got "${split}").`)
    const maxTurns = params.maxTurns
    const all = builtinTasks(lang, split).map((t) => (maxTurns ? { ...t, meta: { ...t.meta, maxTurns } } : t))
    return new Random(deriveSeed(seed, CODE_ENV, split)).shuffle(all).slice(0, Math.max(0, count))
  },

  async open(task: Task) {
    const meta = codeMeta(task)
    try {
      await planFor(meta.lang)
    } catch (err) {
      throw new EngineError('bad_request', `Cannot run ${languageNames[meta.lang]} task "${task.id}": ${(err as Error).message}`)
    }
    return codeSession(meta)
  },

  /** The task's reference solution, submitted once. */
  async expert(task: Task) {
    return [codeMeta(task).reference]
  },

  critic: codeCritic,
  renderer: codeRenderer,

  /** details.js / details.py: each language's isolation (level, measured guards, summary) or why it is unavailable. */
  async status(): Promise<EnvStatus> {
    const d = await describeSandbox()
    const line = (lang: Lang) => `${languageNames[lang]}: ${d[lang].available ? d[lang].summary : `unavailable — ${d[lang].summary}`}`
    return { available: d.js.available, summary: `${line('js')}\n${line('py')}`, details: { js: d.js, py: d.py } }
  },
}
