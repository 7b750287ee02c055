/**
 * A fitted `oblivious` model: the flat oblivious ensemble with its CTR tables, the output link and
 * the parameters used. Its state is plain data holding the ensemble in binary form.
 */
import type { Frame } from '../../data/frame.js'
import { applyLink, type Link } from '../../runtime/link.js'
import { type ObliviousEnsemble, predictObliviousMargins } from '../../runtime/oblivious.js'
import { decodeOblivious, encodeOblivious } from '../../runtime/oblivious-codec.js'
import type { Model, Task } from '../types.js'
import { TASK_OF_LOSS } from './losses.js'
import type { LossName, ObliviousParams } from './params.js'

export const OBLIVIOUS_STATE_VERSION = 1

/** Serialisable state of an oblivious model. */
export interface ObliviousState {
  readonly version: number
  readonly kind: 'oblivious'
  readonly task: Task
  readonly lossFunction: LossName
  readonly link: Link
  readonly params: ObliviousParams
  readonly bestIteration: number
  /** The ensemble in its binary form. */
  readonly ensemble: Uint8Array
}

export class ObliviousModel implements Model {
  readonly kind = 'oblivious'
  readonly task: Task
  readonly nOutputs: number
  readonly featureNames: readonly string[]

  /** @example const model = new ObliviousModel(ensemble, 'RMSE', 'identity', params, 99) */
  constructor(
    readonly ensemble: ObliviousEnsemble,
    readonly lossFunction: LossName,
    readonly link: Link,
    readonly params: ObliviousParams,
    readonly bestIteration: number,
  ) {
    this.task = TASK_OF_LOSS[lossFunction]
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

  static fromState(state: ObliviousState): ObliviousModel {
    if (state.kind !== 'oblivious') throw new Error(`not an oblivious state: kind '${state.kind}'`)
    if (state.version !== OBLIVIOUS_STATE_VERSION) throw new Error(`unsupported oblivious state version ${state.version}`)
    return new ObliviousModel(decodeOblivious(state.ensemble), state.lossFunction, state.link, state.params, state.bestIteration)
  }
}
