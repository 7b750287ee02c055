/**
 * The boosting loop of `oblivious`: per tree a Bayesian bootstrap of the rows, one permutation for
 * the ordered statistics (and, in Ordered mode, for the gradients), one symmetric tree over all
 * outputs, Newton leaf values with L2, margin updates, eval tracking and the overfitting detector.
 */
import { type BinnedFrame, rowStrideOf } from '../../data/binning.js'
import type { Frame } from '../../data/frame.js'
import { takeRows } from '../../data/frame.js'
import { DataError, ParamError } from '../../errors.js'
import { getMetric, isBetter } from '../../metrics/registry.js'
import { Rng } from '../../rng.js'
import { applyLink } from '../../runtime/link.js'
import { addTrees, type ObliviousEnsemble, type ObliviousInput, resolveInputs, treeOffsets, writeModelFeatures } from '../../runtime/oblivious.js'
import type { EvalSet, TrainingData } from '../types.js'
import { CategoricalCandidates } from './categorical.js'
import type { CategoricalInput } from './ctr.js'
import { EnsembleBuilder } from './ensemble-builder.js'
import { applyNumericSplit, applySplit, GrowScratch, growObliviousTree, type NumericAccumulate, type PendingSplit, type TreeSplit } from './grower.js'
import { checkTargets, initialMargin, type Loss, makeLoss, median } from './losses.js'
import { type NumericBlock, numericBlock } from './numeric.js'
import { OrderedSupport } from './ordered.js'
import type { LossName, ObliviousParams } from './params.js'
import { newtonLeaves } from './score.js'
import { AbortPoint } from '../../exec/abort-point.js'
import { SharedMemory } from '../../exec/shared-memory.js'
import { trainingKernels } from '../kernel-choice.js'
import { trainingRows } from '../training-rows.js'
import {
  accumulatePart,
  gradientRms,
  type Derivatives,
  type DerivativesJob,
  type LeavesJob,
  type MarginsJob,
  type RowsJob,
  runTask,
  setPendingSplit,
  taskCount,
  WEIGHT_ROWS,
  weighRows,
  type WeightsJob,
} from './parts.js'
import type { PassFactory } from './threads.js'

/** Permutations for ordered statistics and ordered boosting (CatBoost's permutation_count). */
export const PERMUTATIONS = 4

/** Params with everything the fit context decides filled in. */
export interface ResolvedParams extends ObliviousParams {
  readonly loss_function: LossName
  readonly random_seed: number
}

export interface TrainOptions {
  readonly rows?: Int32Array
  readonly nClasses: number
  readonly evalSet?: EvalSet<TrainingData>
  readonly signal?: AbortSignal
  readonly onRound?: (round: number, evalValue: number) => void
  /** Numeric histogram pass (serial or on worker threads), closed when the fit ends; serial when absent. */
  readonly accumulate?: PassFactory
}

export interface TrainResult {
  readonly ensemble: ObliviousEnsemble
  readonly loss: Loss
  readonly evalHistory: number[]
  readonly bestIteration: number
}

/**
 * Trains an oblivious ensemble on the rows of `data`.
 * @example const { ensemble } = trainOblivious(data, y, resolved, { nClasses: 1 })
 */
