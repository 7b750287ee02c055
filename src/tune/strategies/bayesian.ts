/**
 * Bayesian optimisation: a Gaussian process models the objective over the search space and each
 * new point maximises log expected improvement over the best value so far.
 *
 * - Opening: the first max(5, ranges + 1) trials (at most half of maxJobs) follow a Latin
 *   hypercube design; the model takes over once that many trials were asked and two have values.
 * - Model: Matérn 5/2 with one length scale per input (model/gp.ts); inputs are the cube
 *   coordinates (log ranges in log space, integers relaxed to their cells and scored at the
 *   integer they round to) and categoricals one-hot. Completed and Stopped trials with a finite
 *   value are the data (a Stopped trial's last value is what it reached); Failed trials are left
 *   out of the model but never proposed again. Values far worse than the rest (beyond the median
 *   by five times the best-to-median spread) are clipped to that bound, so one diverged trial does
 *   not flatten the model.
 * - Parallel slots: Running trials, and points already chosen in the same ask, enter the model as
 *   a constant liar at the mean observed value, which lowers the expected improvement around them,
 *   so parallel asks spread out and never repeat a point.
 * Every random choice derives from (seed, trial number), so the same history gives the same points.
 */
import { Rng } from '../../rng.js'
import { featureMap, type FeatureMap } from '../model/features.js'
import { maximizeLogEi } from '../model/acquisition.js'
import { GaussianProcess } from '../model/gp.js'
import { mixSeed } from '../seed.js'
import { decode, encode, inSpace, pointKey, snap, type SearchSpace } from '../space.js'
import type { Params, Strategy, TrialView } from '../types.js'
import { latinHypercube } from './design.js'
import { byNumber, freshUniform, nextTrialNumber, usedKeys } from './fresh.js'
import type { StrategySetup } from './options.js'

export interface BayesianOptions {
  /** Trials of the opening design (default: max(5, ranges + 1), at most half of maxJobs, at least 2). */
  readonly initialTrials?: number
  /** Random candidates per acquisition, and as many local ones (default 1000, fewer past 100 trials). */
  readonly candidates?: number
}

/** Where the model stands during one ask. */
interface Model {
  gp: GaussianProcess
  readonly best: number
  readonly lie: number
  readonly anchors: Float64Array[]
}

/**
 * The number of opening trials for `ranges` ranges and a budget of `maxJobs`.
 * @example initialTrials(6, 40) // 7
 */
export function initialTrials(ranges: number, maxJobs: number): number {
  return Math.max(2, Math.min(Math.max(5, ranges + 1), Math.floor(maxJobs / 2)))
}

/**
 * The Bayesian strategy.
 * @example
 * const bo = bayesianStrategy(strategySetup({ ranges, direction: 'minimize', seed: 1, maxJobs: 40 }))
 * const [next] = bo.ask(history, 1)
 */
export function bayesianStrategy(setup: StrategySetup, options: BayesianOptions = {}): Strategy {
  const { space, seed, direction } = setup
  const nInitial = options.initialTrials ?? initialTrials(space.dims, setup.maxJobs)
  const design = latinHypercube(nInitial, space.dims, new Rng(mixSeed(seed, 0x0de5)))
  const features = featureMap(space)
  const sign = direction === 'minimize' ? 1 : -1

  return {
    name: 'Bayesian',
    ask(history, n) {
      const trials = byNumber(history)
      const used = usedKeys(space, trials)
      const next = nextTrialNumber(trials)
      const observed = trials.filter((t) => (t.state === 'Completed' || t.state === 'Stopped') && Number.isFinite(t.value) && inSpace(space, t.params))
      const pending: Params[] = trials.filter((t) => t.state === 'Running' && inSpace(space, t.params)).map((t) => t.params)
      const out: Params[] = []
      let model: Model | undefined
      for (let i = 0; i < n; i++) {
        const number = next + i
        const rng = new Rng(mixSeed(seed, number))
        let p: Params | undefined
        if (number < nInitial || observed.length < 2) {
          const u = number < nInitial ? design[number] : undefined
          const planned = u ? decode(space, u) : undefined
          p = planned && !used.has(pointKey(space, planned)) ? planned : freshUniform(space, used, rng)
        } else {
          model ??= buildModel(space, features, observed, pending, sign, new Rng(mixSeed(seed, next, 1)))
          // Scoring a candidate costs O(n²): past 100 trials, fewer candidates keep an ask's time flat.
          const candidates = options.candidates ?? Math.max(250, Math.round(1000 * Math.min(1, 100 / model.gp.n)))
          const choice = maximizeLogEi(
            { space, features, gp: model.gp, best: model.best, anchors: model.anchors, used, rng },
            { randomCandidates: candidates, localCandidates: candidates },
          )
          p = choice?.params ?? freshUniform(space, used, rng)
        }
        if (!p) break
        used.add(pointKey(space, p))
        out.push(p)
        pending.push(p)
        if (model) model.gp = model.gp.withObservation(featuresOf(space, features, p), model.lie) ?? model.gp
      }
      return out
    },
  }
}

function featuresOf(space: SearchSpace, features: FeatureMap, p: Params): Float64Array {
  const x = new Float64Array(features.width)
  features.write(snap(space, encode(space, p)), x, 0)
  return x
}

function buildModel(space: SearchSpace, features: FeatureMap, observed: readonly TrialView[], pending: readonly Params[], sign: number, rng: Rng): Model {
  const n = observed.length
  const y = clipped(Float64Array.from(observed, (t) => sign * t.value!))
  const x = new Float64Array(n * features.width)
  for (let i = 0; i < n; i++) x.set(featuresOf(space, features, observed[i].params), i * features.width)
  let gp = GaussianProcess.fit(x, y, features.width, rng)
  let best = Infinity
  let lie = 0
  for (const v of y) {
    best = Math.min(best, v)
    lie += v / n
  }
  for (const p of pending) gp = gp.withObservation(featuresOf(space, features, p), lie) ?? gp
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => y[a] - y[b] || a - b)
  const anchors = order.slice(0, 5).map((i) => encode(space, observed[i].params))
  return { gp, best, lie, anchors }
}

/** Values beyond median + 5 (median - best) clipped to that bound (minimisation). */
function clipped(y: Float64Array): Float64Array {
  const sorted = Float64Array.from(y).sort()
  const mid = sorted.length >> 1
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  const bound = median + 5 * (median - sorted[0])
  if (bound > median) for (let i = 0; i < y.length; i++) if (y[i] > bound) y[i] = bound
  return y
}
