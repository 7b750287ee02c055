/**
 * Building the {@link TrainingData} of a job: the feature frame and its binning, done once, and
 * only when a learner first asks for it (a linear model reads the raw frame and never does).
 */
import { binFrame, type BinnedFrame, fitBins } from '../data/binning.js'
import type { Frame } from '../data/frame.js'
import type { TrainingData } from './types.js'

/**
 * The training data of `features`, binned (quantile cuts over all rows, `maxBin` codes per
 * feature) on the first read of `binned` and kept.
 * @example const data = prepareTrainingData(dropColumns(frame, ['target']))
 */
export function prepareTrainingData(features: Frame, maxBin = 256, seed = 0): TrainingData {
  let binned: BinnedFrame | null = null
  return {
    frame: features,
    get binned(): BinnedFrame {
      binned ??= binFrame(features, fitBins(features, maxBin, seed))
      return binned
    },
  }
}
