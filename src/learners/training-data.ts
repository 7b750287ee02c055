/**
 * Building the {@link TrainingData} of a job: the feature frame and its binning, done once.
 */
import { binFrame, fitBins } from '../data/binning.js'
import type { Frame } from '../data/frame.js'
import type { TrainingData } from './types.js'

/**
 * Bins `features` once (quantile cuts over all rows, `maxBin` codes per feature).
 * @example const data = prepareTrainingData(dropColumns(frame, ['target']))
 */
export function prepareTrainingData(features: Frame, maxBin = 256, seed = 0): TrainingData {
  return { frame: features, binned: binFrame(features, fitBins(features, maxBin, seed)) }
}
