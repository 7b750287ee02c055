/**
 * The boosting loop of `gbdt`: gradients, row and column sampling, one tree per output per round,
 * margin updates from the grown trees' leaf ranges, eval-set tracking and early stopping.
 */
import type { BinnedFrame } from '../../data/binning.js'
import { DataError, ParamError } from '../../errors.js'
import { getMetric, isBetter } from '../../metrics/registry.js'
import { applyLink } from '../../runtime/link.js'
import { Rng } from '../../rng.js'
import type { EvalSet } from '../types.js'
import { KernelExecutor, type LeafUpdate, type NodeRows, resolveThreads } from './executor.js'
import { growTree, sampleFeatures } from './grower.js'
import { maxQuantBinsFor, quantisation, treeKey } from './quantise.js'
import { leafWeight, type SplitParams } from './split.js'
import { histogramOffsets } from './histogram.js'
import { initialMargin, makeObjective, median, type Objective, type ObjectiveOptions } from './objectives.js'
import type { GbdtParams } from './params.js'
import type { GrownTree } from './tree.js'
import { AbortPoint } from '../../exec/abort-point.js'
import type { BatchPools } from '../../exec/batch-pool.js'
import { trainingRows } from '../training-rows.js'
import { sharedCopy } from '../../data/share.js'

export interface BoostOptions {
  /**
   * Rows of `data` to train on (ascending; all rows when absent). The binned frame of a job is
   * shared by every fold this way, never copied.
   */
  readonly rows?: Int32Array
  readonly evalSet?: EvalSet<BinnedFrame>
  /** Called after each round with the eval metric (NaN without an eval set). */
  readonly onRound?: (round: number, evalValue: number) => void
  readonly signal?: AbortSignal
  /** Worker threads to borrow; absent: the process's. */
  readonly pools?: BatchPools
}

export interface BoostResult {
  readonly objective: Objective
  readonly baseMargin: Float64Array
  /** Trees in round-major order: round r, output k is trees[r * nOutputs + k]. */
  readonly trees: GrownTree[]
  /** Eval metric per round (empty without an eval set). */
  readonly evalHistory: number[]
  /** Round with the best eval metric, or the last round. */
  readonly bestIteration: number
}

/**
 * Trains a gradient-boosted tree ensemble on binned data.
 * @example const result = boost(binned, y, gbdtParams.parse({ num_round: 10 }))
 */
