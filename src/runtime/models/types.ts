/**
 * The fitted-model contract every layer shares: a {@link Model} predicts frames and serialises to
 * a plain, versioned {@link ModelState} (no code). Training builds models; the runtime rebuilds
 * them from their states, so serving needs none of the training code.
 */
import type { Frame } from '../../data/frame.js'
import type { Task } from '../../task.js'

/**
 * Serialisable state of a fitted model: plain data and typed arrays, no code.
 * @example
 * const state: ModelState = model.toState() // { kind: 'gbdt', version: 1, ... }
 */
export interface ModelState {
  readonly kind: string
  readonly version: number
}

/**
 * A fitted model: predicts frames and serialises to plain data.
 * @example
 * const p = model.predict(frame) // row-major frame.nRows x model.nOutputs
 */
export interface Model {
  readonly kind: string
  readonly task: Task
  /** Columns per prediction row: 1, or the number of classes. */
  readonly nOutputs: number
  /** Feature columns the model reads, matched by name. */
  readonly featureNames: readonly string[]
  /** Predictions on the response scale (probabilities for classifiers), row-major n x nOutputs. */
  predict(frame: Frame): Float64Array
  toState(): ModelState
}
