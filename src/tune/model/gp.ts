/**
 * A Gaussian process regressor for the model-based strategy: Matérn 5/2 kernel with one length
 * scale per input (ARD), a signal variance and a noise variance, fitted by maximising the log
 * marginal likelihood plus weak priors (a MAP estimate, which keeps the fit sane on the handful of
 * points a study starts with) with L-BFGS from a few starting points. Inputs live in the unit cube;
 * outputs are standardised inside the model and predictions come back in the caller's units.
 */
import type { Rng } from '../../rng.js'
import { cholesky, choleskyAppend, choleskyInverse, choleskySolve } from '../../math/cholesky.js'
import { minimizeLbfgs } from '../../math/lbfgs.js'

const SQRT5 = Math.sqrt(5)
const LOG_2PI = Math.log(2 * Math.PI)
/** Added to the kernel's diagonal on top of the noise, for numerical safety. */
const JITTER = 1e-9

/** Bounds of the log hyperparameters (length scales in cube units; variances of standardised outputs). */
const LOG_LENGTH = [Math.log(0.01), Math.log(20)] as const
const LOG_SIGNAL = [Math.log(0.05), Math.log(20)] as const
const LOG_NOISE = [Math.log(1e-6), Math.log(1)] as const

/**
 * Priors on the hyperparameters, as log densities in the log parameters: length scales
 * Gamma(3, 6) (mode 1/3, as BoTorch's classic default), signal variance log-normal around 1,
 * noise variance log-normal around 1e-3 with a wide spread (noise is learned when it is there).
 */
const LENGTH_PRIOR = { shape: 3, rate: 6 }
const SIGNAL_PRIOR = { mean: 0, sd: 1.5 }
const NOISE_PRIOR = { mean: Math.log(1e-3), sd: 3 }

/** Fitted kernel hyperparameters (natural units). */
export interface GpHyperparameters {
  readonly lengthScales: Float64Array
  readonly signalVariance: number
  readonly noiseVariance: number
}

export interface GpFitOptions {
  /** Starting points of the hyperparameter search beyond the two fixed ones (default 1). */
  readonly randomRestarts?: number
  /** L-BFGS iterations per start (default 60). */
  readonly maxIterations?: number
  /**
   * Points the hyperparameters are fitted on at most (default 64): beyond, the best half of that
   * many and a random draw of the others. The process is then conditioned on every point; this
   * keeps a fit of a few hundred points to one factorisation of their kernel matrix per ask
   * instead of hundreds.
   */
  readonly maxFitPoints?: number
}

/** Matérn 5/2 correlation at scaled distance r. */
function matern52(r: number): number {
  const s = SQRT5 * r
  return (1 + s + (s * s) / 3) * Math.exp(-s)
}

/**
 * A fitted Gaussian process: predicts the latent function's mean and standard deviation, and can
 * take extra observations with its hyperparameters fixed (the constant liar of parallel asks).
 * @example
 * const gp = GaussianProcess.fit(x, y, dims, new Rng(1))
 * const { mean, sd } = gp.predict(candidate)
 */
export class GaussianProcess {
  readonly n: number
  readonly dims: number
  readonly hyper: GpHyperparameters
  private readonly x: Float64Array
  private readonly ys: Float64Array
  private readonly l: Float64Array
  private readonly alpha: Float64Array
  private readonly yMean: number
  private readonly yScale: number
  private readonly invLen2: Float64Array
  private readonly kStar: Float64Array

  private constructor(x: Float64Array, ys: Float64Array, dims: number, hyper: GpHyperparameters, l: Float64Array, yMean: number, yScale: number) {
    this.n = ys.length
    this.dims = dims
    this.x = x
    this.ys = ys
    this.hyper = hyper
    this.l = l
    this.yMean = yMean
    this.yScale = yScale
    this.alpha = choleskySolve(l, this.n, ys.slice())
    this.invLen2 = hyper.lengthScales.map((v) => 1 / (v * v))
    this.kStar = new Float64Array(this.n)
  }

