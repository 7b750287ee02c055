/**
 * The learner contract: every learner family (gbdt, oblivious, forest, linear) is a
 * {@link LearnerSpec} in the registry. It fits on the data of a job, read and binned once and
 * shared by every member and fold, and returns a {@link Model} whose state is plain, versioned
 * data. Unfitted parameters and fitted state are different types: fit never changes the params.
 */
import type { z } from 'zod'
import type { BatchPools } from '../exec/batch-pool.js'
import type { BinnedFrame } from '../data/binning.js'
import type { Frame } from '../data/frame.js'
import type { Model, ModelState } from '../runtime/models/types.js'
import type { Task } from '../task.js'
import type { Aliases, Requires } from './params.js'

export type { Task } from '../task.js'
export type { Model, ModelState } from '../runtime/models/types.js'

/** The features of a job: raw columns and the same columns binned once. */
export interface TrainingData {
  /** Raw feature columns (numeric and categorical), in feature order. */
  readonly frame: Frame
  /** The same features binned with the job's default bin count (256), in the same order. */
  readonly binned: BinnedFrame
  /**
   * The features binned with at most `maxBin` bins per feature (gbdt's `max_bin`): `binned` for
   * the default, any other count binned once on first use and kept. A job bins every count its
   * members ask for before the fits start ({@link LearnerSpec.maxBin}).
   */
  binnedAt(maxBin: number): BinnedFrame
}

/**
 * An evaluation set for early stopping and progress reports: `y` is aligned with the rows of
 * `data`; `rows`, when given, selects the rows evaluated (a fold of the training frame, say).
 */
export interface EvalSet<D> {
  readonly data: D
  readonly y: Float64Array
  readonly rows?: Int32Array
}

/** Everything about a fit that is not a hyperparameter. */
export interface FitContext {
  readonly task: Task
  /** Number of classes: 2 for binary, k for multiclass, 1 for regression. */
  readonly nClasses: number
  /** Rows of the data to train on (ascending ids); all rows when absent. */
  readonly rows?: Int32Array
  readonly evalSet?: EvalSet<TrainingData>
  /** Seed for every random choice the learner makes when its params name no seed. */
  readonly seed?: number
  /** Threads the learner may use (0 or absent: all cores). */
  readonly threads?: number
  /** Worker threads to borrow for the fit's batches (a training job's own); absent: the process's. */
  readonly pools?: BatchPools
  readonly signal?: AbortSignal
  /** Progress: step of total, with the eval metric when there is an eval set. */
  readonly onProgress?: (step: number, total: number, evalValue: number) => void
}

/** A learner family: its parameter schema (the single source of names, defaults, bounds, help), fit and load. */
export interface LearnerSpec<S extends z.ZodObject = z.ZodObject> {
  readonly kind: string
  /** One line for help texts. */
  readonly description: string
  readonly params: S
  readonly aliases: Aliases
  /** Options that act only when a boolean switch is on, each mapped to its switch (refused otherwise). */
  readonly requires?: Requires
  readonly tasks: readonly Task[]
  /**
   * The parameter that sets the learner's threads (`nthread`, `thread_count`, `n_jobs`), if any.
   * Inside a training job the job owns the threads, so a member may not set it.
   */
  readonly threadParam?: string
  /**
   * The bin count a fit with `params` reads ({@link TrainingData.binnedAt}), or null when it reads
   * only the raw frame (a linear model). Absent: the default binning, 256.
   */
  maxBin?(params: z.infer<S>): number | null
  /** How the learner stops early on an eval set, when it can (boosters). */
  readonly earlyStopping?: EarlyStopping<z.infer<S>>
  fit(data: TrainingData, y: Float64Array, params: z.infer<S>, ctx: FitContext): Promise<Model>
  fromState(state: ModelState): Model
}

/**
 * Early stopping inside a job: each fold's fit stops on its held-out rows, and the final refit on
 * all rows (which has no held-out rows) trains the mean of the folds' kept rounds, the way
 * XGBoost's `cv` then a refit with the best `num_boost_round` is used.
 */
export interface EarlyStopping<P> {
  /** Whether `params` ask for early stopping. */
  enabled(params: P): boolean
  /** Rounds a fitted model kept (its best iteration + 1). */
  rounds(model: Model): number
  /** `params` for exactly `rounds` rounds with early stopping off. */
  fixedRounds(params: P, rounds: number): P
}
