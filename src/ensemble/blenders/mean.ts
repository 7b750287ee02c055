/**
 * The `mean` blender: the plain average of the members' predictions. For classifiers it
 * averages probabilities, so multiclass rows still sum to 1. It learns nothing from the OOF
 * predictions beyond their shape; the fitted blend is the runtime's {@link MeanBlend}.
 */
import { z } from 'zod'
import { MeanBlend } from '../../runtime/blend/mean.js'
import { checkContext, checkFitInputs } from './check.js'
import type { BlenderSpec, Task } from './types.js'

export const meanOptions = z.object({})

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
