/**
 * Regression metrics over `y` (targets) and `pred` (predictions), with optional per-row
 * `weights` giving weighted means as in scikit-learn's `sample_weight`. NaN in `pred` gives NaN.
 */
import { checkLengths, weightedMean } from './check.js'

/**
 * Root mean squared error: `sqrt(sum w (y - pred)^2 / sum w)`.
 *
 * @throws DataError on mismatched lengths, no rows, or weights that sum to zero.
 * @example
 * rmse(new Float64Array([1, 2, 3]), new Float64Array([1, 2, 5])) // sqrt(4 / 3) = 1.1547...
 */
export function rmse(y: ArrayLike<number>, pred: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const n = checkLengths('rmse', y, pred, weights)
  let total = 0
  let sw = 0
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]
    const e = y[i] - pred[i]
    total += w * e * e
    sw += w
  }
  return Math.sqrt(weightedMean('rmse', total, sw))
}

/**
 * Mean absolute error: `sum w |y - pred| / sum w`.
 *
 * @throws DataError on mismatched lengths, no rows, or weights that sum to zero.
 * @example
 * mae(new Float64Array([1, 2, 3]), new Float64Array([2, 2, 1])) // (1 + 0 + 2) / 3 = 1
 */
export function mae(y: ArrayLike<number>, pred: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const n = checkLengths('mae', y, pred, weights)
  let total = 0
  let sw = 0
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]
    total += w * Math.abs(y[i] - pred[i])
    sw += w
  }
  return weightedMean('mae', total, sw)
}

/**
 * Coefficient of determination `1 - SS_res / SS_tot`, about the (weighted) mean of `y`.
 * As in scikit-learn: a constant `y` scores 1 when predicted exactly and 0 otherwise (instead of
 * a division by zero), and fewer than two rows give NaN (R² is not defined there).
 *
 * @throws DataError on mismatched lengths, no rows, or weights that sum to zero.
 * @example
 * r2(new Float64Array([1, 2, 3]), new Float64Array([1, 2, 4])) // 1 - 1 / 2 = 0.5
 */
export function r2(y: ArrayLike<number>, pred: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const n = checkLengths('r2', y, pred, weights)
  if (n < 2) return NaN
  let sy = 0
  let sw = 0
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]
    sy += w * y[i]
    sw += w
  }
  const mean = weightedMean('r2', sy, sw)
  let ssRes = 0
  let ssTot = 0
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]
    const e = y[i] - pred[i]
    const d = y[i] - mean
    ssRes += w * e * e
    ssTot += w * d * d
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0
  return 1 - ssRes / ssTot
}

/**
 * Mean absolute percentage error as a fraction (0.1 means 10%), like scikit-learn:
 * `sum w |y - pred| / max(|y|, eps) / sum w` with eps the float64 machine epsilon, so a zero
 * target gives a huge but finite term.
 *
 * @throws DataError on mismatched lengths, no rows, or weights that sum to zero.
 * @example
 * mape(new Float64Array([2, 4]), new Float64Array([1, 5])) // (1/2 + 1/4) / 2 = 0.375
 */
export function mape(y: ArrayLike<number>, pred: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const n = checkLengths('mape', y, pred, weights)
  let total = 0
  let sw = 0
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]
    total += (w * Math.abs(y[i] - pred[i])) / Math.max(Math.abs(y[i]), Number.EPSILON)
    sw += w
  }
  return weightedMean('mape', total, sw)
}
