/**
 * Quantised gradients (LightGBM's quantised training, `use_quantized_grad`): before each tree,
 * every row's gradient and hessian of the tree's output are discretised to small integers, so
 * histograms are sums of integers (exact, and subtraction of a sibling is exact too) and a row's
 * pair takes two bytes instead of eight.
 *
 * With B levels (`num_grad_quant_bins`), a gradient g becomes round(g * (B/2) / max|g|) in
 * [-ceil(B/2), ceil(B/2)] and a hessian h becomes round(h * B / max h) in [0, B]; a pair is one
 * signed byte each. A constant hessian (squared error) becomes 1, its scale the constant, so it
 * stays exact. Rounding is stochastic by default: floor(x + u) with u uniform in (0, 1), whose
 * mean is x, so sums over many rows stay unbiased. A split's gain is computed from the integer
 * sums times the scales.
 *
 * The random numbers come from {@link Rng} streams: the tree's key comes from the fit's seed, the
 * round and the output, and each part of the rows (a range whose bounds depend only on the number
 * of rows) runs its own stream seeded by the key and the part's first position. So the same seed
 * gives the same integers on any number of threads; the WebAssembly kernel (wasm/gbdt-kernels.ts)
 * runs the same generator and arithmetic, bit for bit.
 */
import { Rng } from '../../rng.js'

/** Flag bits of a discretisation: stochastic rounding, constant hessian. */
export const enum QuantFlags {
  Stochastic = 1,
  ConstantHessian = 2,
}

/** How one tree's gradients are discretised and how its integer sums scale back. */
export interface GradientQuantisation {
  /** A unit of the integer gradient, in gradient units: max|g| / (B/2). */
  readonly gScale: number
  /** A unit of the integer hessian: max h / B, or the hessian itself when constant. */
  readonly hScale: number
  /** Multipliers from gradient and hessian to the integer scale (before rounding). */
  readonly gInv: number
  readonly hInv: number
  /** {@link QuantFlags} bits. */
  readonly flags: number
  /** The tree's random key (uint32). */
  readonly key: number
}

/**
 * Writes the range of gradients grad[start..end) and hessians hess[start..end) to out[at..at + 3):
 * max |g|, max h, min h (-Infinity, -Infinity, Infinity when empty). Maxima do not depend on the
 * order, so parts of the rows can be ranged by different threads and combined.
 */
export function gradientRange(grad: Float64Array, hess: Float64Array, start: number, end: number, out: Float64Array, at: number): void {
  let maxG = -Infinity
  let maxH = -Infinity
  let minH = Infinity
  for (let i = start; i < end; i++) {
    const g = Math.abs(grad[i])
    const h = hess[i]
    maxG = g > maxG ? g : maxG
    maxH = h > maxH ? h : maxH
    minH = h < minH ? h : minH
  }
  out[at] = maxG
  out[at + 1] = maxH
  out[at + 2] = minH
}

/**
 * The discretisation into `bins` levels of gradients with max |g| `maxG` and hessians in
 * [minH, maxH].
 * @example const q = quantisation(2.5, 1, 1, 4, true, treeKey(seed, round, 0))
 */
export function quantisation(maxG: number, maxH: number, minH: number, bins: number, stochastic: boolean, key: number): GradientQuantisation {
  // + 0 turns a -0 into 0, whichever kernel found it.
  const mg = Math.max(maxG, 0) + 0
  const mh = Math.max(maxH, 0) + 0
  const half = bins / 2
  const constant = minH === maxH
  return {
    gScale: mg / half,
    hScale: constant ? mh : mh / bins,
    gInv: mg > 0 ? half / mg : 0,
    hInv: !constant && mh > 0 ? bins / mh : 0,
    flags: (stochastic ? QuantFlags.Stochastic : 0) | (constant ? QuantFlags.ConstantHessian : 0),
    key,
  }
}

/**
 * The discretisation of gradients grad[from..from + n) and hessians hess[from..from + n) into
 * `bins` levels, ranged on this thread.
 * @example const q = gradientQuantisation(grad, hess, 0, n, 4, true, treeKey(seed, round, 0))
 */
export function gradientQuantisation(
  grad: Float64Array,
  hess: Float64Array,
  from: number,
  n: number,
  bins: number,
  stochastic: boolean,
  key: number,
): GradientQuantisation {
  const range = new Float64Array(3)
  gradientRange(grad, hess, from, from + n, range, 0)
  return quantisation(range[0], range[1], range[2], bins, stochastic, key)
}

/**
 * The most levels quantised training can use on `nRows` rows: a node's integer sums (|gradients| up
 * to nRows ceil(B/2), hessians up to nRows B) must fit an int32.
 */
export function maxQuantBinsFor(nRows: number): number {
  return Math.floor(0x7fffffff / Math.max(nRows, 1))
}

/** The random key of the tree of output `k` in round `round` of a fit seeded `seed` (uint32). */
export function treeKey(seed: number, round: number, k: number): number {
  return new Rng((seed ^ Math.imul(round + 1, 0x85ebca6b) ^ Math.imul(k + 1, 0xc2b2ae35)) >>> 0).nextUint32()
}

/** Seed of the random stream of the part of a tree's rows that starts at position `start`. */
export function partSeed(key: number, start: number): number {
  return (key ^ Math.imul(start, 0x9e3779b1)) >>> 0
}

/** 2^-16: a random 16-bit half as a fraction. */
const HALF_UNIT = 1 / 65536

/**
 * Puts sampled rows [start, end) in node order at the start of a tree with discretised gradient
 * pairs: rows[j] = sampled[j] and q[2j], q[2j + 1] = integer gradient and hessian of that row.
 * Position j's rounding offsets come from the j - start'th number of the part's stream: its high
 * 16 bits for the gradient, its low 16 for the hessian.
 */
export function gatherQuantisedPairs(
  sampled: Int32Array,
  grad: Float64Array,
  hess: Float64Array,
  start: number,
  end: number,
  rows: Int32Array,
  q: Int8Array,
  gInv: number,
  hInv: number,
  key: number,
  flags: number,
): void {
  const stochastic = (flags & QuantFlags.Stochastic) !== 0
  const constant = (flags & QuantFlags.ConstantHessian) !== 0
  const rng = new Rng(partSeed(key, start))
  for (let j = start; j < end; j++) {
    const i = sampled[j]
    rows[j] = i
    let ug = 0.5
    let uh = 0.5
    if (stochastic) {
      const r = rng.nextUint32()
      // Centred in its 1/65536 step: u is in (0, 1) with mean 1/2 exactly.
      ug = ((r >>> 16) + 0.5) * HALF_UNIT
      uh = ((r & 0xffff) + 0.5) * HALF_UNIT
    }
    q[2 * j] = Math.floor(grad[i] * gInv + ug)
    q[2 * j + 1] = constant ? 1 : Math.floor(hess[i] * hInv + uh)
  }
}
