// The `explore` job: one exploration run in a worker thread — resolves the tasks, builds the
// policy and reflector, runs the sampler, builds the corpus items as tasks finish, and records a
// summary. Resumable: a crash leaves finished tasks in place and explores the rest again.
import { buildCorpusItems } from '../corpus/build.ts'
import { insertCorpusItems } from '../corpus/curation.ts'
import { EndpointClient } from '../endpoints/client.ts'
import { resolveApiKey } from '../endpoints/keys.ts'
import { getEndpoint } from '../endpoints/store.ts'
import { resolveEnvironment } from '../envs/resolve.ts'
import { resolveTasks } from '../envs/tasksets.ts'
import type { Environment } from '../envs/types.ts'
import type { JobContext } from '../jobs/types.ts'
import { closeRun, failRun, openRun } from '../jobs/runs.ts'
import { endpointComplete } from '../policies/endpoint.ts'
import { createPolicy, pinPolicySpec } from '../policies/factory.ts'
import type { Policy } from '../policies/types.ts'
import type { DB } from '../store/db.ts'
import { ExploreParams, type ExploreConfig, type PolicySpec } from '../../shared/jobs/explore.ts'
import { savedJobState } from '../../shared/jobs/kinds.ts'
import { explore } from './explore-loop.ts'
import { envPrompts } from './env-prompts.ts'
import * as rec from './recorder.ts'
import { waitingMessage } from '../../shared/job-state.ts'
import { criticReflector, humanReflector, llmReflector, selfReflector, type Reflector } from './reflectors.ts'

import { ExploreSummary } from '../../shared/jobs/explore.ts'
export type { ExploreSummary }

/** How many fault reasons a summary keeps; the count covers them all. */
const ERRORS_KEPT = 20

/** What a run fixes at its first start and keeps when resumed: the models it asks and the reflection template. */
type Pinned = { policy: PolicySpec; llm: { endpoint: string; model: string } | null; template: string | null }

export async function run(ctx: JobContext<unknown>): Promise<ExploreSummary> {
  const config = ExploreParams.parse(ctx.params).config
  const db = ctx.db()
  const env = resolveEnvironment(db, config.env)
  const { set, tasks: all } = resolveTasks(db, env, config.tasks)
  const tasks = config.limit ? all.slice(0, config.limit) : all

  const saved = savedJobState('explore', ctx.state)
  const pinned: Pinned = saved?.policy ? { policy: saved.policy, llm: saved.llm ?? null, template: saved.template ?? null } : pin(db, config, env)
  // Policy and reflector first: a run is recorded only once it can actually start.
  const policy = await createPolicy(pinned.policy, env, { dataDir: ctx.dataDir, db })
  let reflector: Reflector | null
  try {
    reflector = buildReflector(db, config, pinned, env, policy)
  } catch (err) {
    await policy.close?.()
    throw err
  }
  const runId =
    openRun(ctx, { resume: saved?.runId, kind: 'explore', name: `${config.sampler} · ${set.name}`, config: { ...config, policy: pinned.policy, taskSetName: set.name, llmModel: pinned.llm, reflectionTemplate: pinned.template } })
  ctx.saveState({ runId, ...pinned })
  rec.dropUnfinishedTasks(db, runId)
  const finished = rec.finishedTasks(db, runId)
  const todo = tasks.filter((t) => !finished.has(t.id))

  const started = Date.now()
  // Tasks finished before this start, plus the live counts of this one (branch events as they are made).
  const solvedBefore = [...finished.values()].filter((o) => o.solved).length
  const eventsBefore = [...finished.values()].reduce((a, o) => a + (o.branchEvents ?? 0), 0)
  ctx.progress(finished.size * config.budget, tasks.length * config.budget, `${finished.size}/${tasks.length} tasks done before this start`)
  try {
    await explore({
      db, runId, env, policy, reflector, config, tasks: todo, signal: ctx.signal,
      onProgress: (p) => {
        const line = `${finished.size + p.tasksDone}/${tasks.length} tasks · ${solvedBefore + p.solved} solved · ${eventsBefore + p.branchEvents} branch events`
        ctx.progress(finished.size * config.budget + p.stepsUsed, tasks.length * config.budget, p.waitingForYou > 0 ? waitingMessage(p.waitingForYou, line) : line)
      },
      onTaskDone: (o) => {
        if (o.error) ctx.log(`${o.task.id}: ${o.error}`)
        if (!config.corpus.build) return { solved: +o.solved, cf: 0, reh: 0 }
        const items = buildCorpusItems(o, env, { runId, seed: config.seed, ...config.corpus })
        // Counted as inserted: an item identical to one already in the corpus is not a new one.
        const cf = insertCorpusItems(db, items.filter((i) => i.kind === 'cf'))
        const reh = insertCorpusItems(db, items.filter((i) => i.kind === 'reh'))
        return { solved: +o.solved, cf, reh }
      },
    })
  } catch (err) {
    failRun(ctx, runId, err)
    throw err
  } finally {
    await policy.close?.()
  }
  const outcomes = [...rec.finishedTasks(db, runId).values()]
  const sum = (k: string) => outcomes.reduce((a, o) => a + (o[k] ?? 0), 0)
  const summary: ExploreSummary = {
    runId,
    taskSet: set.name,
    tasks: tasks.length,
    solved: sum('solved'),
    solvedAtFirstAttempt: sum('solvedAtFirstAttempt'),
    solvedByBranch: sum('solvedByBranch'),
    branchEvents: sum('branchEvents'),
    corpusItems: { cf: sum('cf'), reh: sum('reh') },
    stepsUsed: sum('steps'),
    replaySteps: sum('replaySteps'),
    codes: { shown: sum('codesShown'), withFix: sum('codesWithFix'), followedFix: sum('codesFollowed') },
    branchFix: { branches: sum('branchesWithFix'), tookFix: sum('branchesTookFix') },
    errors: sum('errors'),
    errorTasks: ExploreSummary.shape.errorTasks.parse(
      db.prepare(`SELECT task_key AS task, error AS message FROM episodes WHERE run_id = ? AND status = 'error' ORDER BY id LIMIT ?`).all(runId, ERRORS_KEPT),
    ),
    failedReflections: (
      db
        .prepare(`SELECT COUNT(*) AS n FROM branch_events b JOIN episodes e ON e.id = b.episode_id WHERE e.run_id = ? AND b.outcome = 'error' AND b.child_node_id IS NULL AND b.tau = 0`)
        .get(runId) as { n: number }
    ).n,
    seconds: (Date.now() - started) / 1000,
  }
  return closeRun(ctx, runId, summary)
}

