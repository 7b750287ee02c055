/**
 * Multiclass metrics over `y` (class ids in `[0, nClasses)`) and `pred`, the row-major
 * `n x nClasses` matrix of predicted probabilities, with optional per-row `weights`.
 */
import { LOGLOSS_EPS } from './binary.js'
import { checkLabels, checkLengths, weightedMean } from './check.js'
import { argmaxRow } from './labels.js'

/**
 * Multiclass cross-entropy `-sum w log p[y] / sum w`, the true class's probability clipped to
 * `[eps, 1 - eps]` (eps = 2.2e-16, as `logloss`). Rows are not renormalised (XGBoost's `mlogloss`; scikit-learn divides
 * each row by its sum, which only differs when rows do not sum to one).
 *
 * @throws DataError when a class id is outside `[0, nClasses)`, on mismatched lengths or no rows.
 * @example
 * // row 0 true class 0 with p 0.7, row 1 true class 2 with p 0.5
 * mlogloss(new Float64Array([0, 2]), new Float64Array([0.7, 0.2, 0.1, 0.25, 0.25, 0.5]), 3)
 * // -(ln 0.7 + ln 0.5) / 2 = 0.5249...
 */
export function mlogloss(
  y: ArrayLike<number>,
  pred: ArrayLike<number>,
  nClasses: number,
  weights?: ArrayLike<number>,
): number {
  const n = checkLengths('mlogloss', y, pred, weights, nClasses)
  checkLabels('mlogloss', y, nClasses)
  let total = 0
  let sw = 0
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]
    const p = pred[i * nClasses + y[i]]
    total -= w * Math.log(Math.min(Math.max(p, LOGLOSS_EPS), 1 - LOGLOSS_EPS))
    sw += w
  }
  return weightedMean('mlogloss', total, sw)
}

/**
 * Multiclass error rate (XGBoost's `merror`): the weighted share of rows whose most probable class
 * (the first on ties) is not the true one.
 *
 * @throws DataError when a class id is outside `[0, nClasses)`, on mismatched lengths or no rows.
 * @example
 * merror(new Float64Array([0, 2]), new Float64Array([0.7, 0.2, 0.1, 0.4, 0.35, 0.25]), 3) // 1 / 2
 */
export function merror(
  y: ArrayLike<number>,
  pred: ArrayLike<number>,
  nClasses: number,
  weights?: ArrayLike<number>,
): number {
  const n = checkLengths('merror', y, pred, weights, nClasses)
  checkLabels('merror', y, nClasses)
  let wrong = 0
  let sw = 0
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]
    if (argmaxRow(pred, i * nClasses, nClasses) !== y[i]) wrong += w
    sw += w
  }
  return weightedMean('merror', wrong, sw)
}
