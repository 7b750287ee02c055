/**
 * The penalised log-loss of logistic (one output) and multinomial softmax (K outputs) regression,
 * with its gradient and Hessian, over a row-major design matrix:
 *
 *   f(W, b) = (sum_i s_i loss_i + alpha / 2 * ||W||^2) / sum_i s_i
 *
 * which is scikit-learn's LogisticRegression objective (C * sum loss + ||W||^2 / 2) divided by
 * C * sum_i s_i, with alpha = 1 / C. Intercepts are not penalised. Softmax intercepts are
 * identified only up to a common shift, so the last class's intercept is fixed at 0; predictions
 * do not change.
 *
 * Parameter layout: W row-major (K x p), then the free intercepts.
 */
import type { TwiceDifferentiable } from './smooth.js'

export interface LogisticProblem {
  /** Row-major design, n x p. */
  readonly x: Float64Array
  readonly n: number
  readonly p: number
  /** Class id of each row: 0/1 for one output, 0 .. K-1 for K outputs. */
  readonly labels: Int32Array
  /** Weight of each row (class weights). */
  readonly weights: Float64Array
  /** 1 for binary logistic regression, K (>= 3) for softmax. */
  readonly nOutputs: number
  readonly alpha: number
  readonly fitIntercept: boolean
}

/** Number of free intercepts: 1 for one output, K - 1 for softmax, 0 without intercept. */
export function freeIntercepts(nOutputs: number, fitIntercept: boolean): number {
  return fitIntercept ? (nOutputs === 1 ? 1 : nOutputs - 1) : 0
}

/**
 * The objective of a {@link LogisticProblem} for the solvers. Scratch buffers are allocated once.
 * @example
 * const objective = new LogisticLoss(problem)
 * const f = objective.valueAndGradient(new Float64Array(objective.dim), grad)
 */
export class LogisticLoss implements TwiceDifferentiable {
  readonly dim: number
  private readonly nb: number
  private readonly weightSum: number
  /** Row-major n x K: probabilities (of class 1 for one output) at the last evaluated point. */
  private readonly prob: Float64Array
  private readonly scratchGrad: Float64Array

  constructor(private readonly problem: LogisticProblem) {
    const { p, nOutputs: K, fitIntercept, weights } = problem
    this.nb = freeIntercepts(K, fitIntercept)
    this.dim = K * p + this.nb
    let sum = 0
    for (let i = 0; i < problem.n; i++) sum += weights[i]
    this.weightSum = sum > 0 ? sum : 1
    this.prob = new Float64Array(problem.n * K)
    this.scratchGrad = new Float64Array(this.dim)
  }

  /** Intercept of output k in `theta` (0 when fixed or absent). */
  intercept(theta: Float64Array, k: number): number {
    return k < this.nb ? theta[this.problem.nOutputs * this.problem.p + k] : 0
  }

  valueAndGradient(theta: Float64Array, grad: Float64Array): number {
    const { x, n, p, labels, weights, nOutputs: K, alpha } = this.problem
    const prob = this.prob
    grad.fill(0)
    let loss = 0
    for (let i = 0; i < n; i++) {
      const r = i * p
      const si = weights[i]
      const yi = labels[i]
      if (K === 1) {
        let m = this.intercept(theta, 0)
        for (let j = 0; j < p; j++) m += x[r + j] * theta[j]
        // log(1 + e^m) - y m, stable for large |m|.
        loss += si * (Math.max(m, 0) + Math.log1p(Math.exp(-Math.abs(m))) - (yi === 1 ? m : 0))
        const pr = m >= 0 ? 1 / (1 + Math.exp(-m)) : Math.exp(m) / (1 + Math.exp(m))
        prob[i] = pr
        const res = si * (pr - yi)
        if (res === 0) continue
        for (let j = 0; j < p; j++) grad[j] += res * x[r + j]
        if (this.nb > 0) grad[p] += res
      } else {
        const o = i * K
        let max = -Infinity
        for (let k = 0; k < K; k++) {
          let m = this.intercept(theta, k)
          const w = k * p
          for (let j = 0; j < p; j++) m += x[r + j] * theta[w + j]
          prob[o + k] = m
          if (m > max) max = m
        }
        let sum = 0
        for (let k = 0; k < K; k++) sum += Math.exp(prob[o + k] - max)
        const lse = max + Math.log(sum)
        loss += si * (lse - prob[o + yi])
        for (let k = 0; k < K; k++) {
          const pk = Math.exp(prob[o + k] - lse)
          prob[o + k] = pk
          const res = si * (pk - (k === yi ? 1 : 0))
          if (res === 0) continue
          const w = k * p
          for (let j = 0; j < p; j++) grad[w + j] += res * x[r + j]
          if (k < this.nb) grad[K * p + k] += res
        }
      }
    }
    let penalty = 0
    for (let j = 0; j < K * p; j++) {
      penalty += theta[j] * theta[j]
      grad[j] += alpha * theta[j]
    }
    const scale = 1 / this.weightSum
    for (let j = 0; j < this.dim; j++) grad[j] *= scale
    return (loss + 0.5 * alpha * penalty) * scale
  }

  hessian(theta: Float64Array, out: Float64Array): void {
    const { x, n, p, weights, nOutputs: K, alpha } = this.problem
    const dim = this.dim
    const nb = this.nb
    const bias = K * p
    const prob = this.prob
    // Probabilities at theta (valueAndGradient fills them; the gradient itself is not needed).
    this.valueAndGradient(theta, this.scratchGrad)
    out.fill(0)
    // Only the upper triangle is accumulated (W indices come before intercepts), then mirrored.
    for (let i = 0; i < n; i++) {
      const r = i * p
      const si = weights[i]
      if (si === 0) continue
      for (let k = 0; k < K; k++) {
        const pk = K === 1 ? prob[i] : prob[i * K + k]
        for (let l = k; l < K; l++) {
          // d^2 loss / dm_k dm_l: p_k (delta_kl - p_l); one output: p (1 - p).
          const c = si * (K === 1 ? pk * (1 - pk) : pk * ((k === l ? 1 : 0) - prob[i * K + l]))
          if (c === 0) continue
          for (let a = 0; a < p; a++) {
            const ca = c * x[r + a]
            if (ca === 0) continue
            const row = (k * p + a) * dim + l * p
            for (let b = k === l ? a : 0; b < p; b++) out[row + b] += ca * x[r + b]
            if (l < nb) out[(k * p + a) * dim + bias + l] += ca
          }
          if (k < l && k < nb) {
            for (let b = 0; b < p; b++) out[(l * p + b) * dim + bias + k] += c * x[r + b]
          }
          if (l < nb) out[(bias + k) * dim + bias + l] += c
        }
      }
    }
    const scale = 1 / this.weightSum
    for (let a = 0; a < dim; a++) {
      for (let b = a; b < dim; b++) {
        const v = out[a * dim + b] * scale
        out[a * dim + b] = v
        out[b * dim + a] = v
      }
    }
    for (let j = 0; j < bias; j++) out[j * dim + j] += alpha * scale
  }
}
