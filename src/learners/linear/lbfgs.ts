/**
 * Limited-memory BFGS with a backtracking line search: the last few steps and gradient changes
 * approximate the inverse Hessian, so each iteration costs one gradient and O(m * dim). For
 * problems with too many parameters to form the Hessian.
 */
import { backtrack, maxAbs, type SmoothObjective, type SolverOptions, type SolverResult } from './smooth.js'

/** Pairs kept (scikit-learn's lbfgs and L-BFGS-B default to 10). */
const MEMORY = 10

/**
 * Minimises `objective` from `theta0` (zeros when absent).
 * @example const { theta, converged } = lbfgs(problem, { maxIter: 1000, tol: 1e-6 })
 */
export function lbfgs(objective: SmoothObjective, options: SolverOptions, theta0?: Float64Array): SolverResult {
  const dim = objective.dim
  const theta = theta0 ? Float64Array.from(theta0) : new Float64Array(dim)
  const grad = new Float64Array(dim)
  const prevTheta = new Float64Array(dim)
  const prevGrad = new Float64Array(dim)
  const dir = new Float64Array(dim)
  const s = new Float64Array(MEMORY * dim)
  const y = new Float64Array(MEMORY * dim)
  const rho = new Float64Array(MEMORY)
  const a = new Float64Array(MEMORY)
  const scratch = { theta: new Float64Array(dim), grad: new Float64Array(dim) }
  let stored = 0
  let newest = -1
  let value = objective.valueAndGradient(theta, grad)
  let nIter = 0
  while (nIter < options.maxIter && maxAbs(grad) >= options.tol) {
    // Two-loop recursion: dir = -H g with H the L-BFGS inverse-Hessian approximation.
    for (let i = 0; i < dim; i++) dir[i] = -grad[i]
    for (let h = 0; h < stored; h++) {
      const slot = (newest - h + MEMORY) % MEMORY
      a[slot] = rho[slot] * dot(s, slot * dim, dir, dim)
      axpy(-a[slot], y, slot * dim, dir, dim)
    }
    if (stored > 0) {
      const yy = dot(y, newest * dim, y.subarray(newest * dim), dim)
      const gamma = 1 / (rho[newest] * yy)
      for (let i = 0; i < dim; i++) dir[i] *= gamma
    } else {
      // First step: steepest descent, scaled so no entry moves by more than 1.
      const scale = 1 / Math.max(1, maxAbs(grad))
      for (let i = 0; i < dim; i++) dir[i] *= scale
    }
    for (let h = stored - 1; h >= 0; h--) {
      const slot = (newest - h + MEMORY) % MEMORY
      const b = rho[slot] * dot(y, slot * dim, dir, dim)
      axpy(a[slot] - b, s, slot * dim, dir, dim)
    }
    let slope = 0
    for (let i = 0; i < dim; i++) slope += grad[i] * dir[i]
    if (!(slope < 0)) {
      // A stale curvature model: restart from steepest descent.
      stored = 0
      for (let i = 0; i < dim; i++) dir[i] = -grad[i]
      slope = -dot(grad, 0, grad, dim)
    }
    prevTheta.set(theta)
    prevGrad.set(grad)
    const step = backtrack(objective, theta, grad, value, dir, slope, scratch)
    nIter++
    if (step.step === 0) break
    value = step.value
    let sy = 0
    let ss = 0
    for (let i = 0; i < dim; i++) {
      const si = theta[i] - prevTheta[i]
      sy += si * (grad[i] - prevGrad[i])
      ss += si * si
    }
    // Keep the pair only with positive curvature, so the approximation stays positive definite.
    if (sy > 1e-12 * ss) {
      const slot = (newest + 1) % MEMORY
      for (let i = 0; i < dim; i++) {
        s[slot * dim + i] = theta[i] - prevTheta[i]
        y[slot * dim + i] = grad[i] - prevGrad[i]
      }
      rho[slot] = 1 / sy
      newest = slot
      stored = Math.min(MEMORY, stored + 1)
    }
  }
  const gradNorm = maxAbs(grad)
  return { theta, value, gradNorm, nIter, converged: gradNorm < options.tol }
}

/** Dot product of `u[offset .. offset + n)` with `v[0 .. n)`. */
function dot(u: Float64Array, offset: number, v: Float64Array, n: number): number {
  let acc = 0
  for (let i = 0; i < n; i++) acc += u[offset + i] * v[i]
  return acc
}

/** v += c * u[offset .. offset + n). */
function axpy(c: number, u: Float64Array, offset: number, v: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) v[i] += c * u[offset + i]
}
