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
  rec.dropUnfinishedEpisodes(db, runId)
  const finished = rec.finishedTaskKeys(db, runId)
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
  const previous = (db.prepare(`SELECT summary FROM runs WHERE id = ?`).get(runId) as { summary: string | null }).summary
  const totals = { solved: 0, first: 0, branch: 0, events: 0, steps: 0, replay: 0, cf: 0, reh: 0, ...(previous ? JSON.parse(previous).partial ?? {} : {}) }
  ctx.progress(finished.size * config.budget, tasks.length * config.budget, `${finished.size}/${tasks.length} tasks done before this start`)
  try {
    await explore({
      db, runId, env, policy, reflector, config, tasks: todo, signal: ctx.signal,
      onProgress: (p) =>
        ctx.progress(
          (finished.size * config.budget) + p.stepsUsed,
          tasks.length * config.budget,
          `${finished.size + p.tasksDone}/${tasks.length} tasks · ${totals.solved} solved · ${totals.events} branch events`,
        ),
      onTaskDone: (o) => {
        totals.solved += o.solved ? 1 : 0
        totals.first += o.solvedAtFirstAttempt ? 1 : 0
        totals.branch += o.solvedByBranch ? 1 : 0
        totals.events += o.branchEvents
        totals.steps += o.budgetUsed
        totals.replay += o.replaySteps
        if (config.corpus.build) {
          const items = buildCorpusItems(o, env, { runId, seed: config.seed, ...config.corpus })
          // Counted as inserted: an item identical to one already in the corpus is not a new one.
          totals.cf += insertCorpusItems(db, items.filter((i) => i.kind === 'cf'))
          totals.reh += insertCorpusItems(db, items.filter((i) => i.kind === 'reh'))
        }
        // Keep the running totals with the run, so a resumed run's summary counts every task.
        db.prepare(`UPDATE runs SET summary = ? WHERE id = ?`).run(JSON.stringify({ partial: totals }), runId)
      },
    })
  } catch (err) {
    rec.finishRun(db, runId, err instanceof JobCancelled ? 'cancelled' : 'failed', { partial: totals, error: (err as Error).message })
    throw err
  } finally {
    await policy.close?.()
  }
  const summary: ExploreSummary = {
    runId,
    taskSet: set.name,
    tasks: tasks.length,
    solved: totals.solved,
    solvedAtFirstAttempt: totals.first,
    solvedByBranch: totals.branch,
    branchEvents: totals.events,
    corpusItems: { cf: totals.cf, reh: totals.reh },
    stepsUsed: totals.steps,
    replaySteps: totals.replay,
    seconds: (Date.now() - started) / 1000,
  }
  rec.finishRun(db, runId, 'done', summary)
  return summary
}
