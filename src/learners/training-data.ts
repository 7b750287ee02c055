/**
 * Building the {@link TrainingData} of a job: the feature frame and its binning, done once per bin
 * count, and only when a learner first asks for it (a linear model reads the raw frame and never
 * does).
 */
import { availableParallelism } from 'node:os'
import type { BinnedFrame } from '../data/binning.js'
import { binFrameParallel } from './parallel-binning.js'
import type { BatchPools } from '../exec/batch-pool.js'
import type { DataCounters } from '../data/counters.js'
import type { Frame } from '../data/frame.js'
import type { LearnerSpec, TrainingData } from './types.js'

/** The bin count of {@link TrainingData.binned}. */
export const DEFAULT_MAX_BIN = 256

/**
 * The bin count a fit of `learner` with `params` reads, or null when it reads only raw columns.
 * @example binningOf(getLearner('gbdt'), { ...params, max_bin: 64 }) // 64
 */
export function binningOf(learner: LearnerSpec, params: Readonly<Record<string, unknown>>): number | null {
  return learner.maxBin ? learner.maxBin(params as never) : DEFAULT_MAX_BIN
}

/** How to bin the training data. */
export interface PrepareOptions {
  /** Seed of the quantile sketch's sampling. Default 0. */
  readonly seed?: number
  /** The job's counters, which count each binning. */
  readonly counters?: DataCounters
  /**
   * Binnings made elsewhere, by bin count (a worker thread is sent the job's): used as they are,
   * and binnings made later are added to the same map.
   */
  readonly binnings?: Map<number, BinnedFrame>
  /** Threads a binning runs on (default: one per core). */
  readonly threads?: number
  /** Where a binning borrows its worker threads (default: the process's pools). */
  readonly pools?: BatchPools
}

/** Training data that also shows the binnings made so far, to send them to worker threads. */
export interface PreparedTrainingData extends TrainingData {
  readonly binnings: ReadonlyMap<number, BinnedFrame>
}

/**
 * The training data of `features`, binned (quantile cuts over all rows, `maxBin` codes per
 * feature) on the first use of each bin count and kept.
 * @example const data = prepareTrainingData(dropColumns(frame, ['target']))
 */
export function prepareTrainingData(features: Frame, options: PrepareOptions = {}): PreparedTrainingData {
  const binnings = options.binnings ?? new Map<number, BinnedFrame>()
  const binnedAt = (maxBin: number): BinnedFrame => {
    let binned = binnings.get(maxBin)
    if (binned === undefined) {
      const threads = options.threads ?? availableParallelism()
      binned = binFrameParallel(features, maxBin, options.seed ?? 0, { threads, pools: options.pools, counters: options.counters })
      binnings.set(maxBin, binned)
    }
    return binned
  }
  return {
    frame: features,
    get binned(): BinnedFrame {
      return binnedAt(DEFAULT_MAX_BIN)
    },
    binnedAt,
    binnings,
  }
}