  /**
   * Fits a GP to `n` points (row-major `x`, `dims` features each, in [0, 1]) and their values `y`.
   * @example
   * const gp = GaussianProcess.fit(x, y, 6, new Rng(1))
   * const { mean, sd } = gp.predict(point)
   */
  static fit(x: Float64Array, y: ArrayLike<number>, dims: number, rng: Rng, options: GpFitOptions = {}): GaussianProcess {
    const n = y.length
    let mean = 0
    for (let i = 0; i < n; i++) mean += y[i]
    mean /= n
    let variance = 0
    for (let i = 0; i < n; i++) variance += (y[i] - mean) ** 2
    const scale = n > 1 && variance > 0 ? Math.sqrt(variance / (n - 1)) : 1
    const ys = Float64Array.from(y, (v) => (v - mean) / scale)
    const subset = fitSubset(ys, options.maxFitPoints ?? 64, rng)
    const hyper = subset
      ? fitHyperparameters(gather(x, dims, subset), Float64Array.from(subset, (i) => ys[i]), dims, rng, options)
      : fitHyperparameters(x, ys, dims, rng, options)
    const l = kernelFactor(x, n, dims, hyper)
    return new GaussianProcess(x, ys, dims, hyper, l, mean, scale)
  }

  /** @internal */
  static withHyperparameters(x: Float64Array, y: ArrayLike<number>, dims: number, hyper: GpHyperparameters): GaussianProcess {
    const ys = Float64Array.from(y)
    return new GaussianProcess(x, ys, dims, hyper, kernelFactor(x, ys.length, dims, hyper), 0, 1)
  }

  /**
   * The posterior of the latent function at `point` (the first `dims` values from `offset`): mean
   * and standard deviation in the units of the fitted values.
   * @example const { mean, sd } = gp.predict(Float64Array.of(0.2, 0.7))
   */
  predict(point: ArrayLike<number>, offset = 0): { mean: number; sd: number } {
    const { n, dims, x, invLen2, kStar } = this
    const signal = this.hyper.signalVariance
    let mu = 0
    for (let i = 0; i < n; i++) {
      const row = i * dims
      let r2 = 0
      for (let d = 0; d < dims; d++) {
        const diff = x[row + d] - point[offset + d]
        r2 += diff * diff * invLen2[d]
      }
      const k = signal * matern52(Math.sqrt(r2))
      kStar[i] = k
      mu += k * this.alpha[i]
    }
    // v = L⁻¹ k*, variance = k(x, x) - vᵀv
    const l = this.l
    let vv = 0
    for (let i = 0; i < n; i++) {
      const ri = i * n
      let s = kStar[i]
      for (let k = 0; k < i; k++) s -= l[ri + k] * kStar[k]
      const v = s / l[ri + i]
      kStar[i] = v
      vv += v * v
    }
    const variance = Math.max(signal - vv, 1e-12 * signal)
    return { mean: this.yMean + this.yScale * mu, sd: this.yScale * Math.sqrt(variance) }
  }

  /**
   * The same process with one more observation (`value` in the caller's units) and unchanged
   * hyperparameters; undefined if the kernel matrix stops being positive definite.
   * @example const believer = gp.withObservation(pending, lie)
   */
  withObservation(point: ArrayLike<number>, value: number): GaussianProcess | undefined {
    const { n, dims, x, invLen2 } = this
    const signal = this.hyper.signalVariance
    const cross = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      let r2 = 0
      for (let d = 0; d < dims; d++) {
        const diff = x[i * dims + d] - point[d]
        r2 += diff * diff * invLen2[d]
      }
      cross[i] = signal * matern52(Math.sqrt(r2))
    }
    const l = choleskyAppend(this.l, n, cross, signal + this.hyper.noiseVariance + JITTER)
    if (!l) return undefined
    const x2 = new Float64Array((n + 1) * dims)
    x2.set(x)
    for (let d = 0; d < dims; d++) x2[n * dims + d] = point[d]
    const ys = new Float64Array(n + 1)
    ys.set(this.ys)
    ys[n] = (value - this.yMean) / this.yScale
    return new GaussianProcess(x2, ys, dims, this.hyper, l, this.yMean, this.yScale)
  }
}