/** The models a run asks (an endpoint's current model when the config names none) and the reflection template it uses. */
function pin(db: DB, config: ExploreConfig, env: Environment): Pinned {
  const policy = pinPolicySpec(db, config.policy)
  const usesLlm = config.sampler !== 'is' && (config.reflector === 'llm' || (config.reflector === 'self' && policy.kind === 'endpoint'))
  // A local model reflecting on itself reads the same template (a byte-level one cannot reflect and is refused later).
  if (config.sampler !== 'is' && config.reflector === 'self' && policy.kind === 'checkpoint') return { policy, llm: null, template: config.llm?.template ?? envPrompts(db, env).reflectionTemplate }
  if (!usesLlm) return { policy, llm: null, template: null }
  const template = config.llm?.template ?? envPrompts(db, env).reflectionTemplate
  if (config.reflector === 'self' || !config.llm) {
    // The policy's own endpoint reflects (superRefine guarantees an endpoint policy here).
    const p = policy as Extract<PolicySpec, { kind: 'endpoint' }>
    return { policy, llm: { endpoint: p.endpoint, model: p.model! }, template }
  }
  return { policy, llm: { endpoint: config.llm.endpoint, model: config.llm.model ?? getEndpoint(db, config.llm.endpoint).model }, template }
}

function buildReflector(db: DB, config: ExploreConfig, pinned: Pinned, env: Environment, policy: Policy): Reflector | null {
  if (config.sampler === 'is') return null
  if (config.reflector === 'critic') return criticReflector(env)
  if (config.reflector === 'human') return humanReflector
  if (config.reflector === 'self' && !pinned.llm) {
    // An imported model writes (tau, e) itself, through the LLM reflector's template and parser.
    if (policy.completer) {
      const opts = config.llm ?? { attempts: 3, temperature: 0.7, maxTokens: 512 }
      const complete = policy.completer({ temperature: opts.temperature, maxTokens: opts.maxTokens, seed: config.seed })
      return { ...llmReflector(complete, { template: pinned.template ?? envPrompts(db, env).reflectionTemplate, attempts: opts.attempts }), kind: 'self' }
    }
    return selfReflector(policy)
  }
  // 'llm', or 'self' with a served policy: the endpoint is asked with the environment's template.
  const endpoint = getEndpoint(db, pinned.llm!.endpoint)
  const client = new EndpointClient(endpoint, resolveApiKey(endpoint).key)
  const opts = config.llm ?? { attempts: 3, temperature: 0.7, maxTokens: 512 }
  const complete = endpointComplete(client, { model: pinned.llm!.model, temperature: opts.temperature, maxTokens: opts.maxTokens, seed: config.seed })
  const reflector = llmReflector(complete, { template: pinned.template!, attempts: opts.attempts })
  return config.reflector === 'self' ? { ...reflector, kind: 'self' } : reflector
}