export async function trainOblivious(data: TrainingData, y: Float64Array, params: ResolvedParams, options: TrainOptions): Promise<TrainResult> {
  const N = data.frame.nRows
  const { ids, y: yLocal } = trainingRows(N, y, options.rows)
  const n = ids.length
  const loss = makeLoss(params.loss_function, options.nClasses)
  checkTargets(loss, yLocal)
  const K = loss.nOutputs
  const rng = new Rng(params.random_seed)

  const { inputs, numericInput, cats } = splitInputs(data.frame, ids, params.cat_features)
  // The buffers of the histogram pass, shared by its threads and addressed by its WebAssembly kernel.
  const mem = new SharedMemory(
    n * (rowStrideOf(numericInput.length) + 20 + 40 * K) + 8 * 4 * histogramCodes(data.binned, numericInput) * K * (1 << Math.max(0, params.depth - 1)) + 8 * K * (1 << params.depth),
  )
  const numeric = numericBlock(data.binned, numericInput, ids, params.border_count, mem)
  const { targets, priors } = ctrTargets(loss, yLocal)
  // Permutations serve the ordered target statistics and ordered boosting only: without either,
  // drawing them was a serial pass over every row, four times, for nothing.
  const perms = cats.length > 0 || params.boosting_type === 'Ordered' ? Array.from({ length: PERMUTATIONS }, () => rng.shuffle(identity(n))) : []
  const candidates = new CategoricalCandidates(cats, targets, priors, perms, params.one_hot_max_size)
  const base = initialMargin(loss, yLocal)
  const builder = new EnsembleBuilder(inputs, numericInput, Int32Array.from(cats, (c) => c.input), candidates, K, base)

  // In the fit's memory, so the threads add each tree's leaf values to it.
  const margin = mem.alloc(Float64Array, n * K)
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) margin[i * K + k] = base[k]
  const derivatives: Derivatives = {
    g: mem.alloc(Float64Array, n * K),
    h: mem.alloc(Float64Array, n * K),
    weight: mem.alloc(Float64Array, n),
    wg: mem.alloc(Float64Array, n * K),
    wh: mem.alloc(Float64Array, n * K),
  }
  const { g, h, weight, wg, wh } = derivatives
  const scratch = new GrowScratch(n, numeric, K, params.depth, mem)
  const ordered = params.boosting_type === 'Ordered' ? new OrderedSupport(perms, loss, yLocal, base) : null
  const tracker = options.evalSet ? new EvalTracker(options.evalSet, loss, base) : null
  const leafOfPerm = new Int32Array(n)
  const residual = loss.exactLeaves ? new Float64Array(n) : null
  const detector = makeDetector(params)

  const jobs = rowJobs(mem, loss, margin, yLocal, derivatives, scratch.node, params.depth)
  // Made last, so nothing between here and the try can throw while it holds worker threads.
  const { accumulate, applyPending, weigh, rows, close } = (options.accumulate ?? serialPass)(numeric, K, mem, derivatives)
  const abortPoint = new AbortPoint(options.signal)
  try {
    for (let iter = 0; iter < params.iterations; iter++) {
      await abortPoint.pass()
      const seed = params.bagging_temperature > 0 ? rng.nextUint32() : 0
      const perm = rng.int(PERMUTATIONS)
      if (ordered) ordered.derivatives(perm, g, h)
      else rows(jobs.derivatives)
      const gradientRms = weigh(seed, params.bagging_temperature)
      const splits = growObliviousTree({
        numeric, accumulate, applyPending, g: wg, h: wh, n, K, depth: params.depth, lambda: params.l2_leaf_reg,
        columnsFor: (_level, chosen) => (candidates.empty ? [] : candidates.candidates(perm, chosen)),
        rng, noiseSd: params.random_strength > 0 ? params.random_strength * gradientRms * strengthMultiplier(n, iter * params.learning_rate) : 0,
        rsm: params.rsm,
      }, scratch)
      const leafOf = scratch.node
      const nLeaves = 1 << splits.length
      if (ordered) {
        // Final leaf values come from the plain model's gradients, as in CatBoost.
        rows(jobs.derivatives)
        for (let r = 0; r < PERMUTATIONS; r++) {
          const leaves = r === perm ? leafOf : leavesUnder(splits, candidates, r, numeric, n, leafOfPerm)
          ordered.addTree(r, leaves, nLeaves, params.l2_leaf_reg, params.learning_rate)
        }
      }
      const values = residual
        ? medianLeaves(leafOf, nLeaves, yLocal, margin, weight, residual, params.learning_rate)
        : leafValues(jobs.leaves, nLeaves, rows, params.l2_leaf_reg, params.learning_rate)
      jobs.margins.values.set(values)
      rows(jobs.margins)
      builder.addTree(splits, values)
      const value = tracker ? tracker.addTree(builder) : NaN
      options.onRound?.(iter, value)
      if (tracker && detector(tracker.history, tracker.bestRound)) break
    }
  } finally {
    close()
  }
  const bestIteration = tracker ? tracker.bestRound : builder.depths.length - 1
  return { ensemble: builder.build(bestIteration + 1), loss, evalHistory: tracker?.history ?? [], bestIteration }
}