/** Indices of the points to fit hyperparameters on (sorted), or undefined to use them all. */
function fitSubset(ys: Float64Array, limit: number, rng: Rng): Int32Array | undefined {
  const n = ys.length
  if (n <= limit) return undefined
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => ys[a] - ys[b] || a - b)
  const best = limit >> 1
  const rest = rng.shuffle(order.slice(best))
  const chosen = new Int32Array(limit)
  chosen.set(order.subarray(0, best))
  chosen.set(rest.subarray(0, limit - best), best)
  return chosen.sort()
}

function gather(x: Float64Array, dims: number, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length * dims)
  rows.forEach((r, i) => out.set(x.subarray(r * dims, (r + 1) * dims), i * dims))
  return out
}

/** The factor of the kernel matrix (noise and jitter on the diagonal), with more jitter if needed. */
function kernelFactor(x: Float64Array, n: number, dims: number, hyper: GpHyperparameters): Float64Array {
  const invLen2 = hyper.lengthScales.map((v) => 1 / (v * v))
  for (let extra = 0; ; extra = extra === 0 ? 1e-8 : extra * 10) {
    const k = kernelMatrix(x, n, dims, invLen2, hyper.signalVariance, hyper.noiseVariance + JITTER + extra)
    if (cholesky(k, n)) return k
    if (extra > 1) throw new Error('the kernel matrix is not positive definite')
  }
}

function kernelMatrix(x: Float64Array, n: number, dims: number, invLen2: Float64Array, signal: number, diagonal: number): Float64Array {
  const k = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    k[i * n + i] = signal + diagonal
    for (let j = 0; j < i; j++) {
      let r2 = 0
      for (let d = 0; d < dims; d++) {
        const diff = x[i * dims + d] - x[j * dims + d]
        r2 += diff * diff * invLen2[d]
      }
      const v = signal * matern52(Math.sqrt(r2))
      k[i * n + j] = v
      k[j * n + i] = v
    }
  }
  return k
}

/**
 * The negative log posterior of the hyperparameters θ = [ln ℓ_1..ℓ_D, ln σ_f², ln σ_n²] and its
 * gradient: -(log marginal likelihood + log prior). Infinity when the kernel matrix cannot be
 * factored.
 * @example const value = negLogPosterior(x, ys, dims, theta, grad)
 */
