/**
 * Non-negative least squares by Lawson and Hanson's active-set method ("Solving Least Squares
 * Problems", 1974, chapter 23): min ||A x - b|| subject to x >= 0. It works on the normal
 * equations (A'A and A'b), which are m x m for m members, so the cost per step does not grow with
 * the number of rows. Exact to the tolerance: it stops when the KKT conditions hold.
 */

/** The Gram matrix A'A (row-major m x m) and A'b of a problem. */
export interface NormalEquations {
  readonly m: number
  readonly gram: Float64Array
  readonly rhs: Float64Array
}

/**
 * A'A and A'b where column j of A is `columns[j]` (all of the same length as `b`).
 * @example
 * normalEquations([Float64Array.of(1, 0), Float64Array.of(0, 1)], Float64Array.of(3, 4))
 * // { m: 2, gram: [1, 0, 0, 1], rhs: [3, 4] }
 */
export function normalEquations(columns: readonly Float64Array[], b: Float64Array): NormalEquations {
  const m = columns.length
  const gram = new Float64Array(m * m)
  const rhs = new Float64Array(m)
  for (let j = 0; j < m; j++) {
    const cj = columns[j]
    let s = 0
    for (let i = 0; i < b.length; i++) s += cj[i] * b[i]
    rhs[j] = s
    for (let k = 0; k <= j; k++) {
      const ck = columns[k]
      let g = 0
      for (let i = 0; i < b.length; i++) g += cj[i] * ck[i]
      gram[j * m + k] = g
      gram[k * m + j] = g
    }
  }
  return { m, gram, rhs }
}

/**
 * Solves the passive-set subproblem G[P,P] z = r[P] by Gaussian elimination with partial pivoting;
 * a pivot that vanishes (collinear members) gives that coordinate 0 rather than Infinity.
 */
function solvePassive(eq: NormalEquations, passive: readonly number[]): Float64Array {
  const p = passive.length
  const a = new Float64Array(p * (p + 1))
  for (let r = 0; r < p; r++) {
    for (let c = 0; c < p; c++) a[r * (p + 1) + c] = eq.gram[passive[r] * eq.m + passive[c]]
    a[r * (p + 1) + p] = eq.rhs[passive[r]]
  }
  let scale = 0
  for (let r = 0; r < p; r++) scale = Math.max(scale, Math.abs(a[r * (p + 1) + r]))
  const tiny = scale * 1e-13
  const w = p + 1
  for (let col = 0; col < p; col++) {
    let pivot = col
    for (let r = col + 1; r < p; r++) if (Math.abs(a[r * w + col]) > Math.abs(a[pivot * w + col])) pivot = r
    if (pivot !== col) {
      for (let c = 0; c < w; c++) {
        const t = a[col * w + c]
        a[col * w + c] = a[pivot * w + c]
        a[pivot * w + c] = t
      }
    }
    const d = a[col * w + col]
    if (Math.abs(d) <= tiny) continue
    for (let r = col + 1; r < p; r++) {
      const f = a[r * w + col] / d
      if (f === 0) continue
      for (let c = col; c < w; c++) a[r * w + c] -= f * a[col * w + c]
    }
  }
  const z = new Float64Array(p)
  for (let r = p - 1; r >= 0; r--) {
    const d = a[r * w + r]
    if (Math.abs(d) <= tiny) continue
    let s = a[r * w + p]
    for (let c = r + 1; c < p; c++) s -= a[r * w + c] * z[c]
    z[r] = s / d
  }
  return z
}

/**
 * The non-negative x minimising ||A x - b|| given the normal equations of A and b.
 *
 * @param tol a coordinate of the gradient A'b - A'A x above `tol x max|A'b|` still improves the fit
 * @example
 * // A = [[1, 0], [0, 1], [1, 1]], b = [2, -1, 1]: unconstrained x = [2, -1], NNLS x = [1.5, 0]
 * nnls(normalEquations([Float64Array.of(1, 0, 1), Float64Array.of(0, 1, 1)], Float64Array.of(2, -1, 1)))
 */
export function nnls(eq: NormalEquations, tol = 1e-12): Float64Array {
  const { m, gram, rhs } = eq
  const x = new Float64Array(m)
  const inP = new Uint8Array(m)
  let rhsMax = 0
  for (let j = 0; j < m; j++) rhsMax = Math.max(rhsMax, Math.abs(rhs[j]))
  const eps = tol * Math.max(rhsMax, 1e-300)
  const gradient = (j: number): number => {
    let g = rhs[j]
    for (let k = 0; k < m; k++) g -= gram[j * m + k] * x[k]
    return g
  }
  // A member whose own coefficient comes out non-positive the moment it joins is collinear with
  // the passive ones (exact arithmetic rules this out); it is never tried again.
  const excluded = new Uint8Array(m)
  // Each outer step adds one member to the passive set; 3m bounds it as in Lawson-Hanson.
  for (let outer = 0; outer < 3 * m; outer++) {
    let best = -1
    let bestG = eps
    for (let j = 0; j < m; j++) {
      if (inP[j] || excluded[j]) continue
      const g = gradient(j)
      if (g > bestG) {
        bestG = g
        best = j
      }
    }
    if (best < 0) break
    inP[best] = 1
    for (let inner = 0; inner < 3 * m; inner++) {
      const passive: number[] = []
      for (let j = 0; j < m; j++) if (inP[j]) passive.push(j)
      const z = solvePassive(eq, passive)
      let feasible = true
      for (let r = 0; r < passive.length; r++) {
        if (z[r] > 0) continue
        feasible = false
        if (inner === 0 && passive[r] === best) excluded[best] = 1
      }
      if (excluded[best]) {
        inP[best] = 0
        break
      }
      if (feasible) {
        for (let r = 0; r < passive.length; r++) x[passive[r]] = z[r]
        break
      }
      // Step from x towards z as far as feasibility allows; the member that blocks the step, and
      // any other that reaches zero, leaves the passive set.
      let alpha = Infinity
      let blocking = -1
      for (let r = 0; r < passive.length; r++) {
        const j = passive[r]
        if (z[r] > 0) continue
        const a = x[j] / (x[j] - z[r])
        if (a < alpha) {
          alpha = a
          blocking = j
        }
      }
      for (let r = 0; r < passive.length; r++) {
        const j = passive[r]
        x[j] += alpha * (z[r] - x[j])
        if (j === blocking || x[j] <= 0) {
          x[j] = 0
          inP[j] = 0
        }
      }
    }
  }
  return x
}
