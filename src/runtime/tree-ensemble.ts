/**
 * The tree predictor: one flat structure-of-arrays holding every tree of an ensemble, evaluated
 * in blocks of rows. Training-time evaluation and serving both use it. No Node-only imports.
 *
 * Node n is a leaf when `left[n] < 0`; otherwise rows with `x[feature[n]] < threshold[n]` go to
 * `left[n]` and the others to `left[n] + 1` (children are adjacent), and a missing value (NaN)
 * goes left when `defaultLeft[n]` is 1.
 */
import { addTreesWasm, treeKernel } from './wasm/tree-kernel.js'

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
 * so every row takes exactly `depth` steps in each tree with no test for leaves; a node's feature
 * and missing-value direction share one int (`feature << 1 | missingGoesRight`).
 */
interface CompiledEnsemble {
  readonly next: Int32Array
  readonly featureMissing: Int32Array
  readonly threshold: Float64Array
  readonly depth: Int32Array
}

const compiledCache = new WeakMap<TreeEnsemble, CompiledEnsemble>()

function compile(model: TreeEnsemble): CompiledEnsemble {
  const cached = compiledCache.get(model)
  if (cached) return cached
  const nNodes = model.feature.length
  const next = new Int32Array(nNodes)
  const featureMissing = new Int32Array(nNodes)
  const threshold = new Float64Array(nNodes)
  const nodeDepth = new Int32Array(nNodes)
  const depth = new Int32Array(model.treeStart.length)
  for (let n = 0; n < nNodes; n++) {
    const l = model.left[n]
    if (l < 0) {
      next[n] = n
      threshold[n] = NaN
    } else {
      next[n] = l
      featureMissing[n] = (model.feature[n] << 1) | (1 - model.defaultLeft[n])
      threshold[n] = model.threshold[n]
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
  const compiled = { next, featureMissing, threshold, depth }
  compiledCache.set(model, compiled)
  return compiled
}

/** Which kernel `predictMargins` runs: the WebAssembly one where available, or the JavaScript reference. */
export type TreeKernel = 'wasm' | 'js'

let preferred: TreeKernel = 'wasm'

/**
 * Chooses the kernel of `predictMargins` (both give bit-identical margins); returns the previous choice.
 * @example const before = setTreeKernel('js'); ...; setTreeKernel(before)
 */
export function setTreeKernel(kernel: TreeKernel): TreeKernel {
  const before = preferred
  preferred = kernel
  return before
}

/** The kernel `predictMargins` runs now: 'js' when WebAssembly was asked for but is unavailable. */
export function activeTreeKernel(): TreeKernel {
  return preferred === 'wasm' && treeKernel() ? 'wasm' : 'js'
}

/**
 * Raw margins of `nRows` rows given row-major as `x` (nRows x nFeatures, NaN for missing).
 * Output is row-major nRows x nOutputs. Runs the WebAssembly kernel unless `setTreeKernel('js')`.
 * @example const margins = predictMargins(ensemble, x, nRows)
 */
export function predictMargins(
  model: TreeEnsemble,
  x: Float64Array,
  nRows: number,
  out: Float64Array = new Float64Array(nRows * model.nOutputs),
  treeLimit = model.treeStart.length,
): Float64Array {
  const wasm = preferred === 'wasm' ? treeKernel() : null
  if (!wasm) return predictMarginsReference(model, x, nRows, out, treeLimit)
  startMargins(model, x, nRows, out)
  addTreesWasm(wasm, model, compile(model).depth, x, nRows, out, treeLimit)
  return out
}

/** Checks the input's size and writes each row's base margins into `out`. */
function startMargins(model: TreeEnsemble, x: Float64Array, nRows: number, out: Float64Array): void {
  const nOut = model.nOutputs
  const nF = model.nFeatures
  if (x.length < nRows * nF) throw new RangeError(`expected ${nRows * nF} values, got ${x.length}`)
  for (let r = 0; r < nRows; r++) for (let k = 0; k < nOut; k++) out[r * nOut + k] = model.baseMargin[k]
}

/**
 * `predictMargins` in plain JavaScript: the reference the WebAssembly kernel is tested against,
 * and the kernel where WebAssembly is unavailable.
 */
export function predictMarginsReference(
  model: TreeEnsemble,
  x: Float64Array,
  nRows: number,
  out: Float64Array = new Float64Array(nRows * model.nOutputs),
  treeLimit = model.treeStart.length,
): Float64Array {
  const nOut = model.nOutputs
  const nF = model.nFeatures
  startMargins(model, x, nRows, out)
  const { next, featureMissing: fm, threshold: thr, depth } = compile(model)
  const { treeStart, treeOutput, value } = model
  for (let b0 = 0; b0 < nRows; b0 += BLOCK) {
    const b1 = Math.min(nRows, b0 + BLOCK)
    for (let t = 0; t < treeLimit; t++) {
      const root = treeStart[t]
      const D = depth[t]
      const k = treeOutput[t]
      let r = b0
      // Four rows descend together: four independent chains of loads the processor overlaps.
      // Each step is branch-free: right when v >= threshold, or v is missing and the default is
      // right (NaN fails every comparison).
      for (; r + 4 <= b1; r += 4) {
        const x0 = r * nF
        const x1 = x0 + nF
        const x2 = x1 + nF
        const x3 = x2 + nF
        let n0 = root
        let n1 = root
        let n2 = root
        let n3 = root
        for (let d = D; d > 0; d--) {
          const q0 = fm[n0]
          const q1 = fm[n1]
          const q2 = fm[n2]
          const q3 = fm[n3]
          const v0 = x[x0 + (q0 >> 1)]
          const v1 = x[x1 + (q1 >> 1)]
          const v2 = x[x2 + (q2 >> 1)]
          const v3 = x[x3 + (q3 >> 1)]
          n0 = next[n0] + (+(v0 >= thr[n0]) | (+(v0 !== v0) & q0))
          n1 = next[n1] + (+(v1 >= thr[n1]) | (+(v1 !== v1) & q1))
          n2 = next[n2] + (+(v2 >= thr[n2]) | (+(v2 !== v2) & q2))
          n3 = next[n3] + (+(v3 >= thr[n3]) | (+(v3 !== v3) & q3))
        }
        out[r * nOut + k] += value[n0]
        out[(r + 1) * nOut + k] += value[n1]
        out[(r + 2) * nOut + k] += value[n2]
        out[(r + 3) * nOut + k] += value[n3]
      }
      for (; r < b1; r++) {
        const x0 = r * nF
        let n0 = root
        for (let d = D; d > 0; d--) {
          const q0 = fm[n0]
          const v0 = x[x0 + (q0 >> 1)]
          n0 = next[n0] + (+(v0 >= thr[n0]) | (+(v0 !== v0) & q0))
        }
        out[r * nOut + k] += value[n0]
      }
    }
  }
  return out
}

/** Number of trees in the ensemble. */
export function treeCount(model: TreeEnsemble): number {
  return model.treeStart.length
}
