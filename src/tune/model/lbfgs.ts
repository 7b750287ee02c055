/**
 * L-BFGS minimisation of a smooth function with its gradient, within optional bounds (steps are
 * projected onto the box): the optimiser of a Gaussian process's hyperparameters. Deterministic,
 * allocation-light, for a handful to a few dozen variables.
 */

/** `f(x, grad)` returns f(x) and writes ∇f(x) into `grad`. */
export type Objective = (x: Float64Array, grad: Float64Array) => number

export interface LbfgsOptions {
  /** Iterations at most (default 100). */
  readonly maxIterations?: number
  /** Correction pairs kept (default 8). */
  readonly memory?: number
  /** Stop when the largest projected gradient component falls below this (default 1e-5). */
  readonly gradientTolerance?: number
  /** Stop when an iteration improves f by less than this times max(1, |f|) (default 1e-9). */
  readonly functionTolerance?: number
  readonly lower?: ArrayLike<number>
  readonly upper?: ArrayLike<number>
}

export interface LbfgsResult {
  readonly x: Float64Array
  readonly value: number
  readonly iterations: number
  /** Objective evaluations, line searches included. */
  readonly evaluations: number
}

/**
 * Minimises `f` from `x0`. Non-finite values are treated as +Infinity (the line search backs off).
 * @example
 * const r = minimizeLbfgs((x, g) => { g[0] = 2 * (x[0] - 3); return (x[0] - 3) ** 2 }, Float64Array.of(0))
 * r.x[0] // 3
 */
export function minimizeLbfgs(f: Objective, x0: ArrayLike<number>, options: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length
  const maxIterations = options.maxIterations ?? 100
  const memory = options.memory ?? 8
  const gtol = options.gradientTolerance ?? 1e-5
  const ftol = options.functionTolerance ?? 1e-9
  const lower = options.lower
  const upper = options.upper
  const project = (x: Float64Array): void => {
    if (lower) for (let i = 0; i < n; i++) if (x[i] < lower[i]) x[i] = lower[i]
    if (upper) for (let i = 0; i < n; i++) if (x[i] > upper[i]) x[i] = upper[i]
  }
  /** The gradient with components pushing out of the box at an active bound zeroed. */
  const projected = (x: Float64Array, g: Float64Array, out: Float64Array): number => {
    let m = 0
    for (let i = 0; i < n; i++) {
      let gi = g[i]
      if (lower && x[i] <= lower[i] && gi > 0) gi = 0
      if (upper && x[i] >= upper[i] && gi < 0) gi = 0
      out[i] = gi
      m = Math.max(m, Math.abs(gi))
    }
    return m
  }
  let evaluations = 0
  const evaluate = (x: Float64Array, g: Float64Array): number => {
    evaluations++
    const v = f(x, g)
    return Number.isFinite(v) ? v : Infinity
  }

  let x = Float64Array.from(x0)
  project(x)
  let g = new Float64Array(n)
  let fx = evaluate(x, g)
  const pg = new Float64Array(n)
  const s: Float64Array[] = []
  const y: Float64Array[] = []
  const rho: number[] = []
  const alpha = new Float64Array(memory)
  const d = new Float64Array(n)
  const xNew = new Float64Array(n)
  let gNew = new Float64Array(n)
  let iterations = 0
  if (!Number.isFinite(fx)) return { x, value: fx, iterations, evaluations }

  for (; iterations < maxIterations; iterations++) {
    if (projected(x, g, pg) < gtol) break
    // Two-loop recursion: d = -H pg.
    for (let i = 0; i < n; i++) d[i] = -pg[i]
    for (let k = s.length - 1; k >= 0; k--) {
      let a = 0
      for (let i = 0; i < n; i++) a += s[k][i] * d[i]
      a *= rho[k]
      alpha[k] = a
      for (let i = 0; i < n; i++) d[i] -= a * y[k][i]
    }
    if (s.length > 0) {
      const last = s.length - 1
      let yy = 0
      for (let i = 0; i < n; i++) yy += y[last][i] * y[last][i]
      const gamma = 1 / (rho[last] * yy)
      for (let i = 0; i < n; i++) d[i] *= gamma
    }
    for (let k = 0; k < s.length; k++) {
      let b = 0
      for (let i = 0; i < n; i++) b += y[k][i] * d[i]
      b *= rho[k]
      for (let i = 0; i < n; i++) d[i] += s[k][i] * (alpha[k] - b)
    }
    let slope = 0
    for (let i = 0; i < n; i++) slope += pg[i] * d[i]
    if (!(slope < 0)) {
      // Not a descent direction (curvature information gone stale): restart from steepest descent.
      s.length = 0
      y.length = 0
      rho.length = 0
      slope = 0
      for (let i = 0; i < n; i++) {
        d[i] = -pg[i]
        slope -= pg[i] * pg[i]
      }
    }
    // Backtracking (Armijo) line search on the projected path.
    let step = s.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1
    let fNew = Infinity
    let accepted = false
    for (let tries = 0; tries < 30; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i]
      project(xNew)
      fNew = evaluate(xNew, gNew)
      let decrease = 0
      for (let i = 0; i < n; i++) decrease += pg[i] * (xNew[i] - x[i])
      if (fNew <= fx + 1e-4 * decrease) {
        accepted = true
        break
      }
      step *= 0.5
    }
    if (!accepted) break
    const sk = new Float64Array(n)
    const yk = new Float64Array(n)
    let sy = 0
    for (let i = 0; i < n; i++) {
      sk[i] = xNew[i] - x[i]
      yk[i] = gNew[i] - g[i]
      sy += sk[i] * yk[i]
    }
    if (sy > 1e-12) {
      if (s.length === memory) {
        s.shift()
        y.shift()
        rho.shift()
      }
      s.push(sk)
      y.push(yk)
      rho.push(1 / sy)
    }
    const improvement = fx - fNew
    x = Float64Array.from(xNew)
    const t = g
    g = gNew
    gNew = t
    fx = fNew
    if (improvement < ftol * Math.max(1, Math.abs(fx))) {
      iterations++
      break
    }
  }
  return { x, value: fx, iterations, evaluations }
}
