/**
 * The `oblivious` entry of the learner registry (CatBoost-style boosting): maps the job's task
 * onto a loss when the params name none, and the job's seed and thread budget onto random_seed
 * and thread_count.
 * @example
 * const params = parseLearnerParams(obliviousLearner, { eta: 0.05, max_depth: 4 })
 * const model = await obliviousLearner.fit(prepareTrainingData(frame), y, params, { task: 'regression', nClasses: 1 })
 */
import { ParamError } from '../../errors.js'
import { ObliviousModel, type ObliviousState } from '../../runtime/models/oblivious.js'
import type { FitContext, LearnerSpec, ModelState, TrainingData } from '../types.js'
import { type ResolvedParams, trainOblivious } from './booster.js'
import { DEFAULT_LOSS, TASK_OF_LOSS } from './losses.js'
import { obliviousAliases, obliviousParams, type ObliviousParams } from './params.js'
import { threadedAccumulate } from './threads.js'

/** Params completed from the fit context: loss, seed and threads. */
export function resolveObliviousParams(params: ObliviousParams, ctx: FitContext): ResolvedParams {
  const loss = params.loss_function ?? DEFAULT_LOSS[ctx.task]
  if (TASK_OF_LOSS[loss] !== ctx.task) throw new ParamError(`loss_function '${loss}' does not fit a ${ctx.task} task`, { field: 'params.loss_function' })
  return {
    ...params,
    cat_features: [...params.cat_features],
    loss_function: loss,
    random_seed: params.random_seed ?? ctx.seed ?? 0,
    thread_count: params.thread_count > 0 ? params.thread_count : (ctx.threads ?? 0),
  }
}

export const obliviousLearner: LearnerSpec<typeof obliviousParams> = {
  kind: 'oblivious',
  description: 'Oblivious-tree boosting with ordered target statistics and CatBoost\'s parameters',
  params: obliviousParams,
  aliases: obliviousAliases,
  tasks: ['regression', 'binary', 'multiclass'],
  threadParam: 'thread_count',
  earlyStopping: {
    enabled: (params) => params.od_type !== undefined || params.od_wait !== undefined,
    rounds: (model) => (model as ObliviousModel).bestIteration + 1,
    fixedRounds: (params, rounds) => ({ ...params, iterations: rounds, od_type: undefined, od_wait: undefined }),
  },
  async fit(data: TrainingData, y: Float64Array, params: ObliviousParams, ctx: FitContext) {
    const resolved = resolveObliviousParams(params, ctx)
    const total = resolved.iterations
    const result = await trainOblivious(data, y, resolved, {
      rows: ctx.rows,
      nClasses: ctx.nClasses,
      evalSet: ctx.evalSet,
      signal: ctx.signal,
      onRound: ctx.onProgress ? (round, value) => ctx.onProgress!(round + 1, total, value) : undefined,
      accumulate: threadedAccumulate(resolved.thread_count, ctx.pools),
    })
    return new ObliviousModel(result.ensemble, TASK_OF_LOSS[resolved.loss_function], resolved.loss_function, result.loss.link, { ...resolved }, result.bestIteration)
  },
  fromState(state: ModelState) {
    return ObliviousModel.fromState(state as ObliviousState)
  },
}
