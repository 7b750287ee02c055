/**
 * Matrices for the tests of the dense solvers: a random symmetric positive-definite matrix and a
 * matrix-vector product to check solutions against.
 */

/**
 * A random symmetric positive-definite n x n matrix B Bᵀ + ridge I (row-major), B with entries
 * from `rng.normal()`.
 * @example const k = randomSpd(6, new Rng(3))
 */
export function randomSpd(n: number, rng: { normal(): number }, ridge = 1): Float64Array {
  const b = Float64Array.from({ length: n * n }, () => rng.normal())
  const a = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = i === j ? ridge : 0
      for (let k = 0; k < n; k++) s += b[i * n + k] * b[j * n + k]
      a[i * n + j] = s
    }
  }
  return a
}

/**
 * A x for a row-major n x n matrix A.
 * @example matVec(Float64Array.of(1, 2, 3, 4), 2, Float64Array.of(1, 1)) // [3, 7]
 */
export function matVec(a: Float64Array, n: number, x: ArrayLike<number>): Float64Array {
  const y = new Float64Array(n)
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) y[i] += a[i * n + k] * x[k]
  return y
}
