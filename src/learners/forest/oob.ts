/**
 * Out-of-bag scoring: each training row is predicted by the trees whose bootstrap sample left it
 * out (the samples are drawn again from the seed), then scored as scikit-learn does: R^2 for
 * regression, accuracy for classification. Rows no tree left out are skipped.
 */
import { bootstrapCounts, treeRng } from './sampling.js'
import type { ForestData, GrownForestTree } from './grower.js'
import { leafOfBinnedRow } from './model.js'

/** Out-of-bag predictions (n x width, row-major, averaged) and the rows that have one. */
export interface OobPredictions {
  readonly pred: Float64Array
  readonly width: number
  readonly has: Uint8Array
}

/**
 * Averages, for every training row, the leaves of the trees that did not draw it.
 * @example const oob = oobPredictions(trees, data, data.y.length, 0, 1)
 */
export function oobPredictions(trees: readonly GrownForestTree[], data: ForestData, draws: number, randomState: number, width: number): OobPredictions {
  const n = data.rows ? data.rows.length : Math.floor(data.codes.length / data.stride)
  const sum = new Float64Array(n * width)
  const votes = new Int32Array(n)
  const counts = new Int32Array(n)
  trees.forEach((tree, t) => {
    bootstrapCounts(n, draws, treeRng(randomState, t), counts)
    for (let i = 0; i < n; i++) {
      if (counts[i] !== 0) continue
      const r = data.rows ? data.rows[i] : i
      const leaf = leafOfBinnedRow(tree, data.codes, data.stride, data.nBins, r)
      for (let k = 0; k < width; k++) sum[i * width + k] += tree.value[leaf * width + k]
      votes[i]++
    }
  })
  const has = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    if (votes[i] === 0) continue
    has[i] = 1
    for (let k = 0; k < width; k++) sum[i * width + k] /= votes[i]
  }
  return { pred: sum, width, has }
}

/**
 * R^2 (regression, width 1) or accuracy (classification: the class of highest averaged
 * frequency) over the rows with an out-of-bag prediction; NaN when there are none.
 * @example oobScore(oobPredictions(trees, data, n, 0, 1), data, false)
 */
export function oobScore(oob: OobPredictions, data: ForestData, classification: boolean): number {
  const { pred, width, has } = oob
  const n = has.length
  const yOf = (i: number) => data.y[data.rows ? data.rows[i] : i]
  let count = 0
  let mean = 0
  for (let i = 0; i < n; i++) {
    if (!has[i]) continue
    count++
    mean += yOf(i)
  }
  if (count === 0) return NaN
  mean /= count
  if (classification) {
    let right = 0
    for (let i = 0; i < n; i++) {
      if (!has[i]) continue
      let best = 0
      for (let k = 1; k < width; k++) if (pred[i * width + k] > pred[i * width + best]) best = k
      if (best === yOf(i)) right++
    }
    return right / count
  }
  let ssRes = 0
  let ssTot = 0
  for (let i = 0; i < n; i++) {
    if (!has[i]) continue
    ssRes += (yOf(i) - pred[i]) ** 2
    ssTot += (yOf(i) - mean) ** 2
  }
  return ssTot > 0 ? 1 - ssRes / ssTot : 0
}
