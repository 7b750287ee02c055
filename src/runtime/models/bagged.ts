/**
 * A bagged member: the k fold models of a cross-validation kept together (`final: bag`), predicting
 * the mean of their predictions, so no refit on all rows is needed.
 */
import type { Frame } from '../../data/frame.js'
import { BundleError, ConsortError } from '../../errors.js'
import type { Task } from '../../task.js'
import { StateReader } from './state-reader.js'
import type { Model, ModelState } from './types.js'

export const BAGGED_STATE_VERSION = 1

/** Serialisable state of a bag: the fold models' states. */
export interface BaggedState extends ModelState {
  readonly kind: 'bag'
  readonly models: readonly ModelState[]
}

/**
 * The mean of several fitted models of one task and output width.
 * @example
 * const bag = new BaggedModel(foldModels)
 * bag.predict(frame) // the fold models' mean
 */
export class BaggedModel implements Model {
  readonly kind = 'bag'
  readonly task: Task
  readonly nOutputs: number
  readonly featureNames: readonly string[]

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

  /**
   * Rebuilds the bag, each fold model with `load` (the model registry's `modelFromState`). Fold
   * models that disagree on task or outputs are a BundleError.
   * @example const bag = BaggedModel.fromState(state, modelFromState)
   */
  static fromState(state: BaggedState, load: (state: ModelState) => Model): BaggedModel {
    const r = new StateReader(state, ['bag'], BAGGED_STATE_VERSION)
    const models = r.list('models').map((s) => load(s as ModelState))
    if (models.length === 0) throw r.error('models', 'a bag needs at least one model')
    if (models.some((m) => m.task !== models[0].task || m.nOutputs !== models[0].nOutputs)) throw new BundleError('bag state: the fold models disagree on task or outputs', { field: 'models' })
    return new BaggedModel(models)
  }
}
