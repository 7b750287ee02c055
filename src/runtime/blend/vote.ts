/**
 * The fitted `vote` blend, classification only (scikit-learn's VotingClassifier, unweighted):
 *
 * - `soft`: the mean of the members' class probabilities.
 * - `hard`: each member votes for its most probable class (binary: class 1 when P(class 1) > 0.5;
 *   multiclass: the first most probable class) and the majority wins, ties going to the lowest
 *   class id. The output is the winner as a one-hot probability (binary: 0 or 1), so the label a
 *   metric reads back from the blend is exactly the vote's decision.
 */
import { argmaxRow } from '../../metrics/labels.js'
import type { Task } from '../../task.js'
import { StateReader } from '../models/state-reader.js'
import { checkPredictions } from './check.js'
import { combine } from './combine.js'
import type { BlendModel, BlendState } from './types.js'

export const VOTE_STATE_VERSION = 1

/** Soft (mean probability) or hard (majority label) voting. */
export type Voting = 'hard' | 'soft'

/** Serialisable state of a vote. */
export interface VoteState extends BlendState {
  readonly kind: 'vote'
  readonly task: Task
  readonly nClasses: number
  readonly nMembers: number
  readonly voting: Voting
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

/**
 * A fitted vote.
 * @example new VoteBlend('binary', 2, 3, 'hard').blend([a, b, c]) // 0 or 1 per row
 */
export class VoteBlend implements BlendModel {
  readonly kind = 'vote'
  readonly nOutputs: number
  constructor(
    readonly task: Task,
    readonly nClasses: number,
    readonly nMembers: number,
    readonly voting: Voting,
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

  /**
   * Rebuilds the vote; a state that is not a valid vote state is a BundleError.
   * @example const again = VoteBlend.fromState(blend.toState())
   */
  static fromState(state: BlendState): VoteBlend {
    const r = new StateReader(state, ['vote'], VOTE_STATE_VERSION)
    const task = r.task()
    if (task === 'regression') throw r.error('task', 'a vote is for classification')
    const nClasses = r.count('nClasses')
    if (nClasses < 2) throw r.error('nClasses', 'a vote needs at least 2 classes')
    return new VoteBlend(task, nClasses, r.count('nMembers'), r.oneOf('voting', ['hard', 'soft']))
  }
}
