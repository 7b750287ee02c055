/**
 * The messages between a fit pool and its workers. The job's data and targets are sent once per
 * worker (in shared memory, so not copied); each fit then names a learner, its parameters and the
 * rows to train on and to predict.
 */
import type { BinnedFrame } from '../data/binning.js'
import type { Frame } from '../data/frame.js'
import type { ModelState, Task } from '../learners/types.js'

/** One fit: a learner on some rows of the job's data, predicting other rows. */
export interface FitRequest {
  /** A built-in learner kind (workers know only the built-in registry). */
  readonly kind: string
  /** Validated parameters (the learner's parse output). */
  readonly params: Readonly<Record<string, unknown>>
  readonly task: Task
  readonly nClasses: number
  readonly seed?: number
  /** Rows to train on; all rows when absent. */
  readonly rows?: Int32Array
  /** Rows to predict with the fitted model (a fold's held-out rows). */
  readonly predictRows?: Int32Array
  /** Rows of the eval set for early stopping (a fold's held-out rows). */
  readonly evalRows?: Int32Array
  /** Whether the fitted model's state is sent back (needed for bags and final models). */
  readonly keepModel: boolean
  /** The binning the fit reads (sent to the worker before the fit), or null for none. */
  readonly maxBin: number | null
}

/** What a fit sends back. */
export interface FitReply {
  readonly state: ModelState | null
  /** Row-major predictions of `predictRows`, or null when none were asked for. */
  readonly predictions: Float64Array | null
  readonly nOutputs: number
  /** Rounds the model kept when it stopped early on `evalRows`, else null. */
  readonly rounds: number | null
  /** Wall seconds of fit and prediction in the worker. */
  readonly seconds: number
}

/** What a fit worker is sent before the fits that need it. */
export type FitSetup =
  | {
      readonly type: 'data'
      /** The features and targets, in shared memory. */
      readonly frame: Frame
      readonly y: Float64Array
    }
  /** A binning of the features (shared memory), sent once per worker before the first fit that reads it. */
  | { readonly type: 'binning'; readonly maxBin: number; readonly binned: BinnedFrame }