export async function boost(data: BinnedFrame, y: Float64Array, params: GbdtParams, options: BoostOptions = {}): Promise<BoostResult> {
  const N = data.nRows
  // Local index i (0..n) <-> data row ids[i]; margins, gradients and the executor's row buffers
  // are kept by local index.
  const { ids, y: yLocal } = trainingRows(N, y, options.rows)
  const n = ids.length
  const objective = makeObjective(params.objective ?? 'reg:squarederror', params.num_class)
  checkTargets(objective, yLocal)
  const K = objective.nOutputs
  const objOpts: ObjectiveOptions = {
    scalePosWeight: params.scale_pos_weight,
    huberSlope: params.huber_slope,
    maxDeltaStep: params.max_delta_step ?? (params.objective === 'count:poisson' ? 0.7 : 0),
  }
  const split = {
    lambda: params.lambda,
    alpha: params.alpha,
    gamma: params.gamma,
    minChildWeight: params.min_child_weight,
    // For Poisson, max_delta_step is a hessian safeguard, not a leaf clip (as in XGBoost).
    maxDeltaStep: params.objective === 'count:poisson' ? 0 : (params.max_delta_step ?? 0),
  }
  if (params.grow_policy === 'depthwise' && params.max_depth === 0 && params.max_leaves === 0) {
    throw new ParamError('depthwise growth needs max_depth > 0 or max_leaves > 0', { field: 'max_depth' })
  }
  const quantised = params.use_quantized_grad
  if (quantised && params.num_grad_quant_bins > maxQuantBinsFor(n)) {
    throw new ParamError(
      `use_quantized_grad on ${n} rows needs num_grad_quant_bins <= ${maxQuantBinsFor(n)}, so histogram sums fit 32 bits; it is ${params.num_grad_quant_bins}`,
      { field: 'params.num_grad_quant_bins' },
    )
  }
  const renewLeaves = quantised && params.quant_train_renew_leaf
  const growParams = {
    maxDepth: params.max_depth,
    maxLeaves: params.max_leaves,
    lossguide: params.grow_policy === 'lossguide',
    eta: params.eta,
    split,
    colsampleBylevel: params.colsample_bylevel,
    colsampleBynode: params.colsample_bynode,
    // Leaves refitted from their rows' gradients or residuals need their rows.
    partitionLeaves: objective.refreshLeavesToMedian || renewLeaves,
  }

  const rng = new Rng(params.seed ?? 0)
  const baseMargin = initialMargin(objective, yLocal, params.base_score)

  const { offsets, totalBins } = histogramOffsets(data.nBins)
  const growData = { nBins: data.nBins, cuts: data.mapper.cuts }
  // The gathers copy each tree's codes from the data's (shared) codes, by data row.
  const codeSource = {
    dataWords: new Int32Array(data.codes.buffer, data.codes.byteOffset, data.codes.length >> 2),
    words: data.rowStride >> 2,
    ids: options.rows ? sharedCopy(ids) : null,
  }

  const allFeatures = Int32Array.from({ length: data.nFeatures }, (_, f) => f)
  const inSample = new Uint8Array(n)
  const evalTracker = options.evalSet ? new EvalTracker(options.evalSet, objective, baseMargin, params) : null
  const trees: GrownTree[] = []
  const residual = objective.refreshLeavesToMedian ? new Float64Array(n) : null

  // Created last, so nothing between here and the try can throw while it holds worker threads.
  const ex = new KernelExecutor(
    { nFeatures: data.nFeatures, stride: data.rowStride, nBins: data.nBins, offsets, totalBins, nRows: n, quantised },
    resolveThreads(params.nthread),
    options.pools,
  )
  const abortPoint = new AbortPoint(options.signal)
  try {
    // In the executor's memory, so its threads can add leaf values to it.
    const margin = ex.bindMargins(n, K, baseMargin)
    // One output on every row of every tree needs no float64 derivatives: each tree starts with
    // its gradients computed straight into the row buffer.
    const direct = K === 1 && params.subsample >= 1 && !quantised && !renewLeaves
    const { sampled, grad, hess } = ex.bindGradients(yLocal, objective, objOpts, codeSource, !direct)
    for (let round = 0; round < params.num_round; round++) {
      await abortPoint.pass()
      if (!direct) ex.computeGradients()
      const nSampled = !direct && (round === 0 || params.subsample < 1) ? sampleRows(n, params.subsample, rng, sampled, inSample) : n
      const treeFeatures = sampleFeatures(allFeatures, data.nFeatures, params.colsample_bytree, rng)
      for (let k = 0; k < K; k++) {
        // Row buffer 0 holds local indices (what margins are kept by); codes come by data row.
        const inOrder = nSampled === N
        let scales = null
        if (quantised) {
          const { maxG, maxH, minH } = ex.gradientRange(k)
          const q = quantisation(maxG, maxH, minH, params.num_grad_quant_bins, params.stochastic_rounding, treeKey(params.seed ?? 0, round, k))
          ex.gatherQuantised(nSampled, k, inOrder, q)
          scales = q
        } else if (direct) ex.gradientsIntoRows()
        else ex.gatherPairs(nSampled, k, inOrder)
        const { tree, leafRows, leafPairs } = growTree(ex, growData, nSampled, treeFeatures, growParams, rng, scales)
        if (renewLeaves) renewLeafValues(tree, leafRows, ex.rows, grad.subarray(k * n), hess.subarray(k * n), split, params.eta)
        if (residual) refreshLeaves(tree, leafRows, ex.rows, yLocal, margin, residual, params.eta)
        // Sampled rows: add their leaf's value by range. Others: route through the tree.
        const leaves: LeafUpdate[] = []
        for (let id = 0; id < tree.size; id++) {
          const rows = leafRows[id]
          if (rows === null) continue
          const v = tree.value[id]
          leaves.push({ rows, feature: -1, bin: 0, defaultLeft: false, leftValue: v, rightValue: v })
        }
        for (const { rows, feature, bin, defaultLeft, left } of leafPairs) {
          leaves.push({ rows, feature, bin, defaultLeft, leftValue: tree.value[left], rightValue: tree.value[left + 1] })
        }
        ex.addLeafValues(leaves, k)
        if (nSampled < n) {
          for (let i = 0; i < n; i++) {
            if (inSample[i]) continue
            margin[i * K + k] += tree.value[tree.leafOfBinnedRow(data.codes, data.rowStride, data.nBins, ids[i])]
          }
        }
        trees.push(tree)
      }
      const value = evalTracker ? evalTracker.addRound(trees.slice(-K)) : NaN
      options.onRound?.(round, value)
      if (evalTracker && params.early_stopping_rounds !== undefined && round - evalTracker.bestRound >= params.early_stopping_rounds) {
        break
      }
    }
  } finally {
    ex.close()
  }
  const bestIteration = evalTracker ? evalTracker.bestRound : trees.length / K - 1
  return { objective, baseMargin, trees, evalHistory: evalTracker?.history ?? [], bestIteration }
}

/** The positions of `rows` in shard order, the order of a leaf's rows. */
function* positions(rows: NodeRows): Generator<number> {
  for (let s = 0; s < rows.lo.length; s++) for (let j = rows.lo[s]; j < rows.hi[s]; j++) yield j
}

