/**
 * The `vote` blender, classification only (scikit-learn's VotingClassifier, unweighted):
 *
 * - `soft`: the mean of the members' class probabilities.
 * - `hard`: each member votes for its most probable class (binary: class 1 when P(class 1) > 0.5;
 *   multiclass: the first most probable class) and the majority wins, ties going to the lowest
 *   class id. The output is the winner as a one-hot probability (binary: 0 or 1), so the label a
 *   metric reads back from the blend is exactly the vote's decision.
 */
import { z } from 'zod'
import { argmaxRow } from '../../metrics/labels.js'
import { checkContext, checkFitInputs, checkPredictions, checkState } from './check.js'
import { combine } from './combine.js'
import type { BlendModel, BlendState, BlenderSpec, Task } from './types.js'

export const VOTE_STATE_VERSION = 1

export const voteOptions = z.object({
  voting: z.enum(['hard', 'soft']).default('soft').describe('soft: mean of the probabilities; hard: majority of the predicted labels (ties to the lowest class id), output one-hot'),
})

export type VoteOptions = z.infer<typeof voteOptions>

export interface VoteState extends BlendState {
  readonly kind: 'vote'
  readonly task: Task
  readonly nClasses: number
  readonly nMembers: number
  readonly voting: VoteOptions['voting']
}

/**
 * Majority vote over the members' labels; one-hot (multiclass) or 0/1 (binary) output.
 * @example
 * // three binary members say 1, 0, 1
 * hardVote([Float64Array.of(0.9), Float64Array.of(0.2), Float64Array.of(0.6)], 2) // [1]
 */
export function hardVote(preds: readonly Float64Array[], nClasses: number): Float64Array {
  const width = nClasses === 2 ? 1 : nClasses
  const n = preds[0].length / width
  const out = new Float64Array(preds[0].length)
  const votes = new Int32Array(nClasses)
  for (let i = 0; i < n; i++) {
    votes.fill(0)
    for (const p of preds) votes[width === 1 ? (p[i] > 0.5 ? 1 : 0) : argmaxRow(p, i * width, width)]++
    let winner = 0
    for (let c = 1; c < nClasses; c++) if (votes[c] > votes[winner]) winner = c
    if (width === 1) out[i] = winner
    else out[i * width + winner] = 1
  }
  return out
}

/** A fitted vote. */
export class VoteBlend implements BlendModel {
  readonly kind = 'vote'
  readonly nOutputs: number
  constructor(
    readonly task: Task,
    readonly nClasses: number,
    readonly nMembers: number,
    readonly voting: VoteOptions['voting'],
  ) {
    this.nOutputs = task === 'multiclass' ? nClasses : 1
  }

  blend(preds: readonly Float64Array[]): Float64Array {
    checkPredictions(preds, this.nOutputs, this.nMembers)
    if (this.voting === 'hard') return hardVote(preds, this.nClasses)
    return combine(preds, new Float64Array(this.nMembers).fill(1 / this.nMembers))
  }

  toState(): VoteState {
    return { kind: 'vote', version: VOTE_STATE_VERSION, task: this.task, nClasses: this.nClasses, nMembers: this.nMembers, voting: this.voting }
  }

  static fromState(state: BlendState): VoteBlend {
    checkState(state, 'vote', VOTE_STATE_VERSION)
    const s = state as VoteState
    return new VoteBlend(s.task, s.nClasses, s.nMembers, s.voting)
  }
}

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
