/**
 * The `gbdt` entry of the learner registry: maps the job's task onto an XGBoost objective when the
 * params name none, and the job's seed and thread budget onto `seed` and `nthread`.
 */
import { ParamError } from '../../errors.js'
import type { Task } from '../../task.js'
import type { FitContext, LearnerSpec, ModelState, TrainingData } from '../types.js'
import { boost } from './booster.js'
import { GbdtModel, type GbdtState } from '../../runtime/models/gbdt.js'
import { gbdtModel } from './model.js'
import { gbdtAliases, gbdtParams, type GbdtParams, gbdtRequires, type ObjectiveName } from './params.js'

const TASK_OF: Record<ObjectiveName, Task> = {
  'reg:squarederror': 'regression',
  'reg:pseudohubererror': 'regression',
  'reg:absoluteerror': 'regression',
  'count:poisson': 'regression',
  'binary:logistic': 'binary',
  'multi:softprob': 'multiclass',
}

const DEFAULT_OBJECTIVE: Record<Task, ObjectiveName> = {
  regression: 'reg:squarederror',
  binary: 'binary:logistic',
  multiclass: 'multi:softprob',
}

/** Params completed from the fit context: objective, num_class, seed and threads. */
export function resolveGbdtParams(params: GbdtParams, ctx: FitContext): GbdtParams {
  const objective = params.objective ?? DEFAULT_OBJECTIVE[ctx.task]
  if (TASK_OF[objective] !== ctx.task) {
    throw new ParamError(`objective '${objective}' does not fit a ${ctx.task} task`, { field: 'params.objective' })
  }
  return {
    ...params,
    objective,
    num_class: objective === 'multi:softprob' ? (params.num_class ?? ctx.nClasses) : params.num_class,
    seed: params.seed ?? ctx.seed ?? 0,
    nthread: params.nthread > 0 ? params.nthread : (ctx.threads ?? 0),
  }
}

export const gbdtLearner: LearnerSpec<typeof gbdtParams> = {
  kind: 'gbdt',
  description: 'Histogram gradient-boosted trees with XGBoost\'s parameters',
  params: gbdtParams,
  aliases: gbdtAliases,
  requires: gbdtRequires,
  tasks: ['regression', 'binary', 'multiclass'],
  threadParam: 'nthread',
  maxBin: (params) => params.max_bin,
  earlyStopping: {
    enabled: (params) => params.early_stopping_rounds !== undefined,
    rounds: (model) => (model as GbdtModel).bestIteration + 1,
    fixedRounds: (params, rounds) => ({ ...params, num_round: rounds, early_stopping_rounds: undefined }),
  },
  async fit(data: TrainingData, y: Float64Array, params: GbdtParams, ctx: FitContext) {
    const resolved = resolveGbdtParams(params, ctx)
    // max_bin picks the binning: the job bins once per distinct count its members ask for.
    const binned = data.binnedAt(resolved.max_bin)
    const evalSet = ctx.evalSet ? { data: ctx.evalSet.data.binnedAt(resolved.max_bin), y: ctx.evalSet.y, rows: ctx.evalSet.rows } : undefined
    const total = resolved.num_round
    const result = await boost(binned, y, resolved, {
      rows: ctx.rows,
      evalSet,
      signal: ctx.signal,
      pools: ctx.pools,
      onRound: ctx.onProgress ? (round, value) => ctx.onProgress!(round + 1, total, value) : undefined,
    })
    return gbdtModel(result, binned.mapper.featureNames, resolved)
  },
  fromState(state: ModelState) {
    return GbdtModel.fromState(state as GbdtState)
  },
}