/** Model inputs in frame order: numeric columns read through the bins, categoricals by code. */
function splitInputs(frame: Frame, ids: Int32Array, catFeatures: readonly string[]): {
  inputs: ObliviousInput[]
  numericInput: Int32Array
  catInput: number[]
  cats: CategoricalInput[]
} {
  const names = new Set(frame.columns.map((c) => c.name))
  for (const name of catFeatures) {
    if (!names.has(name)) throw new ParamError(`cat_features names '${name}', which is not a feature column`, { field: 'params.cat_features' })
  }
  const inputs: ObliviousInput[] = []
  const numericInput: number[] = []
  const catInput: number[] = []
  const cats: CategoricalInput[] = []
  frame.columns.forEach((col, f) => {
    if (col.type === 'numeric' && !catFeatures.includes(col.name)) {
      numericInput.push(f)
      inputs.push({ name: col.name })
      return
    }
    let categories: readonly string[]
    const codes = new Int32Array(ids.length)
    if (col.type === 'categorical') {
      categories = col.categories
      for (let i = 0; i < ids.length; i++) codes[i] = col.codes[ids[i]]
    } else {
      // A numeric column named in cat_features: each distinct value is a category.
      const distinct = [...new Set(Array.from(ids, (r) => col.values[r]).filter((v) => v === v))].sort((a, b) => a - b)
      categories = distinct.map(String)
      const index = new Map(distinct.map((v, i) => [v, i]))
      for (let i = 0; i < ids.length; i++) {
        const v = col.values[ids[i]]
        codes[i] = v !== v ? -1 : index.get(v)!
      }
    }
    catInput.push(f)
    inputs.push({ name: col.name, categories })
    cats.push({ input: f, codes, nCategories: categories.length, nPresent: new Set(codes).size })
  })
  // numericInput holds frame positions, which are also the model's input indices and binned features.
  return { inputs, numericInput: Int32Array.from(numericInput), catInput, cats }
}

/** Targets and priors of the ordered statistics: the mean target, or one frequency per class. */
function ctrTargets(loss: Loss, y: Float64Array): { targets: Float64Array[]; priors: Float64Array } {
  const n = y.length
  if (loss.name === 'MultiClass') {
    const targets = Array.from({ length: loss.nOutputs }, (_, k) => Float64Array.from(y, (v) => (v === k ? 1 : 0)))
    return { targets, priors: Float64Array.from(targets, (t) => t.reduce((a, b) => a + b, 0) / n) }
  }
  return { targets: [y], priors: Float64Array.of(y.reduce((a, b) => a + b, 0) / n) }
}

/** The pass on the calling thread alone: the whole block as one part. */
const serialPass: PassFactory = (block, K, mem, derivatives) => {
  const n = block.codes.length / block.stride
  const kernels = trainingKernels()
  const split = mem.alloc(Int32Array, 3)
  const weights: WeightsJob = { kind: 'weights', n, K, ...derivatives, args: mem.alloc(Float64Array, 2), squares: mem.alloc(Float64Array, Math.ceil(n / WEIGHT_ROWS)) }
  const accumulate: NumericAccumulate = (g, h, node, build, nodeSize, hist, pending) => {
    setPendingSplit(split, pending)
    accumulatePart({ kind: 'histogram', kernels, block, K, n, parts: 1, g, h, node, build, nodeSize, outs: [hist], split, phase: Int32Array.of(0) }, 0)
  }
  const weigh = (seed: number, temperature: number) => {
    weights.args[0] = seed
    weights.args[1] = temperature
    for (let t = 0, count = taskCount(weights); t < count; t++) weighRows(weights, t)
    return gradientRms(weights)
  }
  const rows = (job: RowsJob) => {
    for (let t = 0, count = taskCount(job); t < count; t++) runTask(job, t)
  }
  const applyPending = (node: Int32Array, pending: PendingSplit) => applyNumericSplit(block.codes, block.stride, node, pending, 0, n)
  return { accumulate, applyPending, weigh, rows, close: () => {} }
}

