/**
 * Newton's method with a backtracking line search: exact Hessian solves (Cholesky, or the
 * minimum-norm eigen solution when the Hessian is singular), quadratic convergence near the
 * optimum. For problems with few parameters, where forming the Hessian is cheap.
 */
import { backtrack, maxAbs, type SolverOptions, type SolverResult, type TwiceDifferentiable } from './smooth.js'
import { symmetricSolve } from './symmetric-solve.js'

/**
 * Minimises `objective` from `theta0` (zeros when absent).
 * @example const { theta, converged } = newton(problem, { maxIter: 100, tol: 1e-8 })
 */
export function newton(objective: TwiceDifferentiable, options: SolverOptions, theta0?: Float64Array): SolverResult {
  const dim = objective.dim
  const theta = theta0 ? Float64Array.from(theta0) : new Float64Array(dim)
  const grad = new Float64Array(dim)
  const hess = new Float64Array(dim * dim)
  const negGrad = new Float64Array(dim)
  const scratch = { theta: new Float64Array(dim), grad: new Float64Array(dim) }
  let value = objective.valueAndGradient(theta, grad)
  let nIter = 0
  while (nIter < options.maxIter && maxAbs(grad) >= options.tol) {
    objective.hessian(theta, hess)
    for (let i = 0; i < dim; i++) negGrad[i] = -grad[i]
    let dir = symmetricSolve(hess, negGrad, dim)
    let slope = 0
    for (let i = 0; i < dim; i++) slope += grad[i] * dir[i]
    // A Hessian too singular to give a descent direction: fall back to steepest descent.
    if (!(slope < 0)) {
      dir = negGrad
      slope = -dotSelf(grad)
    }
    const step = backtrack(objective, theta, grad, value, dir, slope, scratch)
    nIter++
    if (step.step === 0) break
    value = step.value
  }
  const gradNorm = maxAbs(grad)
  return { theta, value, gradNorm, nIter, converged: gradNorm < options.tol }
}

function dotSelf(a: Float64Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i] * a[i]
  return s
}
