/**
 * A fitted `gbdt` model: the flat tree ensemble plus what is needed to use it (feature names,
 * output link, objective) and feature importances. Its state is plain data.
 */
import type { Frame } from '../../data/frame.js'
import { decodeTreeEnsemble, encodeTreeEnsemble } from '../../runtime/codec.js'
import { applyLink, type Link } from '../../runtime/link.js'
import { predictFrameMargins } from '../../runtime/predict-frame.js'
import { predictMargins, type TreeEnsemble } from '../../runtime/tree-ensemble.js'
import type { Model, Task } from '../types.js'
import type { BoostResult } from './booster.js'
import type { GbdtParams, ObjectiveName } from './params.js'

export const GBDT_STATE_VERSION = 1

/** Serialisable state of a gbdt model. */
export interface GbdtState {
  readonly version: number
  readonly kind: 'gbdt'
  readonly task: Task
  readonly objective: ObjectiveName
  readonly link: Link
  readonly featureNames: readonly string[]
  readonly params: GbdtParams
  readonly bestIteration: number
  /** Per-feature split counts and total gains. */
  readonly splitCount: readonly number[]
  readonly totalGain: readonly number[]
  /** The tree ensemble in its binary form. */
  readonly trees: Uint8Array
}

export type ImportanceType = 'weight' | 'gain' | 'total_gain'

export class GbdtModel implements Model {
  readonly kind = 'gbdt'
  readonly task: Task
  readonly nOutputs: number

  constructor(
    readonly ensemble: TreeEnsemble,
    readonly featureNames: readonly string[],
    readonly objective: ObjectiveName,
    readonly link: Link,
    readonly params: GbdtParams,
    readonly bestIteration: number,
    private readonly splitCount: readonly number[],
    private readonly totalGain: readonly number[],
  ) {
    this.task = taskOf(objective)
    this.nOutputs = ensemble.nOutputs
  }

  /** Predictions on the response scale: values, probabilities of class 1, or class probabilities. */
  predict(frame: Frame): Float64Array {
    return applyLink(this.link, this.predictMargin(frame), this.nOutputs)
  }

  /** Raw margins before the output link. */
  predictMargin(frame: Frame): Float64Array {
    return predictFrameMargins(this.ensemble, this.featureNames, frame)
  }

  /** Predictions for row-major values in the model's feature order. */
  predictRows(x: Float64Array, nRows: number): Float64Array {
    return applyLink(this.link, predictMargins(this.ensemble, x, nRows), this.nOutputs)
  }

  /**
   * Feature importance by name: `weight` (number of splits), `gain` (average gain per split) or
   * `total_gain`, as XGBoost defines them.
   */
  importance(type: ImportanceType = 'gain'): Map<string, number> {
    const out = new Map<string, number>()
    this.featureNames.forEach((name, f) => {
      const count = this.splitCount[f]
      if (count === 0) return
      out.set(name, type === 'weight' ? count : type === 'total_gain' ? this.totalGain[f] : this.totalGain[f] / count)
    })
    return out
  }

  toState(): GbdtState {
    return {
      version: GBDT_STATE_VERSION,
      kind: 'gbdt',
      task: this.task,
      objective: this.objective,
      link: this.link,
      featureNames: [...this.featureNames],
      params: { ...this.params },
      bestIteration: this.bestIteration,
      splitCount: [...this.splitCount],
      totalGain: [...this.totalGain],
      trees: encodeTreeEnsemble(this.ensemble),
    }
  }

  static fromState(state: GbdtState): GbdtModel {
    if (state.kind !== 'gbdt') throw new Error(`not a gbdt state: kind '${state.kind}'`)
    if (state.version !== GBDT_STATE_VERSION) throw new Error(`unsupported gbdt state version ${state.version}`)
    const ensemble = decodeTreeEnsemble(state.trees)
    if (ensemble.nFeatures !== state.featureNames.length) throw new Error('feature names do not match the trees')
    return new GbdtModel(ensemble, state.featureNames, state.objective, state.link, state.params, state.bestIteration, state.splitCount, state.totalGain)
  }

  /** Builds the model from a boosting run, keeping the trees up to the best iteration. */
  static fromBoost(result: BoostResult, featureNames: readonly string[], params: GbdtParams): GbdtModel {
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
}

function taskOf(objective: ObjectiveName): Task {
  return objective === 'binary:logistic' ? 'binary' : objective === 'multi:softprob' ? 'multiclass' : 'regression'
}
