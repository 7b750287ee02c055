/**
 * Classification metrics over class ids: `y` (true) and `labels` (predicted), both non-negative
 * integers, with optional per-row `weights`. To score probabilities, turn them into labels with
 * {@link predictedLabels} first (the metric registry does this).
 */
import { checkLabels, checkLengths, weightedMean } from './check.js'

/**
 * Share of rows whose predicted class equals the true one: `sum w [y == label] / sum w`.
 *
 * @throws DataError when a class id is not a non-negative integer, on mismatched lengths, no rows,
 *   or weights that sum to zero.
 * @example
 * accuracy(new Float64Array([0, 1, 2, 2]), new Float64Array([0, 2, 2, 2])) // 3 / 4 = 0.75
 */
export function accuracy(y: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const n = checkLengths('accuracy', y, labels, weights)
  checkLabels('accuracy', y)
  checkLabels('accuracy', labels)
  let hits = 0
  let sw = 0
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]
    if (y[i] === labels[i]) hits += w
    sw += w
  }
  return weightedMean('accuracy', hits, sw)
}

/**
 * Macro-averaged F1, as scikit-learn's `f1_score(average='macro')`: per class
 * `F1 = 2 TP / (2 TP + FP + FN)` (weighted counts), averaged without weighting over every class
 * that appears in `y` or `labels`; a class with no true or predicted mass scores 0. For two
 * classes this is the mean of both classes' F1, not the positive class's F1 alone.
 *
 * @throws DataError when a class id is not a non-negative integer, on mismatched lengths or no rows.
 * @example
 * // class 0: TP 1, FP 0, FN 1 -> 2/3; class 1: TP 2, FP 1, FN 0 -> 4/5; mean 0.7333...
 * f1Macro(new Float64Array([0, 0, 1, 1]), new Float64Array([0, 1, 1, 1]))
 */
export function f1Macro(y: ArrayLike<number>, labels: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const n = checkLengths('f1', y, labels, weights)
  checkLabels('f1', y)
  checkLabels('f1', labels)
  let maxClass = 0
  for (let i = 0; i < n; i++) maxClass = Math.max(maxClass, y[i], labels[i])
  const k = maxClass + 1
  const tp = new Float64Array(k)
  const fp = new Float64Array(k)
  const fn = new Float64Array(k)
  const present = new Uint8Array(k)
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]
    const t = y[i]
    const p = labels[i]
    present[t] = 1
    present[p] = 1
    if (t === p) tp[t] += w
    else {
      fn[t] += w
      fp[p] += w
    }
  }
  let sum = 0
  let count = 0
  for (let c = 0; c < k; c++) {
    if (present[c] === 0) continue
    const denominator = 2 * tp[c] + fp[c] + fn[c]
    sum += denominator > 0 ? (2 * tp[c]) / denominator : 0
    count++
  }
  return sum / count
}
