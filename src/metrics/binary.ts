/**
 * Binary classification metrics over `y` (0 or 1) and `p` (the predicted probability, or for AUC
 * any score, of class 1), with optional per-row `weights`.
 */
import { DataError } from '../errors.js'
import { checkLabels, checkLengths, weightedMean } from './check.js'

/**
 * Probabilities are clipped to `[LOGLOSS_EPS, 1 - LOGLOSS_EPS]` before the log: the float64
 * machine epsilon, as scikit-learn's `log_loss` does from 1.2 on (its `eps='auto'`, the only
 * behaviour from 1.5). Versions before 1.2 clipped at 1e-15.
 */
export const LOGLOSS_EPS = Number.EPSILON

/**
 * Binary cross-entropy `-sum w (y log p + (1 - y) log(1 - p)) / sum w`, with `p` clipped to
 * `[eps, 1 - eps]` (eps = 2.2e-16, scikit-learn's `log_loss`), so a confident wrong answer costs
 * about 36 rather than infinity. Labels must be 0 or 1, as scikit-learn requires.
 *
 * @throws DataError on a label other than 0 or 1, mismatched lengths, no rows, or weights that sum to zero.
 * @example
 * logloss(new Float64Array([1, 0]), new Float64Array([0.8, 0.4]))
 * // -(ln 0.8 + ln 0.6) / 2 = 0.3670...
 */
export function logloss(y: ArrayLike<number>, p: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const n = checkLengths('logloss', y, p, weights)
  checkLabels('logloss', y, 2)
  let total = 0
  let sw = 0
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]
    const q = Math.min(Math.max(p[i], LOGLOSS_EPS), 1 - LOGLOSS_EPS)
    const t = y[i]
    total -= w * (t * Math.log(q) + (1 - t) * Math.log(1 - q))
    sw += w
  }
  return weightedMean('logloss', total, sw)
}

/**
 * Area under the ROC curve, computed exactly as the Mann-Whitney statistic: the (weighted) share
 * of (positive, negative) pairs where the positive scores higher, a tie counting one half (the
 * average-rank rule). O(n log n). Equal scores everywhere give 0.5.
 *
 * Like scikit-learn's `roc_auc_score`, AUC is undefined when `y` holds only one class: that
 * throws rather than returning a number a tuner could mistake for a score. A NaN score gives NaN.
 *
 * @throws DataError when `y` has a value other than 0 or 1, holds a single class (or one class
 *   has zero total weight), or on mismatched lengths or no rows.
 * @example
 * auc(new Float64Array([0, 0, 1, 1]), new Float64Array([0.1, 0.4, 0.35, 0.8])) // 3 / 4 = 0.75
 */
export function auc(y: ArrayLike<number>, scores: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const n = checkLengths('auc', y, scores, weights)
  checkLabels('auc', y, 2)
  let nPos = 0
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[i])) return NaN
    nPos += y[i]
  }
  if (nPos === 0 || nPos === n) {
    throw new DataError(`auc: y holds only class ${nPos === 0 ? 0 : 1}; AUC is undefined with a single class`)
  }
  return weights === undefined ? aucUnweighted(y, scores, n, nPos) : aucWeighted(y, scores, weights, n)
}

/** Sorts positives' and negatives' scores separately (native typed-array sort) and merges. */
function aucUnweighted(y: ArrayLike<number>, scores: ArrayLike<number>, n: number, nPos: number): number {
  const pos = new Float64Array(nPos)
  const neg = new Float64Array(n - nPos)
  let a = 0
  let b = 0
  for (let i = 0; i < n; i++) {
    if (y[i] === 1) pos[a++] = scores[i]
    else neg[b++] = scores[i]
  }
  pos.sort()
  neg.sort()
  // For each run of equal positive scores v: negatives strictly below v count 1, equal ones 1/2.
  let pairs = 0
  let below = 0
  let i = 0
  while (i < pos.length) {
    const v = pos[i]
    let run = 0
    while (i < pos.length && pos[i] === v) {
      run++
      i++
    }
    while (below < neg.length && neg[below] < v) below++
    let equal = 0
    while (below + equal < neg.length && neg[below + equal] === v) equal++
    pairs += run * (below + 0.5 * equal)
  }
  return pairs / (nPos * (n - nPos))
}

/** Sweeps the rows in score order, crediting each tie group's positive weight with the negative weight below it. */
function aucWeighted(y: ArrayLike<number>, scores: ArrayLike<number>, weights: ArrayLike<number>, n: number): number {
  const order = new Int32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  order.sort((p, q) => (scores[p] < scores[q] ? -1 : scores[p] > scores[q] ? 1 : 0))
  let area = 0
  let negBelow = 0
  let posTotal = 0
  let i = 0
  while (i < n) {
    const v = scores[order[i]]
    let groupPos = 0
    let groupNeg = 0
    while (i < n && scores[order[i]] === v) {
      const r = order[i]
      if (y[r] === 1) groupPos += weights[r]
      else groupNeg += weights[r]
      i++
    }
    area += groupPos * (negBelow + 0.5 * groupNeg)
    negBelow += groupNeg
    posTotal += groupPos
  }
  if (!(posTotal > 0 && negBelow > 0)) {
    throw new DataError('auc: one class has zero total weight; AUC is undefined with a single class')
  }
  return area / (posTotal * negBelow)
}
