/**
 * Cholesky factorisation K = L Lᵀ of dense symmetric positive-definite matrices and the solves
 * built on it, over row-major n x n Float64Arrays. One implementation for every caller: the linear
 * learner's normal equations and Newton steps (which ask for a relative pivot limit, so a nearly
 * singular system is refused and solved another way) and the Gaussian process's kernel matrix
 * (which grows one row at a time). The factor L is lower triangular; its upper triangle is zeroed.
 */

/**
 * Factors `a` (n x n) in place into L. Returns false, leaving `a` partly overwritten, when a pivot
 * is not positive or not above `pivotLimit` times the largest diagonal entry of `a` (0: any
 * positive pivot, the plain definition of positive definite; 1e-10 refuses the ill-conditioned).
 * @example
 * const a = Float64Array.of(4, 2, 2, 3)
 * cholesky(a, 2) // true; a = [2, 0, 1, 1.414...]
 * cholesky(Float64Array.of(1, 1, 1, 1 + 1e-14), 2, 1e-10) // false: singular to that limit
 */
export function cholesky(a: Float64Array, n: number, pivotLimit = 0): boolean {
  let limit = 0
  if (pivotLimit > 0) {
    let maxDiag = 0
    for (let j = 0; j < n; j++) maxDiag = Math.max(maxDiag, a[j * n + j])
    limit = pivotLimit * maxDiag
  }
  for (let j = 0; j < n; j++) {
    const rj = j * n
    let d = a[rj + j]
    for (let k = 0; k < j; k++) d -= a[rj + k] * a[rj + k]
    if (!(d > limit)) return false
    const ljj = Math.sqrt(d)
    a[rj + j] = ljj
    for (let i = j + 1; i < n; i++) {
      const ri = i * n
      let s = a[ri + j]
      for (let k = 0; k < j; k++) s -= a[ri + k] * a[rj + k]
      a[ri + j] = s / ljj
    }
    for (let k = j + 1; k < n; k++) a[rj + k] = 0
  }
  return true
}

/**
 * Solves L x = b in place (forward substitution); returns `b`.
 * @example solveLower(l, n, b) // b now holds L⁻¹b
 */
export function solveLower(l: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    const ri = i * n
    let s = b[i]
    for (let k = 0; k < i; k++) s -= l[ri + k] * b[k]
    b[i] = s / l[ri + i]
  }
  return b
}

/**
 * Solves Lᵀ x = b in place (back substitution); returns `b`.
 * @example solveUpper(l, n, b) // b now holds L⁻ᵀb
 */
export function solveUpper(l: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k]
    b[i] = s / l[i * n + i]
  }
  return b
}

/**
 * Solves K x = b in place from K's factor L (both substitutions); returns `b`.
 * @example
 * const l = Float64Array.of(4, 2, 2, 3)
 * cholesky(l, 2)
 * choleskySolve(l, 2, Float64Array.of(6, 5)) // [1, 1]
 */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array): Float64Array {
  return solveUpper(l, n, solveLower(l, n, b))
}

/**
 * K⁻¹ from its factor L, as a full symmetric n x n matrix.
 * @example const kInv = choleskyInverse(l, n)
 */
export function choleskyInverse(l: Float64Array, n: number): Float64Array {
  // M = L⁻¹ (lower triangular), kept column-major (row j of `mt` is column j of M) so both loops
  // below run over contiguous memory; then K⁻¹ = Mᵀ M, whose (i, j) entry is column i · column j.
  const mt = new Float64Array(n * n)
  for (let j = 0; j < n; j++) {
    const cj = j * n
    mt[cj + j] = 1 / l[j * n + j]
    for (let i = j + 1; i < n; i++) {
      const ri = i * n
      let s = 0
      for (let k = j; k < i; k++) s -= l[ri + k] * mt[cj + k]
      mt[cj + i] = s / l[ri + i]
    }
  }
  const inv = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    const ci = i * n
    for (let j = 0; j <= i; j++) {
      const cj = j * n
      let s = 0
      for (let k = i; k < n; k++) s += mt[ci + k] * mt[cj + k]
      inv[ci + j] = s
      inv[cj + i] = s
    }
  }
  return inv
}

/**
 * The factor of K extended by one row and column: `cross` holds K's new off-diagonal column (n
 * values) and `diagonal` its new diagonal entry. Returns the (n+1) x (n+1) factor, or undefined
 * when the extended matrix is not positive definite. O(n²), against O(n³) to factor afresh.
 * @example const grown = choleskyAppend(l, n, kNew, kNewNew + noise)
 */
export function choleskyAppend(l: Float64Array, n: number, cross: ArrayLike<number>, diagonal: number): Float64Array | undefined {
  const m = n + 1
  const out = new Float64Array(m * m)
  for (let i = 0; i < n; i++) out.set(l.subarray(i * n, i * n + i + 1), i * m)
  const row = solveLower(l, n, Float64Array.from(cross))
  let d = diagonal
  for (let k = 0; k < n; k++) d -= row[k] * row[k]
  if (!(d > 0)) return undefined
  out.set(row, n * m)
  out[n * m + n] = Math.sqrt(d)
  return out
}