/** Histogram codes of the numeric features at most (each feature's bins plus the missing code), for sizing the memory. */
function histogramCodes(binned: BinnedFrame, features: Int32Array): number {
  let total = 0
  for (const f of features) total += binned.nBins[f] + 2
  return total
}

/** CatBoost's decay of random_strength as the model grows: e^(ln n - L) / (1 + e^(ln n - L)). */
export function strengthMultiplier(n: number, modelLength: number): number {
  const left = Math.exp(Math.log(Math.max(1, n)) - modelLength)
  return left / (1 + left)
}

/** Leaf of every row when the tree's CTR splits use permutation r's statistics. */
function leavesUnder(splits: readonly TreeSplit[], cats: CategoricalCandidates, r: number, numeric: NumericBlock, n: number, out: Int32Array): Int32Array {
  out.fill(0)
  splits.forEach((s, level) => applySplit(s.column ? { ...s, column: cats.columnUnder(s.column, r) } : s, numeric, out, n, level))
  return out
}

/** Newton leaf values from the rows' (bootstrap-weighted) derivatives, summed a block of rows at a time by `rows`. */
function leafValues(job: LeavesJob, nLeaves: number, rows: (job: LeavesJob) => void, lambda: number, lr: number): Float64Array {
  job.nLeaves[0] = nLeaves
  rows(job)
  const width = nLeaves * job.K
  const G = new Float64Array(width)
  const H = new Float64Array(width)
  for (let slot = 0; slot < job.sums.length; slot += job.slot) {
    for (let j = 0; j < width; j++) {
      G[j] += job.sums[slot + j]
      H[j] += job.sums[slot + width + j]
    }
  }
  return newtonLeaves(G, H, lambda, lr)
}

/** The row-block jobs of a fit, over buffers in its memory: derivatives, leaf sums, the margins' update. */
function rowJobs(mem: SharedMemory, loss: Loss, margin: Float64Array, yLocal: Float64Array, d: Derivatives, leafOf: Int32Array, depth: number): {
  derivatives: DerivativesJob
  leaves: LeavesJob
  margins: MarginsJob
} {
  const n = yLocal.length
  const K = loss.nOutputs
  const y = mem.alloc(Float64Array, n)
  y.set(yLocal)
  const slot = 2 * (K << depth)
  return {
    derivatives: { kind: 'derivatives', n, loss, margin, y, g: d.g, h: d.h },
    leaves: { kind: 'leaves', n, K, leafOf, g: d.g, h: d.h, weight: d.weight, nLeaves: mem.alloc(Int32Array, 1), sums: mem.alloc(Float64Array, slot * Math.ceil(n / WEIGHT_ROWS)), slot },
    margins: { kind: 'margins', n, K, margin, leafOf, values: mem.alloc(Float64Array, K << depth) },
  }
}

/** MAE: each leaf moves by the median residual of its rows (CatBoost's Exact leaves), scaled. */
function medianLeaves(leafOf: Int32Array, nLeaves: number, y: Float64Array, margin: Float64Array, w: Float64Array, scratch: Float64Array, lr: number): Float64Array {
  const n = y.length
  const start = new Int32Array(nLeaves + 1)
  for (let i = 0; i < n; i++) if (w[i] > 0) start[leafOf[i] + 1]++
  for (let l = 0; l < nLeaves; l++) start[l + 1] += start[l]
  const fill = start.slice(0, nLeaves)
  for (let i = 0; i < n; i++) if (w[i] > 0) scratch[fill[leafOf[i]]++] = y[i] - margin[i]
  const out = new Float64Array(nLeaves)
  for (let l = 0; l < nLeaves; l++) out[l] = lr * median(scratch.subarray(start[l], start[l + 1]))
  return out
}

