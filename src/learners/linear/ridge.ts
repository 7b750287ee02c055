/**
 * Ridge regression solved exactly: minimises ||y - X w - b||^2 + alpha ||w||^2 by the normal
 * equations on the centred design (so the intercept b is not penalised), as scikit-learn's Ridge.
 */
import { symmetricSolve } from './symmetric-solve.js'

/** Coefficients and intercept of a linear fit. */
export interface LinearSolution {
  readonly coef: Float64Array
  readonly intercept: number
}

/**
 * Fits ridge regression on the row-major design `x` (n x p).
 * @example
 * fitRidge(Float64Array.of(-1, 0, 1), 3, 1, Float64Array.of(1, 2, 6), 1, true)
 * // { coef: [5 / 3], intercept: 3 }
 */
export function fitRidge(x: Float64Array, n: number, p: number, y: Float64Array, alpha: number, fitIntercept: boolean): LinearSolution {
  const colMean = new Float64Array(p)
  let yMean = 0
  if (fitIntercept && n > 0) {
    for (let i = 0; i < n; i++) {
      const r = i * p
      for (let j = 0; j < p; j++) colMean[j] += x[r + j]
      yMean += y[i]
    }
    for (let j = 0; j < p; j++) colMean[j] /= n
    yMean /= n
  }
  const gram = new Float64Array(p * p)
  const rhs = new Float64Array(p)
  const d = new Float64Array(p)
  for (let i = 0; i < n; i++) {
    const r = i * p
    for (let j = 0; j < p; j++) d[j] = x[r + j] - colMean[j]
    const yi = y[i] - yMean
    for (let j = 0; j < p; j++) {
      const dj = d[j]
      if (dj === 0) continue
      rhs[j] += dj * yi
      const gj = j * p
      for (let k = j; k < p; k++) gram[gj + k] += dj * d[k]
    }
  }
  for (let j = 0; j < p; j++) {
    gram[j * p + j] += alpha
    for (let k = j + 1; k < p; k++) gram[k * p + j] = gram[j * p + k]
  }
  const coef = symmetricSolve(gram, rhs, p)
  let intercept = yMean
  for (let j = 0; j < p; j++) intercept -= coef[j] * colMean[j]
  return { coef, intercept }
}
