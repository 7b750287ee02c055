/**
 * Logistic (binary) and multinomial softmax regression: picks Newton's method when the Hessian is
 * small enough to form and solve each iteration, L-BFGS otherwise, and returns the coefficients
 * with every class's intercept.
 */
import { minimizeLbfgs } from '../../math/lbfgs.js'
import { freeIntercepts, LogisticLoss } from './logistic-loss.js'
import { newton } from './newton.js'
import type { SmoothObjective, SolverOptions, SolverResult } from './smooth.js'

/** Above this many parameters the Hessian (dim^2 / 2 per row and iteration) costs more than the extra L-BFGS iterations on standardised data. */
const NEWTON_MAX_DIM = 50

export type LogisticSolver = 'auto' | 'newton-cholesky' | 'lbfgs'

export interface LogisticOptions {
  /** L2 strength on the summed loss (1 / C). */
  readonly alpha: number
  readonly fitIntercept: boolean
  readonly maxIter: number
  readonly tol: number
  readonly solver: LogisticSolver
  /** 'balanced' weights each row by n / (classes x rows of its class), as scikit-learn. */
  readonly classWeight: 'none' | 'balanced'
}

export interface LogisticFit {
  /** Row-major nOutputs x p (nOutputs 1 for binary, K for multiclass). */
  readonly coef: Float64Array
  readonly intercept: Float64Array
  readonly solver: 'newton-cholesky' | 'lbfgs'
  readonly result: SolverResult
}

/**
 * Fits on the row-major design `x` (n x p) with class ids `labels` in 0 .. nClasses-1.
 * @example
 * const fit = fitLogistic(x, n, p, labels, 2, { alpha: 1, fitIntercept: true, maxIter: 100, tol: 1e-6, solver: 'auto', classWeight: 'none' })
 */
export function fitLogistic(x: Float64Array, n: number, p: number, labels: Int32Array, nClasses: number, options: LogisticOptions): LogisticFit {
  const K = nClasses === 2 ? 1 : nClasses
  const weights = rowWeights(labels, nClasses, options.classWeight)
  const loss = new LogisticLoss({ x, n, p, labels, weights, nOutputs: K, alpha: options.alpha, fitIntercept: options.fitIntercept })
  const solver = options.solver === 'auto' ? (loss.dim <= NEWTON_MAX_DIM ? 'newton-cholesky' : 'lbfgs') : options.solver
  const solverOptions = { maxIter: options.maxIter, tol: options.tol }
  const result = solver === 'newton-cholesky' ? newton(loss, solverOptions) : lbfgs(loss, solverOptions)
  const coef = Float64Array.from(result.theta.subarray(0, K * p))
  const intercept = new Float64Array(K)
  const nb = freeIntercepts(K, options.fitIntercept)
  for (let k = 0; k < nb; k++) intercept[k] = result.theta[K * p + k]
  return { coef, intercept, solver, result }
}

/** L-BFGS from zeros, unbounded, to the same gradient tolerance as Newton's method. */
function lbfgs(objective: SmoothObjective, options: SolverOptions): SolverResult {
  const r = minimizeLbfgs((theta, grad) => objective.valueAndGradient(theta, grad), new Float64Array(objective.dim), {
    maxIterations: options.maxIter,
    gradientTolerance: options.tol,
  })
  return { theta: r.x, value: r.value, gradNorm: r.gradientNorm, nIter: r.iterations, converged: r.converged }
}

/** Per-row weights: all 1, or scikit-learn's 'balanced' class weights. */
export function rowWeights(labels: Int32Array, nClasses: number, classWeight: 'none' | 'balanced'): Float64Array {
  const n = labels.length
  const weights = new Float64Array(n).fill(1)
  if (classWeight === 'none') return weights
  const counts = new Float64Array(nClasses)
  for (let i = 0; i < n; i++) counts[labels[i]]++
  let present = 0
  for (const c of counts) if (c > 0) present++
  for (let i = 0; i < n; i++) weights[i] = n / (present * counts[labels[i]])
  return weights
}
