/**
 * From grown forest trees to the runtime's flat tree ensemble, so training-time evaluation,
 * serving and the parallel predict pool all use the same predictor (the `ForestModel` itself,
 * prediction and state, is the runtime's); and the leaf a binned row reaches, for out-of-bag
 * scores.
 */
import type { BinMapper } from '../../data/binning.js'
import type { TreeEnsemble } from '../../runtime/tree-ensemble.js'
import type { Task } from '../types.js'
import type { GrownForestTree } from './grower.js'

/**
 * Lays grown trees out as one flat ensemble. Regression: one tree per forest tree. Classification
 * with K classes: one tree per (forest tree, class) sharing the split structure, or one per forest
 * tree holding P(class 1) for binary. Split bins become raw thresholds through the cut points
 * (the last value bin, which only splits off missing values, becomes +Infinity).
 * @example const ensemble = forestEnsemble(trees, binned.mapper, 'regression', 0)
 */
export function forestEnsemble(trees: readonly GrownForestTree[], mapper: BinMapper, task: Task, nClasses: number): TreeEnsemble {
  const width = task === 'regression' ? 1 : nClasses
  const outputs = task === 'multiclass' ? nClasses : 1
  let nNodes = 0
  for (const t of trees) nNodes += t.feature.length * outputs
  const nTrees = trees.length * outputs
  const ensemble = {
    nFeatures: mapper.cuts.length,
    nOutputs: outputs,
    baseMargin: new Float64Array(outputs),
    treeStart: new Int32Array(nTrees),
    treeOutput: new Int32Array(nTrees),
    feature: new Int32Array(nNodes),
    threshold: new Float64Array(nNodes),
    left: new Int32Array(nNodes),
    defaultLeft: new Uint8Array(nNodes),
    value: new Float64Array(nNodes),
  }
  const scale = 1 / trees.length
  let p = 0
  let e = 0
  for (const t of trees) {
    const size = t.feature.length
    for (let k = 0; k < outputs; k++) {
      // Binary models hold P(class 1); multiclass ones one class per copy of the tree.
      const valueAt = task === 'binary' ? 1 : k
      ensemble.treeStart[e] = p
      ensemble.treeOutput[e] = k
      e++
      for (let n = 0; n < size; n++) {
        const l = t.left[n]
        const at = p + n
        if (l < 0) {
          ensemble.feature[at] = -1
          ensemble.left[at] = -1
          ensemble.value[at] = t.value[n * width + valueAt] * scale
        } else {
          const f = t.feature[n]
          const cuts = mapper.cuts[f]
          ensemble.feature[at] = f
          ensemble.threshold[at] = t.bin[n] < cuts.length ? cuts[t.bin[n]] : Infinity
          ensemble.left[at] = p + l
          ensemble.defaultLeft[at] = t.defaultLeft[n]
        }
      }
      p += size
    }
  }
  return ensemble
}

/**
 * The leaf of `tree` that data row `r` of row-major binned codes reaches.
 * @example const leaf = leafOfBinnedRow(tree, codes, stride, nBins, 0)
 */
export function leafOfBinnedRow(tree: GrownForestTree, codes: Uint8Array, stride: number, nBins: Int32Array, r: number): number {
  let n = 0
  while (tree.left[n] >= 0) {
    const f = tree.feature[n]
    const c = codes[r * stride + f]
    const goLeft = c === nBins[f] ? tree.defaultLeft[n] === 1 : c <= tree.bin[n]
    n = goLeft ? tree.left[n] : tree.left[n] + 1
  }
  return n
}
