/**
 * The `mean` blender: the plain average of the members' predictions. For classifiers it
 * averages probabilities, so multiclass rows still sum to 1. It learns nothing from the OOF
 * predictions beyond their shape.
 */
import { z } from 'zod'
import { checkContext, checkFitInputs, checkPredictions, checkState } from './check.js'
import { combine } from './combine.js'
import type { BlendModel, BlendState, BlenderSpec, Task } from './types.js'

export const MEAN_STATE_VERSION = 1

export const meanOptions = z.object({})

export interface MeanState extends BlendState {
  readonly kind: 'mean'
  readonly task: Task
  readonly nMembers: number
  readonly nOutputs: number
}

/** A fitted mean blend. */
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

  static fromState(state: BlendState): MeanBlend {
    checkState(state, 'mean', MEAN_STATE_VERSION)
    const s = state as MeanState
    return new MeanBlend(s.task, s.nMembers, s.nOutputs)
  }
}

const TASKS: readonly Task[] = ['regression', 'binary', 'multiclass']

/**
 * @example
 * const model = await getBlender('mean').fit([oofA, oofB], y, { task: 'regression', nClasses: 1 })
 * model.blend([predA, predB]) // (predA + predB) / 2
 */
export const meanBlender: BlenderSpec<typeof meanOptions> = {
  kind: 'mean',
  description: 'Average of the members\' predictions (probabilities for classifiers)',
  options: meanOptions,
  tasks: TASKS,
  create(options) {
    return {
      kind: 'mean',
      options,
      async fit(oof, y, ctx) {
        const width = checkContext(ctx, TASKS, 'mean')
        checkFitInputs(oof, y, width, ctx)
        return new MeanBlend(ctx.task, oof.length, width)
      },
    }
  },
  fromState: (state) => MeanBlend.fromState(state),
}
