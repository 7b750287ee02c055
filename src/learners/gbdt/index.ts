/**
 * The `gbdt` learner: histogram gradient boosting with XGBoost's parameter names.
 * @example
 * const binned = binFrame(frame, fitBins(frame, 256))
 * const model = await fitGbdt(binned, y, { max_depth: 4, eta: 0.1, num_round: 200 })
 * const pred = model.predict(testFrame)
 */
import type { BinnedFrame } from '../../data/binning.js'
import { parseParams } from '../params.js'
import type { EvalSet } from '../types.js'
import { boost } from './booster.js'
import type { GbdtModel } from '../../runtime/models/gbdt.js'
import { gbdtModel } from './model.js'
import { gbdtAliases, gbdtParams, gbdtRequires } from './params.js'

export { prestartTrainingThreads } from './executor.js'
export { GbdtModel } from '../../runtime/models/gbdt.js'
export { gbdtAliases, gbdtParams, type GbdtParams } from './params.js'

export interface GbdtFitOptions {
  /** Rows of the binned data to train on (ascending ids); all rows when absent. */
  readonly rows?: Int32Array
  readonly evalSet?: EvalSet<BinnedFrame>
  readonly onRound?: (round: number, evalValue: number) => void
  readonly signal?: AbortSignal
}

/** Validates `rawParams` (XGBoost names or aliases) and trains a model on binned data. */
export async function fitGbdt(
  data: BinnedFrame,
  y: Float64Array,
  rawParams: Readonly<Record<string, unknown>> = {},
  options: GbdtFitOptions = {},
): Promise<GbdtModel> {
  const params = parseParams(gbdtParams, gbdtAliases, rawParams, 'params', gbdtRequires)
  const result = await boost(data, y, params, options)
  return gbdtModel(result, data.mapper.featureNames, params)
}
