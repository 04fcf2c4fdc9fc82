import { bulkApply, createManualItem, editNote, editTarget, setStatus } from '../core/corpus/curation.ts'
import { corpusCounts, corpusRowsAtNode, getCorpusItem, listCorpus } from '../core/corpus/query.ts'
import type { Engine } from '../core/engine.ts'
import { comparePolicies, evalScopes, passCurves } from '../core/eval/results.ts'
import { answerHumanRequest, pendingHumanRequests, skipHumanRequestChecked } from '../core/explore/human-answers.ts'
import { listCheckpoints } from '../core/store/checkpoints.ts'
import { episodeFacets, episodeTree, listEpisodes, nodeState, transcript } from '../core/store/episodes.ts'
import { listRuns } from '../core/store/runs.ts'
import { quickstartChart } from '../core/quickstart/chart.ts'
import { quickstartSizes } from '../shared/jobs/quickstart.ts'
import { metricsOf } from '../core/train/metrics.ts'
import type { corpusMethods } from './contract-corpus.ts'
import type { evalMethods } from './contract-eval.ts'
import type { runMethods } from './contract-runs.ts'
import type { trainingMethods } from './contract-training.ts'
import type { Service } from './contract.ts'

type DataMethod = keyof typeof runMethods | keyof typeof corpusMethods | keyof typeof trainingMethods | keyof typeof evalMethods | 'quickstart.sizes' | 'quickstart.chart'

/** Binds the data methods (runs, corpus, training, eval contracts; the quickstart's sizes and chart) to the engine's store. */
export function createDataService(engine: Engine): Pick<Service, DataMethod> {
  const db = engine.db
  return {
    'runs.list': async (q) => listRuns(db, q),
    'episodes.list': async ({ filter, offset, limit }) => listEpisodes(db, filter, offset, limit),
    'episodes.facets': async ({ runId }) => episodeFacets(db, runId),
    'episodes.transcript': async ({ id, leafId }) => transcript(db, id, leafId),
    'episodes.tree': async ({ id }) => episodeTree(db, id),
    'episodes.node': async ({ id }) => ({ ...nodeState(db, id), manualItems: corpusRowsAtNode(db, id) }),

    'reflections.pending': async ({ episodeId }) => pendingHumanRequests(db, episodeId),
    'reflections.answer': async ({ id, ...answer }) => answerHumanRequest(db, id, answer),
    'reflections.skip': async ({ id }) => skipHumanRequestChecked(db, id),

    'corpus.list': async ({ filter, sort, offset, limit }) => listCorpus(db, filter, sort, offset, limit),
    'corpus.get': async ({ id }) => getCorpusItem(db, id),
    'corpus.counts': async ({ filter }) => corpusCounts(db, filter),
    'corpus.setStatus': async ({ ids, status }) => ({ changed: setStatus(db, ids, status) }),
    'corpus.editTarget': async ({ id, target }) => {
      await editTarget(db, id, target)
      return getCorpusItem(db, id)
    },
    'corpus.editNote': async ({ id, note }) => {
      editNote(db, id, note)
      return getCorpusItem(db, id)
    },
    'corpus.bulk': async ({ filter, action, expectMatched }) => bulkApply(db, filter, action, expectMatched),
    'corpus.manual': async (input) => getCorpusItem(db, await createManualItem(db, input)),

    'checkpoints.list': async () => listCheckpoints(db),
    'train.metrics': async ({ runId, afterId }) => metricsOf(db, runId, afterId),
    'eval.scopes': async () => evalScopes(db),
    'eval.curves': async ({ scope, policies, resamples, level, seed }) => passCurves(db, scope, policies, { resamples, level, seed }),
    'eval.compare': async ({ scope, a, b }) => comparePolicies(db, scope, a, b),
    'quickstart.sizes': async ({ size, env }) => quickstartSizes(size, env),
    'quickstart.chart': async ({ id }) => quickstartChart(engine.jobs.get(id), engine.opts.dataDir),
  }
}

