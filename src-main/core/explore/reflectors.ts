import type { Context, Environment, Reflection, Step, Task } from '../envs/types.ts'
import type { Complete, Policy } from '../policies/types.ts'

/** What a reflector sees: the task and the trajectory so far (a_1..a_t with their steps). */
export type ReflectionRequest = {
  task: Task
  initial: Step
  actions: string[]
  steps: Step[]
  /** Whether the trajectory ended in failure (false: a periodic every-K check). */
  failed: boolean
}

/**
 * null: nothing to correct (no step to blame). 'pending': a person will answer later (the
 * exploration goes on with other tasks). Otherwise (tau, e, avoid).
 */
export type ReflectionResult = Reflection | null | 'pending'

export interface Reflector {
  kind: Reflection['source']
  reflect(req: ReflectionRequest): Promise<ReflectionResult>
}

/** The environment's own critic (a solver-backed judge for the built-in environments). */
export function criticReflector(env: Environment): Reflector {
  if (!env.critic) throw new Error(`Environment ${env.id} has no critic; choose another reflector.`)
  const critic = env.critic.bind(env)
  return {
    kind: 'critic',
    reflect: async (req) => (await critic(req.task, req.actions, req.steps)) ?? null,
  }
}

/** The policy's own reflection, for language-model policies that can write one. */
export function selfReflector(policy: Policy): Reflector {
  if (!policy.reflect) throw new Error(`Policy ${policy.id} cannot reflect on its own trajectories; choose the critic or an LLM reflector.`)
  const reflect = policy.reflect.bind(policy)
  return {
    kind: 'self',
    reflect: (req) => reflect(toContext(req)),
  }
}

/** A person answers in the UI; the exploration records a request and goes on. */
export const humanReflector: Reflector = { kind: 'human', reflect: async () => 'pending' }

export function toContext(req: ReflectionRequest): Context {
  return { task: req.task, initial: req.initial, history: req.actions.map((action, i) => ({ action, step: req.steps[i]! })) }
}

// ---------------------------------------------------------------------------------------------
// The LLM reflector: a model asked for (tau, e) — the prompt, strict parsing and retries. The
// model behind `complete` is an endpoint (policies/endpoint.ts: endpointComplete).

export const DEFAULT_REFLECTION_TEMPLATE = `You are reviewing an agent's attempt at a task in an interactive environment.

Task: {{instruction}}

The trajectory, one numbered step per action, with what the environment answered:
{{trajectory}}

{{outcome}}

Find the EARLIEST step whose action made success impossible or was clearly a mistake, and say
what the agent should do instead at that step, grounded in the environment's feedback.
Answer with JSON only, no prose around it:
{"rollback_step": <step number, 1..{{steps}}>, "experience": "<one or two sentences: what went wrong and what to do instead>", "avoid": ["<the mistaken action>"]}`

/** The placeholders a reflection template may use; {{trajectory}} is required. */
export const TEMPLATE_PLACEHOLDERS = ['instruction', 'trajectory', 'outcome', 'steps'] as const

/** The default template for an environment: the general one with what the environment says about its own mistakes. */
export function defaultReflectionTemplate(env: Pick<Environment, 'reflectionGuidance'>): string {
  if (!env.reflectionGuidance) return DEFAULT_REFLECTION_TEMPLATE
  return DEFAULT_REFLECTION_TEMPLATE.replace('{{outcome}}\n', `{{outcome}}\n\n${env.reflectionGuidance}\n`)
}

/** Why a template cannot be used, or null: it must show the trajectory and use only known placeholders. */
export function templateProblem(template: string): string | null {
  if (!template.includes('{{trajectory}}')) return 'the template must contain {{trajectory}}, or the model sees no steps to blame'
  const unknown = [...template.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].map((m) => m[1]!).filter((p) => !(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(p))
  if (unknown.length) return `unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `{{${u}}}`).join(', ')} (known: ${TEMPLATE_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')})`
  return null
}

export function renderReflectionPrompt(req: ReflectionRequest, template = DEFAULT_REFLECTION_TEMPLATE): string {
  const trajectory = [`0. (start) ${req.initial.observation}`]
  req.actions.forEach((a, i) => {
    const s = req.steps[i]!
    // Text worlds answer with one text: shown once when feedback and observation are the same.
    trajectory.push(s.feedback === s.observation ? `${i + 1}. action: ${a}\n   result: ${s.observation}` : `${i + 1}. action: ${a}\n   feedback: ${s.feedback}\n   observation: ${s.observation}`)
  })
  const last = req.steps[req.steps.length - 1]
  const outcome = last?.success ? 'The attempt succeeded.' : req.failed ? 'The attempt FAILED.' : 'The attempt is still going.'
  return template
    .replaceAll('{{instruction}}', req.task.instruction)
    .replaceAll('{{trajectory}}', trajectory.join('\n'))
    .replaceAll('{{outcome}}', outcome)
    .replaceAll('{{steps}}', String(req.actions.length))
}

/**
 * Reads a reflection out of a model's reply, strictly: a JSON object (the first {...} block, so
 * fenced code or a sentence around it are tolerated), tau an integer within the trajectory, a
 * non-empty experience. Anything else is an error with the reason.
 */
export function parseReflectionReply(reply: string, steps: number): { ok: true; reflection: Reflection } | { ok: false; reason: string } {
  const start = reply.indexOf('{')
  const end = reply.lastIndexOf('}')
  if (start < 0 || end <= start) return { ok: false, reason: 'the reply contains no JSON object' }
  let data: unknown
  try {
    data = JSON.parse(reply.slice(start, end + 1))
  } catch (err) {
    return { ok: false, reason: `the JSON does not parse (${(err as Error).message})` }
  }
  const o = data as Record<string, unknown>
  const tau = o.rollback_step ?? o.rollbackStep ?? o.tau
  if (typeof tau !== 'number' || !Number.isInteger(tau)) return { ok: false, reason: 'rollback_step is missing or not an integer' }
  if (tau < 1 || tau > steps) return { ok: false, reason: `rollback_step ${tau} is outside the trajectory (1..${steps})` }
  const e = o.experience
  if (typeof e !== 'string' || e.trim() === '') return { ok: false, reason: 'experience is missing or empty' }
  const avoid = Array.isArray(o.avoid) ? o.avoid.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : []
  return { ok: true, reflection: { rollbackStep: tau, experience: e.trim(), avoid, source: 'llm' } }
}

export type { Complete }

/**
 * A separate model writes the reflection. A malformed reply is retried; after the last attempt
 * the reflection is reported as failed (thrown), which the exploration records and moves past.
 */
export function llmReflector(complete: Complete, opts: { template?: string; attempts?: number } = {}): Reflector {
  const attempts = opts.attempts ?? 3
  return {
    kind: 'llm',
    async reflect(req) {
      const prompt = renderReflectionPrompt(req, opts.template)
      const reasons: string[] = []
      for (let i = 0; i < attempts; i++) {
        const parsed = parseReflectionReply(await complete(prompt, i), req.actions.length)
        if (parsed.ok) return parsed.reflection
        reasons.push(parsed.reason)
      }
      throw new Error(`LLM reflection failed after ${attempts} attempts: ${reasons.join('; ')}`)
    },
  }
}
