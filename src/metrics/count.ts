/**
 * Metrics for count targets (Poisson regression), over `y` (non-negative counts) and `pred`
 * (the predicted mean, not its log), with optional per-row `weights`.
 */
import { checkLengths, weightedMean } from './check.js'
import { lgamma } from './lgamma.js'

/** Predicted means below this are raised to it before the log, as XGBoost does. */
const POISSON_EPS = 1e-16

/**
 * Poisson negative log-likelihood, XGBoost's `poisson-nloglik`:
 * `sum w (pred - y ln pred + lgamma(y + 1)) / sum w`, `pred` floored at 1e-16.
 *
 * @throws DataError on mismatched lengths, no rows, or weights that sum to zero.
 * @example
 * // row 0: 1 - 0 * ln 1 + ln 0! = 1; row 1: 2 - 3 ln 2 + ln 3! = 1.7126...
 * poissonNloglik(new Float64Array([0, 3]), new Float64Array([1, 2])) // 1.3563...
 */
export function poissonNloglik(y: ArrayLike<number>, pred: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const n = checkLengths('poisson-nloglik', y, pred, weights)
  let total = 0
  let sw = 0
  for (let i = 0; i < n; i++) {
    const w = weights === undefined ? 1 : weights[i]
    const mu = Math.max(pred[i], POISSON_EPS)
    total += w * (mu - y[i] * Math.log(mu) + lgamma(y[i] + 1))
    sw += w
  }
  return weightedMean('poisson-nloglik', total, sw)
}
