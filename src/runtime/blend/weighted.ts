/**
 * The fitted `weighted` blend: a non-negative weight per member (learnt by NNLS or Caruana's
 * ensemble selection when it was fitted), applied as sum of weight x member prediction.
 */
import type { Task } from '../../task.js'
import { StateReader } from '../models/state-reader.js'
import { checkPredictions } from './check.js'
import { combine } from './combine.js'
import type { BlendModel, BlendState } from './types.js'

export const WEIGHTED_STATE_VERSION = 1

/** How the weights were learnt. */
/** How the weights were set: learnt (`nnls`, `caruana`) or `given` in the spec. */
export type WeightingMethod = 'nnls' | 'caruana' | 'given'

/** Serialisable state of a weighted blend. */
export interface WeightedState extends BlendState {
  readonly kind: 'weighted'
  readonly task: Task
  readonly nOutputs: number
  readonly method: WeightingMethod
  /** One weight per member, non-negative. */
  readonly weights: readonly number[]
}

/**
 * A fitted weighted blend: sum of weight x member prediction.
 * @example new WeightedBlend('regression', 1, 'nnls', [0.7, 0.3]).blend([a, b]) // 0.7 a + 0.3 b
 */
export class WeightedBlend implements BlendModel {
  readonly kind = 'weighted'
  readonly nMembers: number
  constructor(
    readonly task: Task,
    readonly nOutputs: number,
    readonly method: WeightingMethod,
    readonly weights: readonly number[],
  ) {
    this.nMembers = weights.length
  }

  blend(preds: readonly Float64Array[]): Float64Array {
    checkPredictions(preds, this.nOutputs, this.nMembers)
    return combine(preds, this.weights)
  }

  toState(): WeightedState {
    return { kind: 'weighted', version: WEIGHTED_STATE_VERSION, task: this.task, nOutputs: this.nOutputs, method: this.method, weights: [...this.weights] }
  }

  /**
   * Rebuilds the blend; a state that is not a valid weighted state is a BundleError.
   * @example const again = WeightedBlend.fromState(blend.toState())
   */
  static fromState(state: BlendState): WeightedBlend {
    const r = new StateReader(state, ['weighted'], WEIGHTED_STATE_VERSION)
    const weights = r.numbers('weights')
    if (weights.length === 0) throw r.error('weights', 'a weighted blend needs at least one weight')
    return new WeightedBlend(r.task(), r.count('nOutputs'), r.oneOf('method', ['nnls', 'caruana', 'given']), [...weights])
  }
}
