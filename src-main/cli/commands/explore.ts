import { hasSeededSplits } from '../../core/envs/registry.ts'
import { MAX_TRAINING_SEED } from '../../core/envs/splits.ts'
import { ExploreConfig, type ExploreConfigInput } from '../../shared/jobs/explore.ts'
import { BASE_DEFAULTS } from '../../shared/jobs/train.ts'
import { doneJobResult } from '../../shared/jobs/kinds.ts'
import { bool, intFlag, parse, policyFlag, str, UsageError } from '../args.ts'
import type { Command } from '../command.ts'
import { openEngine } from '../engine.ts'
import { configUsage, jobProblem, runJobWithProgress } from '../jobs.ts'
import { DEFAULTS } from '../../shared/defaults.ts'

export const exploreCommand: Command = {
  name: 'explore',
  summary: 'LEAFE Stage 1 exploration (or the IS / IR samplers) on a task set; builds the corpus.',
  usage:
    '--env ENV --policy random|CHECKPOINT_ID|endpoint:NAME[/MODEL] [--sampler leafe|is|ir] [--reflector critic|self|llm|human] ' +
    '[--reflector-endpoint NAME[/MODEL]] [--tasks N] ' +
    '[--split train] [--seed S] [--task-set NAME] [--preset P] [--budget STEPS] [--max-depth D] [--branches B] ' +
    '[--every-k K] [--temperature T] [--rollback auto|replay|snapshot] [--experience-code full|diagnosis|none] [--budget-counts env_steps|actions] [--json]',
  async run(argv) {
    const { values } = parse(argv, {
      env: str('ENV', 'the environment (leafe env list)'),
      policy: str('POLICY', '"random", a checkpoint id or "endpoint:NAME[/MODEL]"'),
      sampler: str('S', 'leafe (branch at τ), is (independent tries) or ir (retries with e)', 'leafe'),
      reflector: str('R', 'critic, self, llm or human (answered in the Tree view)', 'critic'),
      'reflector-endpoint': str('NAME[/MODEL]', "the llm reflector's endpoint", "the policy's endpoint"),
      tasks: str('N', 'how many generated tasks (or the first N of --task-set)', DEFAULTS.tasks.explore),
      split: str('SPLIT', 'train, valid or test', 'train'),
      seed: str('S', 'the task seed and the run seed', 0),
      'task-set': str('NAME', 'a stored task set instead of generated tasks'),
      preset: str('P', 'Sokoban room preset', DEFAULTS.sokobanPreset),
      budget: str('STEPS', 'environment steps per task, branches and replays included', DEFAULTS.explore.budget),
      'max-depth': str('D', 'generations of branches below the first rollout', DEFAULTS.explore.maxDepth),
      branches: str('B', 'revised actions tried per reflection', DEFAULTS.explore.branchesPerEvent),
      'every-k': str('K', 'also reflect every K steps', 'only on failure'),
      temperature: str('T', 'sampling temperature', DEFAULTS.explore.temperature),
      rollback: str('MODE', 'auto, replay or snapshot', 'auto'),
      json: bool('print the summary as JSON'),
      'experience-code': str('FORM', "what the compact prompt's experience code carries: full, diagnosis (no fix) or none", 'full'),
      'budget-counts': str('WHAT', 'env_steps (replays included) or actions', 'env_steps'),
    })
    if (!values.env) throw new UsageError('--env is required (e.g. --env sokoban).')
    if (!values.policy) throw new UsageError('--policy is required: "random", a checkpoint id or "endpoint:NAME[/MODEL]".')
    const policy = policyFlag(values.policy, 'policy')
    const llm = values['reflector-endpoint'] ? policyFlag(`endpoint:${values['reflector-endpoint']}`, 'reflector-endpoint') : undefined
    const count = intFlag(values.tasks, 'tasks', 1, 100_000) ?? DEFAULTS.tasks.explore
    const input: ExploreConfigInput = {
      env: values.env,
      tasks: values['task-set']
        ? { taskSet: values['task-set'] }
        : (values.split ?? 'train') === 'train' && hasSeededSplits(values.env)
          ? // Generated training levels: the seed's exploration slice, none of it a level its base (default size) trained on.
            { split: 'train', role: 'explore', count, seed: intFlag(values.seed, 'seed', 0, MAX_TRAINING_SEED) ?? 0, params: values.preset ? { preset: values.preset } : {}, after: { base: BASE_DEFAULTS.tasks } }
          : { split: values.split ?? 'train', count, seed: intFlag(values.seed, 'seed', 0, 2 ** 31) ?? 0, params: values.preset ? { preset: values.preset } : {} },
      ...(values['task-set'] && values.tasks ? { limit: count } : {}),
      policy,
      ...(values.sampler ? { sampler: values.sampler as 'leafe' } : {}),
      ...(values.reflector ? { reflector: values.reflector as 'critic' } : {}),
      ...(values.budget ? { budget: intFlag(values.budget, 'budget', 1, 1_000_000) } : {}),
      ...(values['max-depth'] ? { maxDepth: intFlag(values['max-depth'], 'max-depth', 0, 1000) } : {}),
      ...(values.branches ? { branchesPerEvent: intFlag(values.branches, 'branches', 1, 16) } : {}),
      ...(values['every-k'] ? { trigger: { everyK: intFlag(values['every-k'], 'every-k', 1, 10_000)!, onFailure: true } } : {}),
      ...(values.temperature ? { temperature: Number(values.temperature) } : {}),
      ...(values.rollback ? { rollback: values.rollback as 'auto' } : {}),
      ...(values['experience-code'] ? { experienceCode: values['experience-code'] as 'full' } : {}),
      ...(values['budget-counts'] ? { budgetCounts: values['budget-counts'] as 'env_steps' } : {}),
      ...(values.seed ? { seed: intFlag(values.seed, 'seed', 0, 2 ** 31) } : {}),
      ...(llm?.kind === 'endpoint' ? { llm: { endpoint: llm.endpoint, ...(llm.model ? { model: llm.model } : {}) } } : {}),
    }
    const parsed = ExploreConfig.safeParse(input)
    if (!parsed.success) throw configUsage(parsed.error)
    const engine = openEngine(values['data-dir'])
    try {
      const job = await runJobWithProgress(engine, 'explore', { config: parsed.data }, `explore ${parsed.data.env}`)
      const problem = jobProblem(job)
      if (problem) {
        console.error(problem)
        return 1
      }
      const s = doneJobResult(job, 'explore')
      if (values.json) console.log(JSON.stringify(job.result, null, 2))
      else
        console.log(
          [
            `run ${s.runId} on ${s.taskSet}: ${s.tasks} tasks, ${parsed.data.sampler} sampler, budget ${parsed.data.budget} steps per task`,
            `  solved at the first attempt  ${s.solvedAtFirstAttempt}`,
            `  solved by a branch           ${s.solvedByBranch}`,
            `  solved in all                ${s.solved} / ${s.tasks}`,
            `  branch events                ${s.branchEvents}`,
            `  corpus items created         ${s.corpusItems.cf} D_cf, ${s.corpusItems.reh} D_reh`,
            `  steps ${s.stepsUsed} against the budget (${s.replaySteps} replayed) in ${s.seconds.toFixed(1)} s`,
            ...(s.codes.withFix ? [`  experience codes followed     ${s.codes.followedFix} of ${s.codes.withFix} decisions shown a fix`] : []),
            ...(s.failedReflections ? [`  reflections that failed      ${s.failedReflections} (recorded with the reason; no branch)`] : []),
            ...(s.errors ? [`  ended by errors              ${s.errors} (episodes marked 'error'; first: ${s.errorTasks[0]!.task}: ${s.errorTasks[0]!.message})`] : []),
          ].join('\n'),
        )
      // A run in which every task ended in an error explored nothing: that is a failure.
      if (s.tasks > 0 && s.errors >= s.tasks) {
        console.error(`leafe explore: every task ended in an error; first: ${s.errorTasks[0]?.task}: ${s.errorTasks[0]?.message}`)
        return 1
      }
      return 0
    } finally {
      await engine.close()
    }
  },
}
