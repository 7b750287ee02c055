/**
 * The tree predictor: one flat structure-of-arrays holding every tree of an ensemble, evaluated
 * in blocks of rows. Training-time evaluation and serving both use it. No Node-only imports.
 *
 * Node n is a leaf when `left[n] < 0`; otherwise rows with `x[feature[n]] < threshold[n]` go to
 * `left[n]` and the others to `left[n] + 1` (children are adjacent), and a missing value (NaN)
 * goes left when `defaultLeft[n]` is 1.
 */

export interface TreeEnsemble {
  /** Number of input features, in the order of the model's feature schema. */
  readonly nFeatures: number
  /** Number of outputs per row (1, or the number of classes for softmax models). */
  readonly nOutputs: number
  /** Margin every row starts from, one per output. */
  readonly baseMargin: Float64Array
  /** First node of each tree. */
  readonly treeStart: Int32Array
  /** Output each tree adds to. */
  readonly treeOutput: Int32Array
  readonly feature: Int32Array
  readonly threshold: Float64Array
  readonly left: Int32Array
  readonly defaultLeft: Uint8Array
  /** Leaf values (already scaled by the learning rate). */
  readonly value: Float64Array
}

/** Rows evaluated together: the nodes of one tree stay in cache while the block descends. */
const BLOCK = 64

/**
 * The ensemble laid out for branch-free evaluation: a leaf points to itself with a NaN threshold,
 * so every row of a block takes exactly `depth` steps in each tree with no test for leaves, and
 * the rows of the block are independent chains the processor can overlap.
 */
interface CompiledEnsemble {
  readonly next: Int32Array
  readonly feature: Int32Array
  readonly threshold: Float64Array
  readonly missingRight: Int32Array
  readonly depth: Int32Array
}

const compiledCache = new WeakMap<TreeEnsemble, CompiledEnsemble>()

function compile(model: TreeEnsemble): CompiledEnsemble {
  const cached = compiledCache.get(model)
  if (cached) return cached
  const nNodes = model.feature.length
  const next = new Int32Array(nNodes)
  const feature = new Int32Array(nNodes)
  const threshold = new Float64Array(nNodes)
  const missingRight = new Int32Array(nNodes)
  const nodeDepth = new Int32Array(nNodes)
  const depth = new Int32Array(model.treeStart.length)
  for (let n = 0; n < nNodes; n++) {
    const l = model.left[n]
    if (l < 0) {
      next[n] = n
      threshold[n] = NaN
      missingRight[n] = 0
    } else {
      next[n] = l
      feature[n] = model.feature[n]
      threshold[n] = model.threshold[n]
      missingRight[n] = 1 - model.defaultLeft[n]
    }
  }
  for (let t = 0; t < depth.length; t++) {
    const start = model.treeStart[t]
    const end = t + 1 < depth.length ? model.treeStart[t + 1] : nNodes
    let d = 0
    nodeDepth[start] = 0
    // Children follow their parents, so one forward pass assigns every depth.
    for (let n = start; n < end; n++) {
      const l = model.left[n]
      if (l < 0 || l + 1 >= nNodes) continue
      nodeDepth[l] = nodeDepth[l + 1] = nodeDepth[n] + 1
      if (nodeDepth[l] > d) d = nodeDepth[l]
    }
    depth[t] = d
  }
  const compiled = { next, feature, threshold, missingRight, depth }
  compiledCache.set(model, compiled)
  return compiled
}

/**
 * Raw margins of `nRows` rows given row-major as `x` (nRows x nFeatures, NaN for missing).
 * Output is row-major nRows x nOutputs.
 * @example const margins = predictMargins(ensemble, x, nRows)
 */
export function predictMargins(
  model: TreeEnsemble,
  x: Float64Array,
  nRows: number,
  out: Float64Array = new Float64Array(nRows * model.nOutputs),
  treeLimit = model.treeStart.length,
): Float64Array {
  const nOut = model.nOutputs
  const nF = model.nFeatures
  if (x.length < nRows * nF) throw new RangeError(`expected ${nRows * nF} values, got ${x.length}`)
  for (let r = 0; r < nRows; r++) for (let k = 0; k < nOut; k++) out[r * nOut + k] = model.baseMargin[k]
  const { next, feature, threshold, missingRight, depth } = compile(model)
  const { treeStart, treeOutput, value } = model
  const node = new Int32Array(BLOCK)
  for (let b0 = 0; b0 < nRows; b0 += BLOCK) {
    const m = Math.min(BLOCK, nRows - b0)
    for (let t = 0; t < treeLimit; t++) {
      const root = treeStart[t]
      for (let i = 0; i < m; i++) node[i] = root
      for (let d = depth[t]; d > 0; d--) {
        for (let i = 0, base = b0 * nF; i < m; i++, base += nF) {
          const n = node[i]
          const v = x[base + feature[n]]
          // Branch-free: right when v >= threshold, or v is missing and the default is right.
          node[i] = next[n] + (+(v >= threshold[n]) | (+(v !== v) & missingRight[n]))
        }
      }
      const k = treeOutput[t]
      for (let i = 0; i < m; i++) out[(b0 + i) * nOut + k] += value[node[i]]
    }
  }
  return out
}

/** Number of trees in the ensemble. */
export function treeCount(model: TreeEnsemble): number {
  return model.treeStart.length
}
