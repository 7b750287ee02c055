/**
 * Maximises log expected improvement over the search space: a pool of random candidates plus
 * candidates scattered around the best points seen so far at several scales, scored by the
 * Gaussian process, then the best few refined by a (1+1) evolution strategy with step-size
 * adaptation. Every candidate is snapped to the point it decodes to before it is scored, so
 * integer and categorical ranges are scored as they would run, and points already tried are
 * skipped.
 */
import type { Rng } from '../../rng.js'
import { decode, pointKey, snap, type SearchSpace } from '../space.js'
import type { Params } from '../types.js'
import type { FeatureMap } from './features.js'
import type { GaussianProcess } from './gp.js'
import { logExpectedImprovement } from './normal.js'

export interface AcquisitionProblem {
  readonly space: SearchSpace
  readonly features: FeatureMap
  /** The model of the objective, to be minimised. */
  readonly gp: GaussianProcess
  /** The incumbent: the best (smallest) value observed. */
  readonly best: number
  /** Cube coordinates of the best points so far, best first: local candidates gather around them. */
  readonly anchors: readonly Float64Array[]
  /** Keys ({@link pointKey}) of points that must not be proposed. */
  readonly used: ReadonlySet<string>
  readonly rng: Rng
}

export interface AcquisitionOptions {
  /** Uniform random candidates (default 1000). */
  readonly randomCandidates?: number
  /** Candidates around the anchors (default 1000). */
  readonly localCandidates?: number
  /** Best candidates refined by local search (default 5). */
  readonly refineStarts?: number
  /** Local-search steps per refined candidate (default 80). */
  readonly refineSteps?: number
}

export interface AcquisitionChoice {
  readonly u: Float64Array
  readonly params: Params
  readonly key: string
  readonly logEi: number
}

/** Scales (in cube units) of the perturbations that make local candidates. */
const LOCAL_SCALES = [0.2, 0.05, 0.01]

/**
 * The unused point with the highest log EI found, or undefined when every candidate is used.
 * @example
 * const choice = maximizeLogEi({ space, features, gp, best, anchors, used, rng })
 * choice?.params // the next point to evaluate
 */
export function maximizeLogEi(problem: AcquisitionProblem, options: AcquisitionOptions = {}): AcquisitionChoice | undefined {
  const { space, features, gp, best, anchors, used, rng } = problem
  const dims = space.dims
  const numeric = space.ranges.map((r) => r.type !== 'categorical')
  const sizes = space.ranges.map((r) => (r.type === 'categorical' ? r.values.length : 0))
  const feat = new Float64Array(features.width)
  const score = (u: Float64Array): number => {
    features.write(u, feat, 0)
    const { mean, sd } = gp.predict(feat)
    return logExpectedImprovement(mean, sd, best)
  }

  const nRandom = options.randomCandidates ?? 1000
  const nLocal = anchors.length > 0 ? (options.localCandidates ?? 1000) : 0
  const total = nRandom + nLocal
  const pool = new Float64Array(total * dims)
  for (let c = 0; c < nRandom; c++) for (let j = 0; j < dims; j++) pool[c * dims + j] = rng.next()
  for (let c = 0; c < nLocal; c++) {
    // Anchors are visited best first and more often: the k-th gets weight 1 / (k + 1).
    const anchor = anchors[Math.min(anchors.length - 1, Math.floor(anchors.length * rng.next() ** 2))]
    const scale = LOCAL_SCALES[c % LOCAL_SCALES.length]
    const row = (nRandom + c) * dims
    for (let j = 0; j < dims; j++) {
      pool[row + j] = numeric[j] ? reflect(anchor[j] + scale * rng.normal()) : rng.next() < 1 / dims ? rng.next() : anchor[j]
    }
  }
  const scores = new Float64Array(total)
  for (let c = 0; c < total; c++) scores[c] = score(snap(space, pool.subarray(c * dims, (c + 1) * dims)))
  const order = Array.from({ length: total }, (_, c) => c).sort((a, b) => scores[b] - scores[a] || a - b)

  // Refine the best distinct candidates.
  const refined: { u: Float64Array; value: number }[] = []
  const seeds = new Set<string>()
  const starts = options.refineStarts ?? 5
  for (const c of order) {
    if (refined.length >= starts) break
    const u = pool.slice(c * dims, (c + 1) * dims)
    const key = pointKey(space, decode(space, u))
    if (seeds.has(key) || used.has(key)) continue
    seeds.add(key)
    refined.push(refine(u, scores[c], score, space, numeric, sizes, rng, options.refineSteps ?? 80, used))
  }
  refined.sort((a, b) => b.value - a.value)
  for (const r of refined) {
    const params = decode(space, r.u)
    const key = pointKey(space, params)
    if (!used.has(key)) return { u: r.u, params, key, logEi: r.value }
  }
  for (const c of order) {
    const u = pool.slice(c * dims, (c + 1) * dims)
    const params = decode(space, u)
    const key = pointKey(space, params)
    if (!used.has(key)) return { u, params, key, logEi: scores[c] }
  }
  return undefined
}

/** Folds a coordinate back into [0, 1] at the walls, so perturbations near a bound stay spread. */
function reflect(v: number): number {
  let u = v
  for (let i = 0; i < 4 && (u < 0 || u > 1); i++) u = u < 0 ? -u : 2 - u
  return Math.min(1, Math.max(0, u))
}

/** (1+1)-ES on snapped coordinates: accept a move when it scores better and is not a used point. */
function refine(
  start: Float64Array,
  startValue: number,
  score: (u: Float64Array) => number,
  space: SearchSpace,
  numeric: readonly boolean[],
  sizes: readonly number[],
  rng: Rng,
  steps: number,
  used: ReadonlySet<string>,
): { u: Float64Array; value: number } {
  const dims = start.length
  let u = start
  let value = startValue
  let sigma = 0.05
  const trial = new Float64Array(dims)
  for (let s = 0; s < steps && sigma > 1e-5; s++) {
    for (let j = 0; j < dims; j++) {
      trial[j] = numeric[j] ? reflect(u[j] + sigma * rng.normal()) : sizes[j] > 1 && rng.next() < 0.5 / dims ? rng.next() : u[j]
    }
    snap(space, trial)
    const v = score(trial)
    if (v > value && !used.has(pointKey(space, decode(space, trial)))) {
      u = trial.slice()
      value = v
      sigma *= 1.5
    } else {
      sigma *= 0.85
    }
  }
  return { u, value }
}
