/**
 * Caruana's ensemble selection with replacement (Caruana et al., "Ensemble Selection from
 * Libraries of Models", ICML 2004): start from the empty ensemble and, for a fixed number of
 * iterations, add the member (possibly again) whose inclusion gives the best metric of the
 * averaged prediction. The counts, divided by the iterations, are the weights.
 */
import { isBetter, type Metric } from '../../metrics/registry.js'

/** How often each member was picked, the resulting weights, and the metric after each pick. */
export interface Selection {
  readonly counts: Int32Array
  /** counts / iterations: non-negative, summing to 1. */
  readonly weights: Float64Array
  readonly trace: Float64Array
}

/**
 * Greedy selection by `metric` (its direction decides better); ties go to the lowest member index,
 * so the result is deterministic.
 *
 * @param nClasses passed to the metric: 1 for regression, 2 for binary, k for multiclass
 * @example
 * const s = caruanaSelect(oof, y, 2, getMetric('logloss'), 50)
 * s.weights // e.g. [0.62, 0.38, 0]
 */
export function caruanaSelect(oof: readonly Float64Array[], y: Float64Array, nClasses: number, metric: Metric, iterations: number): Selection {
  const m = oof.length
  const len = oof[0].length
  const counts = new Int32Array(m)
  const trace = new Float64Array(iterations)
  const sum = new Float64Array(len)
  const candidate = new Float64Array(len)
  for (let t = 1; t <= iterations; t++) {
    let best = -1
    let bestValue = NaN
    for (let j = 0; j < m; j++) {
      const p = oof[j]
      for (let i = 0; i < len; i++) candidate[i] = (sum[i] + p[i]) / t
      const value = metric.compute(y, candidate, nClasses)
      if (best < 0 || isBetter(metric, value, bestValue)) {
        best = j
        bestValue = value
      }
    }
    counts[best]++
    trace[t - 1] = bestValue
    const p = oof[best]
    for (let i = 0; i < len; i++) sum[i] += p[i]
  }
  const weights = new Float64Array(m)
  for (let j = 0; j < m; j++) weights[j] = counts[j] / iterations
  return { counts, weights, trace }
}
