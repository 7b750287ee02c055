/**
 * A bagged member: the k fold models of a cross-validation kept together (`final: bag`), predicting
 * the mean of their predictions, so no refit on all rows is needed.
 */
import type { Frame } from '../data/frame.js'
import { ConsortError } from '../errors.js'
import { modelFromState } from '../learners/index.js'
import type { Model, ModelState, Task } from '../learners/types.js'

export const BAGGED_STATE_VERSION = 1

export interface BaggedState extends ModelState {
  readonly kind: 'bag'
  readonly models: readonly ModelState[]
}

export class BaggedModel implements Model {
  readonly kind = 'bag'
  readonly task: Task
  readonly nOutputs: number
  readonly featureNames: readonly string[]

  /** @example const bag = new BaggedModel(foldModels) */
  constructor(readonly models: readonly Model[]) {
    if (models.length === 0) throw new ConsortError('a bag needs at least one model')
    this.task = models[0].task
    this.nOutputs = models[0].nOutputs
    this.featureNames = models[0].featureNames
  }

  /** The mean of the fold models' predictions (probabilities stay probabilities). */
  predict(frame: Frame): Float64Array {
    const out = new Float64Array(frame.nRows * this.nOutputs)
    for (const m of this.models) {
      const p = m.predict(frame)
      for (let i = 0; i < out.length; i++) out[i] += p[i]
    }
    for (let i = 0; i < out.length; i++) out[i] /= this.models.length
    return out
  }

  toState(): BaggedState {
    return { kind: 'bag', version: BAGGED_STATE_VERSION, models: this.models.map((m) => m.toState()) }
  }

  static fromState(state: BaggedState): BaggedModel {
    if (state.version !== BAGGED_STATE_VERSION) throw new ConsortError(`unsupported bag state version ${state.version}`)
    return new BaggedModel(state.models.map((s) => modelFromState(s)))
  }
}

/** Rebuilds a member model from its state: a bag of fold models or a single learner's model. */
export function memberFromState(state: ModelState): Model {
  return state.kind === 'bag' ? BaggedModel.fromState(state as BaggedState) : modelFromState(state)
}
