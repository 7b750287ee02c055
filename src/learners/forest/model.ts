/**
 * A fitted `random_forest` or `extra_trees` model: the forest laid out as the shared flat tree
 * ensemble, so training-time evaluation, serving and the parallel predict pool all use the same
 * predictor. Leaf values are pre-divided by the number of trees, so the summed margins are the
 * forest's average: the mean for regression, class probabilities for classification (identity
 * link; a binary model outputs P(class 1) alone).
 */
import type { BinMapper } from '../../data/binning.js'
import type { Frame } from '../../data/frame.js'
import { decodeTreeEnsemble, encodeTreeEnsemble } from '../../runtime/codec.js'
import { predictFrameMargins } from '../../runtime/predict-frame.js'
import { predictMargins, type TreeEnsemble } from '../../runtime/tree-ensemble.js'
import type { Model, Task } from '../types.js'
import type { GrownForestTree } from './grower.js'
import type { ForestParams } from './params.js'

export const FOREST_STATE_VERSION = 1

export type ForestKind = 'random_forest' | 'extra_trees'

/** Serialisable state of a forest model. */
export interface ForestState {
  readonly version: number
  readonly kind: ForestKind
  readonly task: Task
  readonly featureNames: readonly string[]
  /** The parameters as resolved for the fit (task defaults, seed, threads). */
  readonly params: ForestParams
  /** Out-of-bag score (R^2 or accuracy) when it was asked for. */
  readonly oobScore: number | null
  /** The tree ensemble in its binary form. */
  readonly trees: Uint8Array
}

export class ForestModel implements Model {
  readonly nOutputs: number

  constructor(
    readonly kind: ForestKind,
    readonly task: Task,
    readonly ensemble: TreeEnsemble,
    readonly featureNames: readonly string[],
    readonly params: ForestParams,
    /** Out-of-bag R^2 (regression) or accuracy (classification); null unless oob_score was set. */
    readonly oobScore: number | null,
  ) {
    this.nOutputs = ensemble.nOutputs
  }

  /** The forest's average: values, P(class 1), or class probabilities (row-major n x k). */
  predict(frame: Frame): Float64Array {
    return predictFrameMargins(this.ensemble, this.featureNames, frame)
  }

  /** Predictions for row-major values in the model's feature order. */
  predictRows(x: Float64Array, nRows: number): Float64Array {
    return predictMargins(this.ensemble, x, nRows)
  }

  toState(): ForestState {
    return {
      version: FOREST_STATE_VERSION,
      kind: this.kind,
      task: this.task,
      featureNames: [...this.featureNames],
      params: { ...this.params },
      oobScore: this.oobScore,
      trees: encodeTreeEnsemble(this.ensemble),
    }
  }

  /** @example ForestModel.fromState(structuredClone(model.toState())) */
  static fromState(state: ForestState): ForestModel {
    if (state.kind !== 'random_forest' && state.kind !== 'extra_trees') throw new Error(`not a forest state: kind '${String(state.kind)}'`)
    if (state.version !== FOREST_STATE_VERSION) throw new Error(`unsupported forest state version ${state.version}`)
    const ensemble = decodeTreeEnsemble(state.trees)
    if (ensemble.nFeatures !== state.featureNames.length) throw new Error('feature names do not match the trees')
    return new ForestModel(state.kind, state.task, ensemble, state.featureNames, state.params, state.oobScore)
  }
}

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
