/**
 * Solving A x = b for a symmetric positive semi-definite A (dense, row-major p x p): Cholesky when
 * A is well conditioned, else the minimum-norm solution from an eigendecomposition (cyclic
 * Jacobi), which stays finite for singular or near-singular systems such as collinear features
 * without a penalty. The Cholesky factorisation is the shared one, with a relative pivot limit.
 */
import { cholesky, choleskySolve } from '../../math/cholesky.js'

/**
 * Pivots below this fraction of the largest diagonal entry mean "ill-conditioned".
 * @example cholesky(l, p, PIVOT_LIMIT) // false: take the eigen path
 */
export const PIVOT_LIMIT = 1e-10
/** Eigenvalues below this fraction of the largest are treated as zero (as numpy's lstsq rcond). */
const EIGEN_CUTOFF = 1e-12

/**
 * Eigendecomposition of a symmetric matrix by cyclic Jacobi rotations: returns the eigenvalues and
 * writes the eigenvectors as the columns of `v` (row-major p x p). `a` is destroyed.
 * @example const values = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2, new Float64Array(4)) // 1 and 3
 */
export function symmetricEigen(a: Float64Array, p: number, v: Float64Array): Float64Array {
  v.fill(0)
  for (let i = 0; i < p; i++) v[i * p + i] = 1
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0
    let total = 0
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) {
        const x = a[i * p + j] * a[i * p + j]
        total += x
        if (i !== j) off += x
      }
    }
    if (off <= 1e-30 * total || off === 0) break
    for (let i = 0; i < p - 1; i++) {
      for (let j = i + 1; j < p; j++) {
        const aij = a[i * p + j]
        if (aij === 0) continue
        const theta = (a[j * p + j] - a[i * p + i]) / (2 * aij)
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
        const c = 1 / Math.sqrt(t * t + 1)
        const s = t * c
        for (let k = 0; k < p; k++) {
          const aki = a[k * p + i]
          const akj = a[k * p + j]
          a[k * p + i] = c * aki - s * akj
          a[k * p + j] = s * aki + c * akj
        }
        for (let k = 0; k < p; k++) {
          const aik = a[i * p + k]
          const ajk = a[j * p + k]
          a[i * p + k] = c * aik - s * ajk
          a[j * p + k] = s * aik + c * ajk
        }
        for (let k = 0; k < p; k++) {
          const vki = v[k * p + i]
          const vkj = v[k * p + j]
          v[k * p + i] = c * vki - s * vkj
          v[k * p + j] = s * vki + c * vkj
        }
      }
    }
  }
  return Float64Array.from({ length: p }, (_, i) => a[i * p + i])
}

/**
 * Solves A x = b for symmetric positive semi-definite `a` (row-major p x p); returns x. Uses
 * Cholesky, falling back to the minimum-norm eigen solution when A is singular or ill-conditioned.
 * `a` and `b` are left unchanged.
 * @example symmetricSolve(Float64Array.of(2, 0, 0, 4), Float64Array.of(2, 8), 2) // [1, 2]
 */
export function symmetricSolve(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const l = Float64Array.from(a)
  const x = Float64Array.from(b)
  if (cholesky(l, p, PIVOT_LIMIT)) return choleskySolve(l, p, x)
  const work = Float64Array.from(a)
  const v = new Float64Array(p * p)
  const values = symmetricEigen(work, p, v)
  let maxValue = 0
  for (const e of values) maxValue = Math.max(maxValue, e)
  const cutoff = EIGEN_CUTOFF * maxValue
  x.fill(0)
  for (let j = 0; j < p; j++) {
    if (!(values[j] > cutoff)) continue
    let proj = 0
    for (let i = 0; i < p; i++) proj += v[i * p + j] * b[i]
    proj /= values[j]
    for (let i = 0; i < p; i++) x[i] += proj * v[i * p + j]
  }
  return x
}
