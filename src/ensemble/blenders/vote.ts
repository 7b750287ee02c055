/**
 * The `vote` blender, classification only (scikit-learn's VotingClassifier, unweighted):
 *
 * - `soft`: the mean of the members' class probabilities.
 * - `hard`: each member votes for its most probable class (binary: class 1 when P(class 1) > 0.5;
 *   multiclass: the first most probable class) and the majority wins, ties going to the lowest
 *   class id. The output is the winner as a one-hot probability (binary: 0 or 1), so the label a
 *   metric reads back from the blend is exactly the vote's decision.
 *
 * The fitted blend is the runtime's {@link VoteBlend}.
 */
import { z } from 'zod'
import { VoteBlend } from '../../runtime/blend/vote.js'
import { checkContext, checkFitInputs } from './check.js'
import type { BlenderSpec, Task } from './types.js'

export const voteOptions = z.object({
  voting: z.enum(['hard', 'soft']).default('soft').describe('soft: mean of the probabilities; hard: majority of the predicted labels (ties to the lowest class id), output one-hot'),
})

export type VoteOptions = z.infer<typeof voteOptions>

const TASKS: readonly Task[] = ['binary', 'multiclass']

/**
 * @example
 * const model = await getBlender('vote', { voting: 'hard' }).fit(oof, y, { task: 'multiclass', nClasses: 3 })
 * model.blend(preds) // one-hot rows of the majority class
 */
export const voteBlender: BlenderSpec<typeof voteOptions> = {
  kind: 'vote',
  description: 'Classification vote: soft (mean probability) or hard (majority label, ties to the lowest class)',
  options: voteOptions,
  tasks: TASKS,
  create(options) {
    return {
      kind: 'vote',
      options,
      async fit(oof, y, ctx) {
        const width = checkContext(ctx, TASKS, 'vote')
        checkFitInputs(oof, y, width, ctx)
        return new VoteBlend(ctx.task, ctx.nClasses, oof.length, options.voting)
      },
    }
  },
  fromState: (state) => VoteBlend.fromState(state),
}
