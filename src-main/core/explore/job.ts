// The `explore` job: one exploration run in a worker thread — resolves the tasks, builds the
// policy and reflector, runs the sampler, builds the corpus items as tasks finish, and records a
// summary. Resumable: a crash leaves finished tasks in place and explores the rest again.
import { buildCorpusItems } from '../corpus/build.ts'
import { insertCorpusItems } from '../corpus/curation.ts'
import { getEnvironment } from '../envs/registry.ts'
import { resolveTasks } from '../envs/tasksets.ts'
import { JobCancelled, type JobContext } from '../jobs/types.ts'
import { createPolicy } from '../policies/factory.ts'
import { ExploreConfig } from './config.ts'
import { explore } from './engine.ts'
import * as rec from './recorder.ts'
import { criticReflector, humanReflector, selfReflector, type Reflector } from './reflectors.ts'

export type ExploreSummary = {
  runId: number
  taskSet: string
  tasks: number
  solved: number
  solvedAtFirstAttempt: number
  solvedByBranch: number
  branchEvents: number
  corpusItems: { cf: number; reh: number }
  stepsUsed: number
  replaySteps: number
  seconds: number
}

export async function run(ctx: JobContext<unknown>): Promise<ExploreSummary> {
  const config = ExploreConfig.parse((ctx.params as { config: unknown }).config)
  const db = ctx.db()
  const env = getEnvironment(config.env)
  const { set, tasks: all } = resolveTasks(db, env, config.tasks)
  const tasks = config.limit ? all.slice(0, config.limit) : all

  const saved = ctx.state as { runId?: number } | null
  const runId = saved?.runId ?? rec.createRun(db, 'explore', `${config.sampler} · ${set.name}`, { ...config, taskSetName: set.name }, ctx.jobId)
  ctx.saveState({ runId })
  rec.dropUnfinishedTasks(db, runId)
  const finished = rec.finishedTasks(db, runId)
  const todo = tasks.filter((t) => !finished.has(t.id))

  const policy = await createPolicy(config.policy, env, { dataDir: ctx.dataDir })
  let reflector: Reflector | null = null
  if (config.sampler !== 'is') {
    if (config.reflector === 'critic') reflector = criticReflector(env)
    else if (config.reflector === 'self') reflector = selfReflector(policy)
    else if (config.reflector === 'human') reflector = humanReflector
    else throw new Error('The llm reflector needs an endpoint; configure one (see Settings) — not available in this build.')
  }

  const started = Date.now()
  let solvedSoFar = [...finished.values()].filter((o) => o.solved).length
  let eventsSoFar = [...finished.values()].reduce((a, o) => a + (o.branchEvents ?? 0), 0)
  ctx.progress(finished.size * config.budget, tasks.length * config.budget, `${finished.size}/${tasks.length} tasks done before this start`)
  try {
    await explore({
      db, runId, env, policy, reflector, config, tasks: todo, signal: ctx.signal,
      onProgress: (p) =>
        ctx.progress(
          finished.size * config.budget + p.stepsUsed,
          tasks.length * config.budget,
          `${finished.size + p.tasksDone}/${tasks.length} tasks · ${solvedSoFar} solved · ${eventsSoFar} branch events`,
        ),
      onTaskDone: (o) => {
        solvedSoFar += o.solved ? 1 : 0
        eventsSoFar += o.branchEvents
        if (!config.corpus.build) return { solved: +o.solved, cf: 0, reh: 0 }
        const items = buildCorpusItems(o, env, { runId, seed: config.seed, ...config.corpus })
        // Counted as inserted: an item identical to one already in the corpus is not a new one.
        const cf = insertCorpusItems(db, items.filter((i) => i.kind === 'cf'))
        const reh = insertCorpusItems(db, items.filter((i) => i.kind === 'reh'))
        return { solved: +o.solved, cf, reh }
      },
    })
  } catch (err) {
    rec.finishRun(db, runId, err instanceof JobCancelled ? 'cancelled' : 'failed', { error: (err as Error).message })
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
    seconds: (Date.now() - started) / 1000,
  }
  rec.finishRun(db, runId, 'done', summary)
  return summary
}