export function negLogPosterior(x: Float64Array, ys: Float64Array, dims: number, theta: Float64Array, grad: Float64Array): number {
  const n = ys.length
  const invLen2 = new Float64Array(dims)
  for (let d = 0; d < dims; d++) invLen2[d] = Math.exp(-2 * theta[d])
  const signal = Math.exp(theta[dims])
  const noise = Math.exp(theta[dims + 1])
  const l = kernelMatrix(x, n, dims, invLen2, signal, noise + JITTER)
  if (!cholesky(l, n)) return Infinity
  const alpha = choleskySolve(l, n, ys.slice())
  let fit = 0
  let logDet = 0
  for (let i = 0; i < n; i++) {
    fit += ys[i] * alpha[i]
    logDet += Math.log(l[i * n + i])
  }
  const lml = -0.5 * fit - logDet - 0.5 * n * LOG_2PI
  // W = ααᵀ - K⁻¹; ∂lml/∂θ = ½ Σ W_ij ∂K_ij/∂θ.
  const w = choleskyInverse(l, n)
  for (let i = 0; i < n * n; i++) w[i] = alpha[Math.floor(i / n)] * alpha[i % n] - w[i]
  grad.fill(0)
  let gSignal = 0
  let trace = 0
  for (let i = 0; i < n; i++) {
    trace += w[i * n + i]
    gSignal += 0.5 * w[i * n + i] * signal
    for (let j = 0; j < i; j++) {
      let r2 = 0
      for (let d = 0; d < dims; d++) {
        const diff = x[i * dims + d] - x[j * dims + d]
        r2 += diff * diff * invLen2[d]
      }
      const s = SQRT5 * Math.sqrt(r2)
      const e = Math.exp(-s)
      const wij = w[i * n + j] // W is symmetric: the pair (i, j) and (j, i) together count once in full
      gSignal += wij * signal * (1 + s + (s * s) / 3) * e
      const common = wij * signal * (5 / 3) * (1 + s) * e
      for (let d = 0; d < dims; d++) {
        const diff = x[i * dims + d] - x[j * dims + d]
        grad[d] += common * diff * diff * invLen2[d]
      }
    }
  }
  const gNoise = 0.5 * noise * trace
  // Priors: Gamma(a, b) on each length scale ℓ, in ln ℓ: a ln ℓ - b ℓ; log-normal on the variances.
  let prior = 0
  for (let d = 0; d < dims; d++) {
    const len = Math.exp(theta[d])
    prior += LENGTH_PRIOR.shape * theta[d] - LENGTH_PRIOR.rate * len
    grad[d] = -(grad[d] + LENGTH_PRIOR.shape - LENGTH_PRIOR.rate * len)
  }
  const zs = (theta[dims] - SIGNAL_PRIOR.mean) / SIGNAL_PRIOR.sd
  const zn = (theta[dims + 1] - NOISE_PRIOR.mean) / NOISE_PRIOR.sd
  prior += -0.5 * zs * zs - 0.5 * zn * zn
  grad[dims] = -(gSignal - zs / SIGNAL_PRIOR.sd)
  grad[dims + 1] = -(gNoise - zn / NOISE_PRIOR.sd)
  return -(lml + prior)
}

function fitHyperparameters(x: Float64Array, ys: Float64Array, dims: number, rng: Rng, options: GpFitOptions): GpHyperparameters {
  const p = dims + 2
  const lower = new Float64Array(p)
  const upper = new Float64Array(p)
  for (let d = 0; d < dims; d++) {
    lower[d] = LOG_LENGTH[0]
    upper[d] = LOG_LENGTH[1]
  }
  lower[dims] = LOG_SIGNAL[0]
  upper[dims] = LOG_SIGNAL[1]
  lower[dims + 1] = LOG_NOISE[0]
  upper[dims + 1] = LOG_NOISE[1]
  const start = (logLength: number, logNoise: number): Float64Array => {
    const t = new Float64Array(p).fill(logLength)
    t[dims] = 0
    t[dims + 1] = logNoise
    return t
  }
  const starts = [start(Math.log(0.5), Math.log(1e-2)), start(Math.log(0.2), Math.log(1e-4))]
  for (let r = 0; r < (options.randomRestarts ?? 1); r++) {
    const t = new Float64Array(p)
    for (let d = 0; d < dims; d++) t[d] = Math.log(0.05) + rng.next() * (Math.log(2) - Math.log(0.05))
    t[dims] = rng.next() * 2 - 1
    t[dims + 1] = Math.log(1e-5) + rng.next() * (Math.log(1e-1) - Math.log(1e-5))
    starts.push(t)
  }
  let best: Float64Array = starts[0]
  let bestValue = Infinity
  const objective = (theta: Float64Array, grad: Float64Array): number => negLogPosterior(x, ys, dims, theta, grad)
  for (const t of starts) {
    // Eight pairs are plenty for a few hyperparameters (and keep the fits as they were).
    const r = minimizeLbfgs(objective, t, { lower, upper, memory: 8, maxIterations: options.maxIterations ?? 60, functionTolerance: 1e-7, gradientTolerance: 1e-4 })
    if (r.value < bestValue) {
      bestValue = r.value
      best = r.x
    }
  }
  return {
    lengthScales: Float64Array.from(best.subarray(0, dims), Math.exp),
    signalVariance: Math.exp(best[dims]),
    noiseVariance: Math.exp(best[dims + 1]),
  }
}
