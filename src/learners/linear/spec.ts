/**
 * The `linear` entry of the learner registry: ridge regression for regression tasks, logistic
 * regression for binary and multinomial softmax regression for multiclass, on standardised
 * numeric and one-hot categorical features built from the raw frame (not the binned data).
 */
import { ParamError } from '../../errors.js'
import { encodedWidth, encodeFrame } from '../../runtime/linear.js'
import type { FitContext, LearnerSpec, ModelState, TrainingData } from '../types.js'
import { fitLogistic } from './logistic.js'
import { LinearModel, type LinearState } from '../../runtime/models/linear.js'
import { linearAliases, linearParams, type LinearParams } from './params.js'
import { fitInputs } from './preprocess.js'
import { fitRidge } from './ridge.js'
import { checkFitTargets } from '../fit-checks.js'

/**
 * The L2 strength the params ask for: `alpha`, `1 / C`, 1 by default, 0 without penalty.
 * @example resolveAlpha({ ...defaults, C: 4 }) // 0.25
 */
export function resolveAlpha(params: LinearParams): number {
  if (params.alpha !== undefined && params.C !== undefined) {
    throw new ParamError('set alpha or C, not both (alpha = 1 / C)', { field: 'params.C' })
  }
  if (params.penalty === 'none') {
    if (params.alpha !== undefined || params.C !== undefined) {
      throw new ParamError(`penalty 'none' takes no ${params.alpha !== undefined ? 'alpha' : 'C'}`, { field: 'params.penalty' })
    }
    return 0
  }
  return params.alpha ?? (params.C !== undefined ? 1 / params.C : 1)
}

export const linearLearner: LearnerSpec<typeof linearParams> = {
  kind: 'linear',
  description: 'Ridge, logistic and softmax regression with scikit-learn\'s parameters, on standardised and one-hot features',
  params: linearParams,
  aliases: linearAliases,
  tasks: ['regression', 'binary', 'multiclass'],
  // Reads the raw columns (one-hot, standardised), never the binned ones.
  maxBin: () => null,
  async fit(data: TrainingData, y: Float64Array, params: LinearParams, ctx: FitContext) {
    const alpha = resolveAlpha(params)
    const frame = data.frame
    const rows = ctx.rows
    checkFitTargets(y, frame.nRows, rows, ctx)
    if (ctx.task !== 'regression' && ctx.nClasses < 2) throw new ParamError(`a ${ctx.task} task needs at least 2 classes`, { field: 'nClasses' })
    if (params.class_weight !== 'none' && ctx.task === 'regression') {
      throw new ParamError('class_weight applies to classification only', { field: 'params.class_weight' })
    }
    const inputs = fitInputs(frame, rows)
    const n = rows ? rows.length : frame.nRows
    const p = encodedWidth(inputs)
    // The design matrix is built once over the training rows; the solvers stream through it.
    const x = new Float64Array(n * p)
    encodeFrame(inputs, frame, rows, x)
    const target = new Float64Array(n)
    for (let i = 0; i < n; i++) target[i] = y[rows ? rows[i] : i]
    // Stored params name the strength once, as alpha, so they refit to the same model.
    const { C: _C, alpha: _alpha, ...rest } = params
    const resolved: LinearParams = params.penalty === 'none' ? rest : { ...rest, alpha }
    if (ctx.task === 'regression') {
      const fit = fitRidge(x, n, p, target, alpha, params.fit_intercept)
      return new LinearModel('regression', inputs, fit.coef, Float64Array.of(fit.intercept), resolved, { solver: 'cholesky', nIter: 1, gradNorm: 0, converged: true })
    }
    const labels = Int32Array.from(target)
    const fit = fitLogistic(x, n, p, labels, ctx.nClasses, {
      alpha,
      fitIntercept: params.fit_intercept,
      maxIter: params.max_iter,
      tol: params.tol,
      solver: params.solver,
      classWeight: params.class_weight,
    })
    const { nIter, gradNorm, converged } = fit.result
    return new LinearModel(ctx.task, inputs, fit.coef, fit.intercept, resolved, { solver: fit.solver, nIter, gradNorm, converged })
  },
  fromState(state: ModelState) {
    return LinearModel.fromState(state as LinearState)
  },
}
