/**
 * Objectives: gradients and hessians of the loss with respect to the raw margin, the output link,
 * the starting margin and the default eval metric. Formulas follow XGBoost's, including its
 * deliberate departures from the exact second derivative (noted on each).
 */
import { ParamError } from '../../errors.js'
import { fastExp } from '../../math/fast-exp.js'
import type { Link } from '../../runtime/link.js'
import type { EvalMetricName, ObjectiveName } from './params.js'

export interface Objective {
  readonly name: ObjectiveName
  readonly nOutputs: number
  readonly link: Link
  readonly defaultMetric: EvalMetricName
  /** Leaves re-fitted to the median residual after growing (XGBoost's adaptive trees for L1). */
  readonly refreshLeavesToMedian: boolean
}

export interface ObjectiveOptions {
  numClass?: number
  scalePosWeight: number
  huberSlope: number
  maxDeltaStep: number
}

const HESS_FLOOR = 1e-16

/** @example makeObjective('multi:softprob', 3).nOutputs // 3 */
export function makeObjective(name: ObjectiveName, numClass?: number): Objective {
  switch (name) {
    case 'reg:squarederror':
      return { name, nOutputs: 1, link: 'identity', defaultMetric: 'rmse', refreshLeavesToMedian: false }
    case 'reg:pseudohubererror':
      return { name, nOutputs: 1, link: 'identity', defaultMetric: 'mae', refreshLeavesToMedian: false }
    case 'reg:absoluteerror':
      return { name, nOutputs: 1, link: 'identity', defaultMetric: 'mae', refreshLeavesToMedian: true }
    case 'count:poisson':
      return { name, nOutputs: 1, link: 'exp', defaultMetric: 'poisson-nloglik', refreshLeavesToMedian: false }
    case 'binary:logistic':
      return { name, nOutputs: 1, link: 'sigmoid', defaultMetric: 'logloss', refreshLeavesToMedian: false }
    case 'multi:softprob':
      if (numClass === undefined || numClass < 2) throw new ParamError('multi:softprob needs num_class >= 2', { field: 'params.num_class' })
      return { name, nOutputs: numClass, link: 'softmax', defaultMetric: 'mlogloss', refreshLeavesToMedian: false }
  }
}

/**
 * Writes gradients and hessians for rows [start, end). `margin` is row-major n x K; `grad` and
 * `hess` are class-major (K blocks of n) so each class's tree reads one contiguous block. The
 * exponentials are {@link fastExp}: this runs for every row every round.
 */
export function computeGradients(
  obj: Objective,
  opts: ObjectiveOptions,
  margin: Float64Array,
  y: Float64Array,
  grad: Float64Array,
  hess: Float64Array,
  start: number,
  end: number,
): void {
  switch (obj.name) {
    case 'reg:squarederror':
      for (let i = start; i < end; i++) {
        grad[i] = margin[i] - y[i]
        hess[i] = 1
      }
      return
    case 'reg:pseudohubererror': {
      const slope = opts.huberSlope
      for (let i = start; i < end; i++) {
        const z = margin[i] - y[i]
        const scale = 1 + (z / slope) * (z / slope)
        const root = Math.sqrt(scale)
        grad[i] = z / root
        hess[i] = 1 / (scale * root)
      }
      return
    }
    case 'reg:absoluteerror':
      // The hessian is not the (zero) second derivative: a constant 1 makes the tree a median
      // regressor in spirit, and leaves are then refreshed to exact medians.
      for (let i = start; i < end; i++) {
        const z = margin[i] - y[i]
        grad[i] = z > 0 ? 1 : z < 0 ? -1 : 0
        hess[i] = 1
      }
      return
    case 'count:poisson': {
      // XGBoost inflates the hessian by exp(max_delta_step) to keep early steps conservative.
      const inflate = Math.exp(opts.maxDeltaStep)
      for (let i = start; i < end; i++) {
        const p = fastExp(margin[i])
        grad[i] = p - y[i]
        hess[i] = p * inflate
      }
      return
    }
    case 'binary:logistic': {
      const w1 = opts.scalePosWeight
      for (let i = start; i < end; i++) {
        const p = 1 / (1 + fastExp(-margin[i]))
        const w = y[i] === 1 ? w1 : 1
        grad[i] = (p - y[i]) * w
        hess[i] = Math.max(p * (1 - p), HESS_FLOOR) * w
      }
      return
    }
    case 'multi:softprob': {
      // Hessian 2 p (1 - p), XGBoost's diagonal upper bound, not the exact p (1 - p).
      const k = obj.nOutputs
      const n = y.length
      for (let i = start; i < end; i++) {
        const row = i * k
        let max = -Infinity
        for (let j = 0; j < k; j++) if (margin[row + j] > max) max = margin[row + j]
        let sum = 0
        for (let j = 0; j < k; j++) sum += fastExp(margin[row + j] - max)
        const label = y[i]
        for (let j = 0; j < k; j++) {
          const p = fastExp(margin[row + j] - max) / sum
          grad[j * n + i] = p - (label === j ? 1 : 0)
          hess[j * n + i] = Math.max(2 * p * (1 - p), HESS_FLOOR)
        }
      }
      return
    }
  }
}

/**
 * Starting margin per output: `base_score` when given (response scale, mapped through the inverse
 * link), else estimated from the targets (mean, median for L1, log-odds of the positive share,
 * log of the mean count; zero for softmax).
 */
export function initialMargin(obj: Objective, y: Float64Array, baseScore: number | undefined): Float64Array {
  const out = new Float64Array(obj.nOutputs)
  if (obj.name === 'multi:softprob') return out
  const score = baseScore ?? estimateBaseScore(obj, y)
  switch (obj.link) {
    case 'sigmoid': {
      const p = Math.min(1 - 1e-7, Math.max(1e-7, score))
      out[0] = Math.log(p / (1 - p))
      break
    }
    case 'exp':
      out[0] = Math.log(Math.max(score, 1e-7))
      break
    default:
      out[0] = score
  }
  return out
}

function estimateBaseScore(obj: Objective, y: Float64Array): number {
  if (y.length === 0) return 0
  if (obj.name === 'reg:absoluteerror') return median(Float64Array.from(y))
  let sum = 0
  for (let i = 0; i < y.length; i++) sum += y[i]
  return sum / y.length
}

/** Median of `a` (sorts it in place). */
export function median(a: Float64Array): number {
  if (a.length === 0) return 0
  a.sort()
  const m = a.length >> 1
  return a.length % 2 === 1 ? a[m] : (a[m - 1] + a[m]) / 2
}
