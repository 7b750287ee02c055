/**
 * An `imported_trees` model: a tree ensemble converted from another format (an ONNX
 * TreeEnsembleRegressor or TreeEnsembleClassifier), laid out as the shared flat tree ensemble with
 * the source's output transform as a link. Unlike gbdt it claims no objective, parameters or
 * importances it does not know. Its state is plain data; serving rebuilds it like any member.
 */
import type { Frame } from '../../data/frame.js'
import { BundleError } from '../../errors.js'
import type { Task } from '../../task.js'
import { decodeTreeEnsemble, encodeTreeEnsemble } from '../codec.js'
import { applyLink, LINKS, type Link } from '../link.js'
import { predictFrameMargins } from '../predict-frame.js'
import { predictMargins, type TreeEnsemble } from '../tree-ensemble.js'
import { StateReader } from './state-reader.js'
import type { Model } from './types.js'

export const IMPORTED_TREES_STATE_VERSION = 1

/** Serialisable state of an imported tree ensemble. */
export interface ImportedTreesState {
  readonly version: number
  readonly kind: 'imported_trees'
  readonly task: Task
  readonly link: Link
  readonly featureNames: readonly string[]
  /** Where the trees came from, for people reading a manifest (e.g. `onnx:TreeEnsembleClassifier`). */
  readonly source: string
  /** The class labels of a classifier, in output order (empty for a regressor). */
  readonly classLabels: readonly string[]
  /** The tree ensemble in its binary form. */
  readonly trees: Uint8Array
}

/**
 * A tree ensemble brought in from another format.
 * @example
 * const model = new ImportedTreesModel('regression', ensemble, ['x0', 'x1'], 'identity', 'onnx:TreeEnsembleRegressor', [])
 * model.predict(frame)
 */
export class ImportedTreesModel implements Model {
  readonly kind = 'imported_trees'
  readonly nOutputs: number

  constructor(
    readonly task: Task,
    readonly ensemble: TreeEnsemble,
    readonly featureNames: readonly string[],
    readonly link: Link,
    readonly source: string,
    readonly classLabels: readonly string[],
  ) {
    this.nOutputs = ensemble.nOutputs
    if (ensemble.nFeatures !== featureNames.length) throw new BundleError(`imported trees: ${featureNames.length} feature names do not match the trees' ${ensemble.nFeatures} features`, { field: 'featureNames' })
    const expected = task === 'multiclass' ? classLabels.length : 1
    if (this.nOutputs !== expected) throw new BundleError(`imported trees: a ${task} model needs ${expected} output(s), the trees have ${this.nOutputs}`, { field: 'trees' })
  }

  /** Predictions on the response scale: values, P(class 1), or class probabilities. */
  predict(frame: Frame): Float64Array {
    return applyLink(this.link, predictFrameMargins(this.ensemble, this.featureNames, frame), this.nOutputs)
  }

  /** Predictions for row-major values in the model's feature order. */
  predictRows(x: Float64Array, nRows: number): Float64Array {
    return applyLink(this.link, predictMargins(this.ensemble, x, nRows), this.nOutputs)
  }

  toState(): ImportedTreesState {
    return {
      version: IMPORTED_TREES_STATE_VERSION,
      kind: 'imported_trees',
      task: this.task,
      link: this.link,
      featureNames: [...this.featureNames],
      source: this.source,
      classLabels: [...this.classLabels],
      trees: encodeTreeEnsemble(this.ensemble),
    }
  }

  /**
   * Rebuilds the model from its state; a state that is not a valid one is a BundleError.
   * @example const again = ImportedTreesModel.fromState(structuredClone(model.toState()))
   */
  static fromState(state: ImportedTreesState): ImportedTreesModel {
    const r = new StateReader(state, ['imported_trees'], IMPORTED_TREES_STATE_VERSION)
    return new ImportedTreesModel(r.task(), decodeTreeEnsemble(r.bytes('trees')), r.strings('featureNames'), r.oneOf('link', LINKS), r.string('source'), r.strings('classLabels'))
  }
}