/** Bernoulli row sample (all rows when subsample is 1); returns the count, rows ascending. */
function sampleRows(n: number, fraction: number, rng: Rng, out: Int32Array, inSample: Uint8Array): number {
  let m = 0
  if (fraction >= 1) {
    for (let r = 0; r < n; r++) out[r] = r
    return n
  }
  for (let r = 0; r < n; r++) {
    const take = rng.next() < fraction
    inSample[r] = take ? 1 : 0
    if (take) out[m++] = r
  }
  if (m === 0) {
    // Never grow a tree on nothing: keep one row.
    const r = rng.int(n)
    out[m++] = r
    inSample[r] = 1
  }
  return m
}

/**
 * Quantised training with quant_train_renew_leaf: each leaf's value from the exact gradient and
 * hessian sums of its rows (float64, in node order), as LightGBM renews them.
 */
function renewLeafValues(
  tree: GrownTree,
  leafRows: readonly (NodeRows | null)[],
  buffers: readonly Int32Array[],
  grad: Float64Array,
  hess: Float64Array,
  split: SplitParams,
  eta: number,
): void {
  for (let id = 0; id < tree.size; id++) {
    const leaf = leafRows[id]
    if (leaf === null) continue
    const rows = buffers[leaf.buffer]
    let G = 0
    let H = 0
    for (const j of positions(leaf)) {
      G += grad[rows[j]]
      H += hess[rows[j]]
    }
    tree.value[id] = eta * leafWeight(split, G, H)
  }
}

/** L1 objective: each leaf's value becomes eta x the median residual of its rows (XGBoost's adaptive leaves). */
function refreshLeaves(
  tree: GrownTree,
  leafRows: readonly (NodeRows | null)[],
  buffers: readonly Int32Array[],
  y: Float64Array,
  margin: Float64Array,
  scratch: Float64Array,
  eta: number,
): void {
  for (let id = 0; id < tree.size; id++) {
    const leaf = leafRows[id]
    if (leaf === null) continue
    const rows = buffers[leaf.buffer]
    let m = 0
    for (const j of positions(leaf)) {
      const i = rows[j]
      scratch[m++] = y[i] - margin[i]
    }
    tree.value[id] = m > 0 ? eta * median(scratch.subarray(0, m)) : 0
  }
}

function checkTargets(obj: Objective, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) {
    const v = y[i]
    const where = { line: undefined, field: 'target' }
    if (!Number.isFinite(v)) throw new DataError(`target of row ${i + 1} is ${v}; targets must be finite`, where)
    if (obj.name === 'binary:logistic' && v !== 0 && v !== 1) {
      throw new DataError(`binary:logistic needs targets 0 or 1, row ${i + 1} has ${v}`, where)
    }
    if (obj.name === 'multi:softprob' && (!Number.isInteger(v) || v < 0 || v >= obj.nOutputs)) {
      throw new DataError(`multi:softprob needs class ids 0..${obj.nOutputs - 1}, row ${i + 1} has ${v}`, where)
    }
    if (obj.name === 'count:poisson' && v < 0) throw new DataError(`count:poisson needs targets >= 0, row ${i + 1} has ${v}`, where)
  }
}

/** Keeps eval-set margins up to date tree by tree and tracks the best round. */
class EvalTracker {
  readonly history: number[] = []
  bestRound = 0
  private bestValue = NaN
  private readonly margin: Float64Array
  private readonly pred: Float64Array
  private readonly metric: ReturnType<typeof getMetric>
  private readonly K: number

  private readonly ids: Int32Array
  private readonly y: Float64Array

  constructor(
    private readonly set: EvalSet<BinnedFrame>,
    private readonly objective: Objective,
    baseMargin: Float64Array,
    params: GbdtParams,
  ) {
    this.K = objective.nOutputs
    if (set.y.length !== set.data.nRows) throw new DataError(`eval target has ${set.y.length} values for ${set.data.nRows} rows`)
    this.ids = set.rows ?? Int32Array.from({ length: set.data.nRows }, (_, r) => r)
    this.y = Float64Array.from(this.ids, (r) => set.y[r])
    const n = this.ids.length
    this.margin = new Float64Array(n * this.K)
    for (let i = 0; i < n; i++) for (let k = 0; k < this.K; k++) this.margin[i * this.K + k] = baseMargin[k]
    this.pred = new Float64Array(n * this.K)
    this.metric = getMetric(params.eval_metric ?? objective.defaultMetric)
  }

  addRound(roundTrees: GrownTree[]): number {
    const { data } = this.set
    const { ids, y, K } = this
    for (let k = 0; k < K; k++) {
      const tree = roundTrees[k]
      for (let i = 0; i < ids.length; i++) {
        this.margin[i * K + k] += tree.value[tree.leafOfBinnedRow(data.codes, data.rowStride, data.nBins, ids[i])]
      }
    }
    this.pred.set(this.margin)
    applyLink(this.objective.link, this.pred, K)
    const value = this.metric.compute(y, this.pred, this.objective.name === 'binary:logistic' ? 2 : K)
    const round = this.history.length
    this.history.push(value)
    if (round === 0 || isBetter(this.metric, value, this.bestValue)) {
      this.bestValue = value
      this.bestRound = round
    }
    return value
  }
}
