/**
 * A fitted `random_forest` or `extra_trees` model: the forest laid out as the shared flat tree
 * ensemble. Leaf values are pre-divided by the number of trees, so the summed margins are the
 * forest's average: the mean for regression, class probabilities for classification (identity
 * link; a binary model outputs P(class 1) alone). The learner builds it from grown trees; serving
 * rebuilds it from its state.
 */
import type { Frame } from '../../data/frame.js'
import { BundleError } from '../../errors.js'
import type { Task } from '../../task.js'
import { decodeTreeEnsemble, encodeTreeEnsemble } from '../codec.js'
import { predictFrameMargins } from '../predict-frame.js'
import { predictMargins, type TreeEnsemble } from '../tree-ensemble.js'
import { StateReader } from './state-reader.js'
import type { Model } from './types.js'

export const FOREST_STATE_VERSION = 1

export type ForestKind = 'random_forest' | 'extra_trees'

/** Serialisable state of a forest model. */
export interface ForestState {
  readonly version: number
  readonly kind: ForestKind
  readonly task: Task
  readonly featureNames: readonly string[]
  /** The parameters as resolved for the fit (task defaults, seed, threads). */
  readonly params: Readonly<Record<string, unknown>>
  /** Out-of-bag score (R^2 or accuracy) when it was asked for. */
  readonly oobScore: number | null
  /** The tree ensemble in its binary form. */
  readonly trees: Uint8Array
}

/**
 * A fitted forest.
 * @example
 * const model = ForestModel.fromState(state)
 * model.predict(frame) // the trees' average
 */
export class ForestModel implements Model {
  readonly nOutputs: number

  constructor(
    readonly kind: ForestKind,
    readonly task: Task,
    readonly ensemble: TreeEnsemble,
    readonly featureNames: readonly string[],
    readonly params: Readonly<Record<string, unknown>>,
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

  /**
   * Rebuilds the model from its state; a state that is not a valid forest state is a BundleError.
   * @example const again = ForestModel.fromState(structuredClone(model.toState()))
   */
  static fromState(state: ForestState): ForestModel {
    const r = new StateReader(state, ['random_forest', 'extra_trees'], FOREST_STATE_VERSION)
    const featureNames = r.strings('featureNames')
    const ensemble = decodeTreeEnsemble(r.bytes('trees'))
    if (ensemble.nFeatures !== featureNames.length) throw new BundleError(`forest state: ${featureNames.length} feature names do not match the trees' ${ensemble.nFeatures} features`, { field: 'featureNames' })
    return new ForestModel(r.kind as ForestKind, r.task(), ensemble, featureNames, r.record('params'), r.nullableNumber('oobScore'))
  }
}
