/**
 * Input checks shared by the metric functions: lengths agree, there is something to score, the
 * weights (when given) carry some mass, and a classification metric's labels are class ids.
 * Failures are {@link DataError}s naming the metric.
 */
import { DataError } from '../errors.js'

/**
 * Checks that `pred` holds `perRow` values for each of the `y.length` rows and `weights` (if any)
 * one per row; returns the number of rows.
 *
 * @throws DataError on a length mismatch or when there are no rows.
 * @example
 * checkLengths('rmse', y, pred, undefined) // y.length
 */
export function checkLengths(
  metric: string,
  y: ArrayLike<number>,
  pred: ArrayLike<number>,
  weights: ArrayLike<number> | undefined,
  perRow = 1,
): number {
  const n = y.length
  if (n === 0) throw new DataError(`${metric}: no rows to score`)
  if (pred.length !== n * perRow) {
    const expected = perRow === 1 ? `${n}` : `${n} rows x ${perRow} classes = ${n * perRow}`
    throw new DataError(`${metric}: ${pred.length} predictions for ${expected} expected`)
  }
  if (weights !== undefined && weights.length !== n) {
    throw new DataError(`${metric}: ${weights.length} weights for ${n} rows`)
  }
  return n
}

/**
 * Returns `total / weightSum`, the weighted mean, after checking the weights sum to a positive number.
 *
 * @throws DataError when the weights sum to zero or less (the mean is undefined).
 * @example
 * weightedMean('mae', 6, 3) // 2
 */
export function weightedMean(metric: string, total: number, weightSum: number): number {
  if (!(weightSum > 0)) throw new DataError(`${metric}: weights sum to ${weightSum}; need a positive total`)
  return total / weightSum
}

/**
 * Checks that `c` is a class id in `[0, nClasses)` (or any non-negative integer when `nClasses`
 * is omitted) and returns it.
 *
 * @throws DataError naming the row otherwise.
 * @example
 * classId('mlogloss', 2, 7, 3) // 2
 */
export function classId(metric: string, c: number, row: number, nClasses = Infinity): number {
  if (!(Number.isInteger(c) && c >= 0 && c < nClasses)) {
    const range = nClasses === Infinity ? 'a non-negative integer' : nClasses === 2 ? '0 or 1' : `an integer in [0, ${nClasses})`
    throw new DataError(`${metric}: class id of row ${row} is ${c}; expected ${range}`)
  }
  return c
}

/**
 * The one label check of every classification metric: each of `y` must be a class id in
 * `[0, nClasses)` (0 or 1 for a binary metric). Without it a label of 2 gives logloss a negative
 * value and accuracy counts a label of 0.5 as a class; scikit-learn refuses both, and so does this.
 *
 * @throws DataError naming the first row whose label is not a class id.
 * @example
 * checkLabels('logloss', new Float64Array([0, 1, 1]), 2) // ok
 * checkLabels('logloss', new Float64Array([0, 2]), 2)    // throws: class id of row 1 is 2; expected 0 or 1
 */
export function checkLabels(metric: string, y: ArrayLike<number>, nClasses = Infinity): void {
  for (let i = 0; i < y.length; i++) classId(metric, y[i], i, nClasses)
}
