/**
 * What the classification solvers share: the objective they minimise, their options and result;
 * and Newton's backtracking line search, which guarantees each accepted step decreases the
 * objective (L-BFGS, the shared one in src/math/, has its own, projected for box bounds).
 */

/** A smooth objective of `dim` parameters. */
export interface SmoothObjective {
  readonly dim: number
  /** The value at `theta`, with the gradient written into `grad`. */
  valueAndGradient(theta: Float64Array, grad: Float64Array): number
}

/** An objective that also gives its Hessian (row-major dim x dim), for Newton's method. */
export interface TwiceDifferentiable extends SmoothObjective {
  hessian(theta: Float64Array, out: Float64Array): void
}

export interface SolverOptions {
  readonly maxIter: number
  /** Converged when the largest absolute gradient entry falls below this. */
  readonly tol: number
}

export interface SolverResult {
  readonly theta: Float64Array
  readonly value: number
  readonly gradNorm: number
  readonly nIter: number
  readonly converged: boolean
}

/**
 * Largest absolute entry of `g` (the convergence measure, as scikit-learn's lbfgs `pgtol`).
 * @example maxAbs(Float64Array.of(1, -3)) // 3
 */
export function maxAbs(g: Float64Array): number {
  let m = 0
  for (let i = 0; i < g.length; i++) {
    const a = Math.abs(g[i])
    if (a > m) m = a
  }
  return m
}

const ARMIJO = 1e-4
const MAX_HALVINGS = 60

/**
 * Backtracking (Armijo) line search from `theta` along `dir` with directional derivative `slope`
 * (negative): halves the step from 1 until the value drops enough. On success `theta`, `grad`
 * hold the new point and its gradient and the new value is returned; when no step decreases the
 * objective (numerical floor), they are left unchanged and `value` is returned with step 0.
 * @example const { value, step } = backtrack(objective, theta, grad, value, dir, slope, scratch)
 */
export function backtrack(
  objective: SmoothObjective,
  theta: Float64Array,
  grad: Float64Array,
  value: number,
  dir: Float64Array,
  slope: number,
  scratch: { readonly theta: Float64Array; readonly grad: Float64Array },
): { value: number; step: number } {
  const dim = theta.length
  let t = 1
  for (let h = 0; h < MAX_HALVINGS; h++, t /= 2) {
    for (let i = 0; i < dim; i++) scratch.theta[i] = theta[i] + t * dir[i]
    const f = objective.valueAndGradient(scratch.theta, scratch.grad)
    // The epsilon term lets steps through near the optimum, where rounding hides the decrease.
    if (f <= value + ARMIJO * t * slope + 4 * Number.EPSILON * Math.abs(value)) {
      theta.set(scratch.theta)
      grad.set(scratch.grad)
      return { value: f, step: t }
    }
  }
  return { value, step: 0 }
}
