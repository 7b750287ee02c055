/**
 * A fitted `gbdt` model: the flat tree ensemble plus what is needed to use it (feature names,
 * output link, objective) and feature importances. Its state is plain data. The learner builds it
 * from a boosting run; serving rebuilds it from its state with nothing of the training code.
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

export const GBDT_STATE_VERSION = 1

/** Serialisable state of a gbdt model. */
export interface GbdtState {
  readonly version: number
  readonly kind: 'gbdt'
  readonly task: Task
  /** XGBoost's objective name (`reg:squarederror`, `binary:logistic`, `multi:softprob`...). */
  readonly objective: string
  readonly link: Link
  readonly featureNames: readonly string[]
  /** The parameters as resolved for the fit (the learner's names). */
  readonly params: Readonly<Record<string, unknown>>
  readonly bestIteration: number
  /** Per-feature split counts and total gains. */
  readonly splitCount: readonly number[]
  readonly totalGain: readonly number[]
  /** The tree ensemble in its binary form. */
  readonly trees: Uint8Array
}

export type ImportanceType = 'weight' | 'gain' | 'total_gain'

/**
 * A fitted gbdt model.
 * @example
 * const model = GbdtModel.fromState(state)
 * model.predict(frame) // values, P(class 1), or class probabilities
 */
export class GbdtModel implements Model {
  readonly kind = 'gbdt'
  readonly task: Task
  readonly nOutputs: number

  constructor(
    readonly ensemble: TreeEnsemble,
    readonly featureNames: readonly string[],
    readonly objective: string,
    readonly link: Link,
    readonly params: Readonly<Record<string, unknown>>,
    readonly bestIteration: number,
    private readonly splitCount: readonly number[],
    private readonly totalGain: readonly number[],
  ) {
    this.task = taskOf(objective)
    this.nOutputs = ensemble.nOutputs
  }

  /** Predictions on the response scale: values, probabilities of class 1, or class probabilities. */
  predict(frame: Frame): Float64Array {
    return applyLink(this.link, this.predictMargin(frame), this.nOutputs)
  }

  /** Raw margins before the output link. */
  predictMargin(frame: Frame): Float64Array {
    return predictFrameMargins(this.ensemble, this.featureNames, frame)
  }

  /** Predictions for row-major values in the model's feature order. */
  predictRows(x: Float64Array, nRows: number): Float64Array {
    return applyLink(this.link, predictMargins(this.ensemble, x, nRows), this.nOutputs)
  }

  /**
   * Feature importance by name: `weight` (number of splits), `gain` (average gain per split) or
   * `total_gain`, as XGBoost defines them.
   */
  importance(type: ImportanceType = 'gain'): Map<string, number> {
    const out = new Map<string, number>()
    this.featureNames.forEach((name, f) => {
      const count = this.splitCount[f]
      if (count === 0) return
      out.set(name, type === 'weight' ? count : type === 'total_gain' ? this.totalGain[f] : this.totalGain[f] / count)
    })
    return out
  }

  toState(): GbdtState {
    return {
      version: GBDT_STATE_VERSION,
      kind: 'gbdt',
      task: this.task,
      objective: this.objective,
      link: this.link,
      featureNames: [...this.featureNames],
      params: { ...this.params },
      bestIteration: this.bestIteration,
      splitCount: [...this.splitCount],
      totalGain: [...this.totalGain],
      trees: encodeTreeEnsemble(this.ensemble),
    }
  }

  /**
   * Rebuilds the model from its state; a state that is not a valid gbdt state is a BundleError.
   * @example const again = GbdtModel.fromState(structuredClone(model.toState()))
   */
  static fromState(state: GbdtState): GbdtModel {
    const r = new StateReader(state, ['gbdt'], GBDT_STATE_VERSION)
    const featureNames = r.strings('featureNames')
    const ensemble = decodeTreeEnsemble(r.bytes('trees'))
    if (ensemble.nFeatures !== featureNames.length) throw new BundleError(`gbdt state: ${featureNames.length} feature names do not match the trees' ${ensemble.nFeatures} features`, { field: 'featureNames' })
    const splitCount = r.numbers('splitCount')
    const totalGain = r.numbers('totalGain')
    if (splitCount.length !== featureNames.length || totalGain.length !== featureNames.length) throw r.error('splitCount', 'importances do not match the feature names')
    return new GbdtModel(ensemble, featureNames, r.string('objective'), r.oneOf('link', LINKS), r.record('params'), r.number('bestIteration'), splitCount, totalGain)
  }

}

/** The task an XGBoost objective name stands for: `binary:*`, `multi:*`, or regression. */
function taskOf(objective: string): Task {
  return objective.startsWith('binary:') ? 'binary' : objective.startsWith('multi:') ? 'multiclass' : 'regression'
}
