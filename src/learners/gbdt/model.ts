/**
 * From a boosting run to the runtime's {@link GbdtModel}: the grown trees up to the best
 * iteration laid out as one flat tree ensemble, with XGBoost's per-feature split counts and gains
 * for importances. The model class itself (prediction and state) is the runtime's.
 */
import { GbdtModel } from '../../runtime/models/gbdt.js'
import type { BoostResult } from './booster.js'
import type { GbdtParams } from './params.js'

/**
 * Builds the model from a boosting run, keeping the trees up to the best iteration.
 * @example const model = gbdtModel(await boost(binned, y, params), binned.mapper.featureNames, params)
 */
export function gbdtModel(result: BoostResult, featureNames: readonly string[], params: GbdtParams): GbdtModel {
  const K = result.objective.nOutputs
  const keep = result.trees.slice(0, (result.bestIteration + 1) * K)
  let nNodes = 0
  for (const t of keep) nNodes += t.size
  const ensemble = {
    nFeatures: featureNames.length,
    nOutputs: K,
    baseMargin: Float64Array.from(result.baseMargin),
    treeStart: new Int32Array(keep.length),
    treeOutput: new Int32Array(keep.length),
    feature: new Int32Array(nNodes),
    threshold: new Float64Array(nNodes),
    left: new Int32Array(nNodes),
    defaultLeft: new Uint8Array(nNodes),
    value: new Float64Array(nNodes),
  }
  const splitCount = new Array<number>(featureNames.length).fill(0)
  const totalGain = new Array<number>(featureNames.length).fill(0)
  let p = 0
  keep.forEach((t, i) => {
    ensemble.treeStart[i] = p
    ensemble.treeOutput[i] = i % K
    for (let n = 0; n < t.size; n++) {
      const leaf = t.left[n] < 0
      ensemble.feature[p + n] = leaf ? -1 : t.feature[n]
      ensemble.threshold[p + n] = leaf ? 0 : t.threshold[n]
      ensemble.left[p + n] = leaf ? -1 : p + t.left[n]
      ensemble.defaultLeft[p + n] = t.defaultLeft[n]
      ensemble.value[p + n] = leaf ? t.value[n] : 0
      if (!leaf) {
        splitCount[t.feature[n]]++
        totalGain[t.feature[n]] += t.gain[n]
      }
    }
    p += t.size
  })
  return new GbdtModel(ensemble, featureNames, result.objective.name, result.objective.link, params, result.bestIteration, splitCount, totalGain)
}
