/**
 * Limited-memory BFGS: the last few steps and gradient changes stand in for the inverse Hessian,
 * so an iteration costs one gradient (plus any line-search retries) and O(memory x n). For smooth
 * problems with too many variables to form the Hessian (the linear learner's wide logistic fits)
 * or no Hessian at all (a Gaussian process's hyperparameters). Optional box bounds: each trial
 * point is projected onto the box and gradient components pushing out of it at an active bound
 * are ignored, a projected variant that is enough for a few dozen loosely bounded variables.
 * Every buffer is allocated once per call; an iteration allocates nothing.
 */

/** `f(x, grad)` returns f(x) and writes ∇f(x) into `grad`. */
export type Objective = (x: Float64Array, grad: Float64Array) => number

export interface LbfgsOptions {
  /** Iterations (accepted steps) at most (default 100). */
  readonly maxIterations?: number
  /** Correction pairs kept (default 10, as scikit-learn's lbfgs and L-BFGS-B). */
  readonly memory?: number
  /** Converged when the largest absolute (projected) gradient component is below this (default 1e-5). */
  readonly gradientTolerance?: number
  /** Also stop when a step improves f by less than this times max(1, |f|) (default 0: never). */
  readonly functionTolerance?: number
  /** Lower bounds, one per variable (absent: unbounded below). */
  readonly lower?: ArrayLike<number>
  /** Upper bounds, one per variable (absent: unbounded above). */
  readonly upper?: ArrayLike<number>
}

export interface LbfgsResult {
  readonly x: Float64Array
  readonly value: number
  /** The largest absolute projected gradient component at `x`. */
  readonly gradientNorm: number
  /** Accepted steps. */
  readonly iterations: number
  /** Objective evaluations, line searches included. */
  readonly evaluations: number
  /** Whether `gradientNorm` fell below the gradient tolerance. */
  readonly converged: boolean
}

/** Sufficient decrease (Armijo) constant of the line search. */
const ARMIJO = 1e-4
/** Step halvings before the line search gives up: below 2⁻⁶⁰ a step no longer moves x. */
const MAX_HALVINGS = 60
/** A pair is kept only when sᵀy exceeds this times sᵀs, so the approximation stays positive definite. */
const CURVATURE = 1e-12

/**
 * Minimises `f` from `x0` (projected onto the bounds, if any). Non-finite values count as
 * +Infinity, so the line search backs off from them. Stops when the projected gradient is below
 * the tolerance, after `maxIterations` steps, when no step along the search direction decreases
 * f (the numerical floor), or on the function tolerance when one is set.
 * @example
 * const r = minimizeLbfgs((x, g) => { g[0] = 2 * (x[0] - 3); return (x[0] - 3) ** 2 }, [0])
 * r.x[0] // 3
 * minimizeLbfgs((x, g) => { g[0] = 2 * (x[0] - 3); return (x[0] - 3) ** 2 }, [0], { upper: [1] }).x[0] // 1
 */
