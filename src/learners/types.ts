/**
 * The learner contract: every learner family (gbdt, oblivious, forest, linear) fits on the binned
 * frame of a job and returns a model whose state is plain, versioned data.
 */
import type { Frame } from '../data/frame.js'

export type Task = 'regression' | 'binary' | 'multiclass'

/**
 * An evaluation set for early stopping and progress reports: `y` is aligned with the rows of
 * `data`; `rows`, when given, selects the rows evaluated (a fold of the training frame, say).
 */
export interface EvalSet<D> {
  readonly data: D
  readonly y: Float64Array
  readonly rows?: Int32Array
}

/** A fitted model: predicts frames and serialises to plain data. */
export interface Model {
  readonly kind: string
  readonly task: Task
  /** Columns per prediction row: 1, or the number of classes. */
  readonly nOutputs: number
  /** Predictions on the response scale (probabilities for classifiers), row-major n x nOutputs. */
  predict(frame: Frame): Float64Array
}
