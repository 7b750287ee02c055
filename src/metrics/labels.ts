/**
 * From predicted probabilities to predicted class ids, the way XGBoost and scikit-learn decide:
 * binary `p > 0.5` is class 1; multiclass takes the most probable class, the first on ties.
 */

/**
 * Class ids from `pred`: for `nClasses <= 2` with one value per row, `p > 0.5` gives 1 else 0;
 * otherwise `pred` is row-major `nRows x nClasses` and each row's argmax (first maximum) is taken.
 *
 * @example
 * predictedLabels(new Float64Array([0.7, 0.5]), 2, 2)            // [1, 0]
 * predictedLabels(new Float64Array([0.2, 0.5, 0.3, 0.6, 0.2, 0.2]), 2, 3) // [1, 0]
 */
export function predictedLabels(pred: ArrayLike<number>, nRows: number, nClasses: number): Float64Array {
  const out = new Float64Array(nRows)
  if (nClasses <= 2 && pred.length === nRows) {
    for (let i = 0; i < nRows; i++) out[i] = pred[i] > 0.5 ? 1 : 0
    return out
  }
  for (let i = 0; i < nRows; i++) out[i] = argmaxRow(pred, i * nClasses, nClasses)
  return out
}

/**
 * Index (0-based, relative to `offset`) of the largest of `pred[offset .. offset + k)`, the first
 * one on ties; NaN entries never win unless every entry is NaN (then 0).
 *
 * @example
 * argmaxRow(new Float64Array([0.1, 0.6, 0.3]), 0, 3) // 1
 */
export function argmaxRow(pred: ArrayLike<number>, offset: number, k: number): number {
  let best = 0
  let bestValue = -Infinity
  for (let c = 0; c < k; c++) {
    const v = pred[offset + c]
    if (v > bestValue) {
      bestValue = v
      best = c
    }
  }
  return best
}