export function minimizeLbfgs(f: Objective, x0: ArrayLike<number>, options: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length
  const maxIterations = options.maxIterations ?? 100
  const memory = Math.max(1, options.memory ?? 10)
  const gtol = options.gradientTolerance ?? 1e-5
  const ftol = options.functionTolerance ?? 0
  const { lower, upper } = options
  for (const bound of [lower, upper]) {
    if (bound && bound.length !== n) throw new RangeError(`a bound has ${bound.length} entries for ${n} variables`)
  }

  const x = Float64Array.from(x0)
  project(x, lower, upper)
  let g = new Float64Array(n)
  let gNew = new Float64Array(n)
  const pg = new Float64Array(n)
  const d = new Float64Array(n)
  const xNew = new Float64Array(n)
  // Ring buffers of the correction pairs: pair `slot` is s[slot * n ..), y[slot * n ..).
  const s = new Float64Array(memory * n)
  const y = new Float64Array(memory * n)
  const rho = new Float64Array(memory)
  const alpha = new Float64Array(memory)
  let stored = 0
  let newest = -1
  let evaluations = 1
  let fx = finite(f(x, g))
  let iterations = 0
  if (fx === Infinity) return { x, value: fx, gradientNorm: Infinity, iterations, evaluations, converged: false }
  let gradientNorm = projectGradient(x, g, lower, upper, pg)

  while (iterations < maxIterations && gradientNorm >= gtol) {
    // Two-loop recursion: d = -H pg, H the inverse-Hessian approximation.
    for (let i = 0; i < n; i++) d[i] = -pg[i]
    for (let h = 0; h < stored; h++) {
      const slot = (newest - h + memory) % memory
      alpha[slot] = rho[slot] * dot(s, slot * n, d, 0, n)
      axpy(-alpha[slot], y, slot * n, d, n)
    }
    if (stored > 0) {
      const gamma = 1 / (rho[newest] * dot(y, newest * n, y, newest * n, n))
      for (let i = 0; i < n; i++) d[i] *= gamma
    }
    for (let h = stored - 1; h >= 0; h--) {
      const slot = (newest - h + memory) % memory
      const b = rho[slot] * dot(y, slot * n, d, 0, n)
      axpy(alpha[slot] - b, s, slot * n, d, n)
    }
    let slope = dot(pg, 0, d, 0, n)
    if (!(slope < 0)) {
      // Curvature information gone stale: restart from steepest descent.
      stored = 0
      for (let i = 0; i < n; i++) d[i] = -pg[i]
      slope = -dot(pg, 0, pg, 0, n)
    }

    // Backtracking (Armijo) line search along the projected path. Without curvature pairs the
    // first trial moves x by at most 1 (as L-BFGS-B); the rounding term lets steps through near
    // the optimum, where the true decrease is below what rounding of f can show.
    let step = stored === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1
    const slack = 4 * Number.EPSILON * Math.abs(fx)
    let fNew = Infinity
    let accepted = false
    for (let h = 0; h < MAX_HALVINGS && !accepted; h++, step *= 0.5) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i]
      project(xNew, lower, upper)
      fNew = finite(f(xNew, gNew))
      evaluations++
      let decrease = 0
      for (let i = 0; i < n; i++) decrease += pg[i] * (xNew[i] - x[i])
      accepted = fNew <= fx + ARMIJO * decrease + slack
    }
    if (!accepted) break

    let sy = 0
    let ss = 0
    for (let i = 0; i < n; i++) {
      const si = xNew[i] - x[i]
      sy += si * (gNew[i] - g[i])
      ss += si * si
    }
    // A step that no longer moves x cannot improve on it.
    if (ss === 0) break
    if (sy > CURVATURE * ss) {
      const slot = (newest + 1) % memory
      const at = slot * n
      for (let i = 0; i < n; i++) {
        s[at + i] = xNew[i] - x[i]
        y[at + i] = gNew[i] - g[i]
      }
      rho[slot] = 1 / sy
      newest = slot
      stored = Math.min(memory, stored + 1)
    }
    const improvement = fx - fNew
    x.set(xNew)
    const t = g
    g = gNew
    gNew = t
    fx = fNew
    iterations++
    gradientNorm = projectGradient(x, g, lower, upper, pg)
    if (ftol > 0 && improvement < ftol * Math.max(1, Math.abs(fx))) break
  }
  return { x, value: fx, gradientNorm, iterations, evaluations, converged: gradientNorm < gtol }
}

function finite(v: number): number {
  return Number.isFinite(v) ? v : Infinity
}

/** Clamps `x` into the box. */
function project(x: Float64Array, lower: ArrayLike<number> | undefined, upper: ArrayLike<number> | undefined): void {
  if (lower) for (let i = 0; i < x.length; i++) if (x[i] < lower[i]) x[i] = lower[i]
  if (upper) for (let i = 0; i < x.length; i++) if (x[i] > upper[i]) x[i] = upper[i]
}

/**
 * Writes into `out` the gradient with its components that push out of the box at an active bound
 * zeroed, and returns their largest absolute value.
 */
function projectGradient(x: Float64Array, g: Float64Array, lower: ArrayLike<number> | undefined, upper: ArrayLike<number> | undefined, out: Float64Array): number {
  let m = 0
  for (let i = 0; i < x.length; i++) {
    let gi = g[i]
    if (lower && x[i] <= lower[i] && gi > 0) gi = 0
    if (upper && x[i] >= upper[i] && gi < 0) gi = 0
    out[i] = gi
    // Math.max keeps a NaN, so a NaN gradient is never taken for convergence.
    m = Math.max(m, Math.abs(gi))
  }
  return m
}

/** u[uAt .. uAt + n) · v[vAt .. vAt + n). */
function dot(u: Float64Array, uAt: number, v: Float64Array, vAt: number, n: number): number {
  let acc = 0
  for (let i = 0; i < n; i++) acc += u[uAt + i] * v[vAt + i]
  return acc
}

/** v += c u[offset .. offset + n). */
function axpy(c: number, u: Float64Array, offset: number, v: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) v[i] += c * u[offset + i]
}