type Detector = (history: readonly number[], bestRound: number) => boolean

/**
 * The overfitting detector. Iter: stop after od_wait rounds without a new best. IncToDec (with
 * od_pval > 0): stop when a sign test over the last od_wait changes finds improvement unlikely
 * (p-value of so few improving rounds under "no trend" below od_pval), a simple stand-in for
 * CatBoost's own statistic.
 */
function makeDetector(params: ObliviousParams): Detector {
  const type = params.od_type ?? (params.od_wait !== undefined ? 'Iter' : undefined)
  const wait = params.od_wait ?? 20
  if (type === 'Iter') return (history, best) => history.length - 1 - best >= wait
  if (type === 'IncToDec' && params.od_pval > 0) {
    return (history) => {
      if (history.length <= wait) return false
      let improving = 0
      for (let i = history.length - wait; i < history.length; i++) if (history[i] < history[i - 1]) improving++
      return binomialCdf(improving, wait) < params.od_pval
    }
  }
  return () => false
}

/** P(X <= k) for X ~ Binomial(n, 1/2). */
function binomialCdf(k: number, n: number): number {
  let term = Math.pow(0.5, n)
  let sum = term
  for (let i = 1; i <= k; i++) {
    term *= (n - i + 1) / i
    sum += term
  }
  return sum
}

/** Eval-set margins kept up to date tree by tree through the predictor; tracks the best round. */
class EvalTracker {
  readonly history: number[] = []
  bestRound = 0
  private bestValue = NaN
  private readonly frame: Frame
  private readonly y: Float64Array
  private readonly margin: Float64Array
  private readonly idx: Int32Array
  private x = new Float64Array(0)
  private nFeatures = -1
  private readonly metric: ReturnType<typeof getMetric>

  constructor(set: EvalSet<TrainingData>, private readonly loss: Loss, base: Float64Array) {
    if (set.y.length !== set.data.frame.nRows) throw new DataError(`eval target has ${set.y.length} values for ${set.data.frame.nRows} rows`)
    this.frame = set.rows ? takeRows(set.data.frame, set.rows) : set.data.frame
    this.y = set.rows ? Float64Array.from(set.rows, (r) => set.y[r]) : set.y
    checkTargets(loss, this.y)
    const m = this.frame.nRows
    const K = loss.nOutputs
    this.margin = new Float64Array(m * K)
    for (let i = 0; i < m; i++) for (let k = 0; k < K; k++) this.margin[i * K + k] = base[k]
    this.idx = new Int32Array(m)
    this.metric = getMetric(loss.metric)
  }

  addTree(builder: EnsembleBuilder): number {
    const model = builder.build()
    const m = this.frame.nRows
    const nF = model.featureKind.length
    if (nF !== this.nFeatures) {
      // A new feature appeared: recompute the eval rows' feature columns.
      const { numeric, codes } = resolveInputs(model, this.frame)
      this.x = new Float64Array(Math.max(1, nF) * Math.max(1, m))
      const keys = new Float64Array(Math.max(1, model.tableInputStart.length - 1) * Math.max(1, m))
      writeModelFeatures(model, numeric, codes, 0, m, this.x, Math.max(1, m), keys)
      this.nFeatures = nF
    }
    const t = model.treeDepth.length - 1
    addTrees(model, treeOffsets(model), this.x, Math.max(1, m), m, this.margin, this.idx, t, t + 1)
    const pred = applyLink(this.loss.link, Float64Array.from(this.margin), this.loss.nOutputs)
    const value = this.metric.compute(this.y, pred, this.loss.name === 'Logloss' ? 2 : this.loss.nOutputs)
    const round = this.history.length
    this.history.push(value)
    if (round === 0 || isBetter(this.metric, value, this.bestValue)) {
      this.bestValue = value
      this.bestRound = round
    }
    return value
  }
}

/** 0, 1, ..., n - 1. */
function identity(n: number): Int32Array {
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) out[i] = i
  return out
}
