/**
 * The fitted `mean` blend: the plain average of the members' predictions. For classifiers it
 * averages probabilities, so multiclass rows still sum to 1.
 */
import type { Task } from '../../task.js'
import { StateReader } from '../models/state-reader.js'
import { checkPredictions } from './check.js'
import { combine } from './combine.js'
import type { BlendModel, BlendState } from './types.js'

export const MEAN_STATE_VERSION = 1

/** Serialisable state of a mean blend. */
export interface MeanState extends BlendState {
  readonly kind: 'mean'
  readonly task: Task
  readonly nMembers: number
  readonly nOutputs: number
}

/**
 * A fitted mean blend.
 * @example new MeanBlend('regression', 2, 1).blend([a, b]) // (a + b) / 2
 */
export class MeanBlend implements BlendModel {
  readonly kind = 'mean'
  constructor(
    readonly task: Task,
    readonly nMembers: number,
    readonly nOutputs: number,
  ) {}

  blend(preds: readonly Float64Array[]): Float64Array {
    checkPredictions(preds, this.nOutputs, this.nMembers)
    return combine(preds, new Float64Array(this.nMembers).fill(1 / this.nMembers))
  }

  toState(): MeanState {
    return { kind: 'mean', version: MEAN_STATE_VERSION, task: this.task, nMembers: this.nMembers, nOutputs: this.nOutputs }
  }

  /**
   * Rebuilds the blend; a state that is not a valid mean state is a BundleError.
   * @example const again = MeanBlend.fromState(blend.toState())
   */
  static fromState(state: BlendState): MeanBlend {
    const r = new StateReader(state, ['mean'], MEAN_STATE_VERSION)
    return new MeanBlend(r.task(), r.count('nMembers'), r.count('nOutputs'))
  }
}
