/**
 * The `random_forest` and `extra_trees` entries of the learner registry: scikit-learn's forests on
 * the job's binned data. The task, seed and thread budget come from the fit context when the
 * params name none.
 */
import { ParamError } from '../../errors.js'
import type { FitContext, LearnerSpec, ModelState, TrainingData } from '../types.js'
import { growForest, resolveJobs } from './grow-forest.js'
import type { ForestData, TreeConfig } from './grower.js'
import { type ForestKind, ForestModel, type ForestState } from '../../runtime/models/forest.js'
import { forestEnsemble } from './model.js'
import { oobPredictions, oobScore } from './oob.js'
import { type Criterion, extraTreesParams, forestAliases, type ForestParams, randomForestParams } from './params.js'
import { featuresPerSplit, sampleSize } from './sampling.js'
import { checkFitTargets } from '../fit-checks.js'

/** Params completed from the fit context: criterion, max_features, random_state and n_jobs. */
export function resolveForestParams(params: ForestParams, ctx: FitContext): ForestParams {
  const regression = ctx.task === 'regression'
  const criterion: Criterion = params.criterion ?? (regression ? 'squared_error' : 'gini')
  if (regression !== (criterion === 'squared_error')) {
    throw new ParamError(`criterion '${criterion}' does not fit a ${ctx.task} task (use ${regression ? 'squared_error' : 'gini or entropy'})`, { field: 'params.criterion' })
  }
  if (params.oob_score && !params.bootstrap) throw new ParamError('oob_score needs bootstrap: true', { field: 'params.oob_score' })
  if (params.max_samples !== undefined && !params.bootstrap) throw new ParamError('max_samples needs bootstrap: true', { field: 'params.max_samples' })
  return {
    ...params,
    criterion,
    max_features: params.max_features ?? (regression ? 1 : 'sqrt'),
    random_state: params.random_state ?? ctx.seed ?? 0,
    n_jobs: resolveJobs(params.n_jobs, ctx.threads),
  }
}

async function fitForest(kind: ForestKind, data: TrainingData, y: Float64Array, params: ForestParams, ctx: FitContext): Promise<ForestModel> {
  checkFitTargets(y, data.binned.nRows, ctx.rows, ctx)
  const resolved = resolveForestParams(params, ctx)
  const binned = data.binned
  const forestData: ForestData = { codes: binned.codes, stride: binned.rowStride, nFeatures: binned.nFeatures, nBins: binned.nBins, y, rows: ctx.rows ?? null }
  const n = ctx.rows ? ctx.rows.length : binned.nRows
  const classification = ctx.task !== 'regression'
  const config: TreeConfig = {
    nClasses: classification ? ctx.nClasses : 0,
    criterion: resolved.criterion!,
    maxDepth: resolved.max_depth ?? Infinity,
    minSamplesSplit: resolved.min_samples_split,
    minSamplesLeaf: resolved.min_samples_leaf,
    maxFeatures: featuresPerSplit(resolved.max_features!, binned.nFeatures),
    extra: kind === 'extra_trees',
    bootstrap: resolved.bootstrap,
    draws: sampleSize(resolved.max_samples, n),
    randomState: resolved.random_state!,
  }
  const trees = await growForest(forestData, config, resolved.n_estimators, resolved.n_jobs!, { signal: ctx.signal, pools: ctx.pools })
  let oob: number | null = null
  if (resolved.oob_score) {
    const width = classification ? ctx.nClasses : 1
    oob = oobScore(oobPredictions(trees, forestData, config.draws, config.randomState, width), forestData, classification)
  }
  ctx.onProgress?.(resolved.n_estimators, resolved.n_estimators, NaN)
  const ensemble = forestEnsemble(trees, binned.mapper, ctx.task, ctx.nClasses)
  return new ForestModel(kind, ctx.task, ensemble, binned.mapper.featureNames, resolved, oob)
}

/**
 * scikit-learn's RandomForest on binned data: bootstrap samples, best threshold of the sampled
 * features at each split.
 * @example
 * const model = await randomForestLearner.fit(data, y, parseLearnerParams(randomForestLearner, { n_estimators: 200 }),
 *   { task: 'regression', nClasses: 1 })
 */
export const randomForestLearner: LearnerSpec<typeof randomForestParams> = {
  kind: 'random_forest',
  description: "Random forest with scikit-learn's parameters (histogram split search)",
  params: randomForestParams,
  aliases: forestAliases,
  tasks: ['regression', 'binary', 'multiclass'],
  threadParam: 'n_jobs',
  fit: (data, y, params, ctx) => fitForest('random_forest', data, y, params, ctx),
  fromState: (state: ModelState) => ForestModel.fromState(state as ForestState),
}

/**
 * scikit-learn's ExtraTrees on binned data: one random threshold per sampled feature, the best of
 * those taken; every row in every tree unless bootstrap is set.
 * @example
 * const model = await extraTreesLearner.fit(data, y, parseLearnerParams(extraTreesLearner, {}),
 *   { task: 'binary', nClasses: 2, seed: 1 })
 */
export const extraTreesLearner: LearnerSpec<typeof extraTreesParams> = {
  kind: 'extra_trees',
  description: "Extremely randomised trees with scikit-learn's parameters",
  params: extraTreesParams,
  aliases: forestAliases,
  tasks: ['regression', 'binary', 'multiclass'],
  threadParam: 'n_jobs',
  fit: (data, y, params, ctx) => fitForest('extra_trees', data, y, params, ctx),
  fromState: (state: ModelState) => ForestModel.fromState(state as ForestState),
}
