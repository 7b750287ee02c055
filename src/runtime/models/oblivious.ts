/**
 * A fitted `oblivious` model: the flat oblivious ensemble with its CTR tables, the output link and
 * the parameters used. Its state is plain data holding the ensemble in binary form. The learner
 * builds it from a boosting run; serving rebuilds it from its state.
 */
import type { Frame } from '../../data/frame.js'
import type { Task } from '../../task.js'
import { applyLink, LINKS, type Link } from '../link.js'
import { type ObliviousEnsemble, predictObliviousMargins } from '../oblivious.js'
import { decodeOblivious, encodeOblivious } from '../oblivious-codec.js'
import { StateReader } from './state-reader.js'
import type { Model } from './types.js'

export const OBLIVIOUS_STATE_VERSION = 1

/** Serialisable state of an oblivious model. */
export interface ObliviousState {
  readonly version: number
  readonly kind: 'oblivious'
  readonly task: Task
  /** CatBoost's loss name (`RMSE`, `Logloss`, `MultiClass`...). */
  readonly lossFunction: string
  readonly link: Link
  /** The parameters as resolved for the fit (the learner's names). */
  readonly params: Readonly<Record<string, unknown>>
  readonly bestIteration: number
  /** The ensemble in its binary form. */
  readonly ensemble: Uint8Array
}

/**
 * A fitted oblivious model.
 * @example
 * const model = new ObliviousModel(ensemble, 'regression', 'RMSE', 'identity', params, 99)
 * model.predict(frame)
 */
export class ObliviousModel implements Model {
  readonly kind = 'oblivious'
  readonly nOutputs: number
  readonly featureNames: readonly string[]

  constructor(
    readonly ensemble: ObliviousEnsemble,
    readonly task: Task,
    readonly lossFunction: string,
    readonly link: Link,
    readonly params: Readonly<Record<string, unknown>>,
    readonly bestIteration: number,
  ) {
    this.nOutputs = ensemble.nOutputs
    this.featureNames = ensemble.inputs.map((i) => i.name)
  }

  /** Predictions on the response scale: values, probabilities of class 1, or class probabilities. */
  predict(frame: Frame): Float64Array {
    return applyLink(this.link, this.predictMargin(frame), this.nOutputs)
  }

  /** Raw margins before the output link. */
  predictMargin(frame: Frame): Float64Array {
    return predictObliviousMargins(this.ensemble, frame)
  }

  toState(): ObliviousState {
    return {
      version: OBLIVIOUS_STATE_VERSION,
      kind: 'oblivious',
      task: this.task,
      lossFunction: this.lossFunction,
      link: this.link,
      params: structuredClone(this.params),
      bestIteration: this.bestIteration,
      ensemble: encodeOblivious(this.ensemble),
    }
  }

  /**
   * Rebuilds the model from its state; a state that is not a valid oblivious state is a BundleError.
   * @example const again = ObliviousModel.fromState(structuredClone(model.toState()))
   */
  static fromState(state: ObliviousState): ObliviousModel {
    const r = new StateReader(state, ['oblivious'], OBLIVIOUS_STATE_VERSION)
    return new ObliviousModel(decodeOblivious(r.bytes('ensemble')), r.task(), r.string('lossFunction'), r.oneOf('link', LINKS), r.record('params'), r.number('bestIteration'))
  }
}
