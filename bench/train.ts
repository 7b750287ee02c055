/**
 * One timed training run: bin the features (quantile cuts on the training data, then the codes)
 * and fit the learner. Both stages count as training time, as XGBoost's DMatrix construction
 * counts in its peer's `train_s`.
 */
import type { Frame } from '../src/data/frame.js'
import { ParamError } from '../src/errors.js'
import type { Model } from '../src/learners/types.js'
import { prepareTrainingData } from '../src/learners/training-data.js'
import type { LearnerRunner, ParamMap, RunContext } from './learners.js'

/** consort's (and XGBoost's) default number of bins per feature. */
export const DEFAULT_MAX_BIN = 256

/** A fitted model and what it cost. */
export interface TimedTraining {
  readonly model: Model
  /** Seconds spent finding cut points and binning the training features. */
  readonly bin_s: number
  /** Seconds spent in the learner's fit. */
  readonly fit_s: number
  /** bin_s + fit_s, wall clock. */
  readonly train_s: number
  /** CPU seconds of the whole process (all threads) during training. */
  readonly train_cpu_s: number
  /** Bytes of the binned matrix: one byte per row and feature. */
  readonly binned_bytes: number
}

/**
 * The `max_bin` parameter if given, else {@link DEFAULT_MAX_BIN}.
 *
 * @throws ParamError when it is not an integer in [2, 256].
 * @example
 * maxBinOf({ max_bin: 64 }) // 64
 * maxBinOf({})              // 256
 */
export function maxBinOf(params: ParamMap): number {
  const value = params.max_bin ?? DEFAULT_MAX_BIN
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 2 || value > 256) {
    throw new ParamError(`max_bin must be an integer in [2, 256], got ${String(value)}`, { field: '--set max_bin' })
  }
  return value
}

/**
 * Bins `features` with cut points fitted on them and fits `runner`'s learner, timing both.
 * @example
 * const { model, train_s } = await trainTimed(getLearner('gbdt'), features, y, { num_round: 100 }, { task: 'regression', nClasses: 1 })
 */
export async function trainTimed(runner: LearnerRunner, features: Frame, y: Float64Array, params: ParamMap, ctx: RunContext): Promise<TimedTraining> {
  const maxBin = maxBinOf(params)
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  // Binned on the run's threads, as XGBoost builds its DMatrix on nthread.
  const data = prepareTrainingData(features, ctx.threads !== undefined && ctx.threads > 0 ? { threads: ctx.threads } : {})
  // Binned here, so binning is timed on its own (gbdt reads the binning of its max_bin).
  const binned = data.binnedAt(maxBin)
  const t1 = performance.now()
  const model = await runner.fit(data, y, params, ctx)
  const t2 = performance.now()
  const cpu = process.cpuUsage(cpu0)
  return {
    model,
    bin_s: seconds(t1 - t0),
    fit_s: seconds(t2 - t1),
    train_s: seconds(t2 - t0),
    train_cpu_s: round3((cpu.user + cpu.system) / 1e6),
    binned_bytes: binned.nRows * binned.nFeatures,
  }
}

/** Milliseconds from `performance.now()` differences to seconds, rounded to the millisecond. */
export function seconds(ms: number): number {
  return round3(ms / 1000)
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000
}
