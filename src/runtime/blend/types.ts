/**
 * The fitted-blend contract: a {@link BlendModel} combines the members' predictions into the
 * ensemble's one and serialises to a plain, versioned {@link BlendState} (no code), rebuilt by
 * `blenderFromState`. Blenders fit these in `ensemble/`; serving only ever rebuilds them.
 *
 * Layout of every prediction array, a member's or the blend's: row-major `n x nOutputs` on the
 * response scale, where `nOutputs` is 1 for regression (values) and binary (P(class 1)), and
 * `nClasses` for multiclass (class probabilities).
 */
import type { Frame } from '../../data/frame.js'
import type { Task } from '../../task.js'

/**
 * Serialisable state of a fitted blend: plain data and typed arrays, no code.
 * @example const state: BlendState = blend.toState() // { kind: 'mean', version: 1, ... }
 */
export interface BlendState {
  readonly kind: string
  readonly version: number
}

/**
 * A fitted blend: combines one prediction array per member into the ensemble's prediction.
 * @example const p = blend.blend(members.map((m) => m.predict(frame)), frame)
 */
export interface BlendModel {
  readonly kind: string
  readonly task: Task
  /** Members the blend expects, in the order they were fitted. */
  readonly nMembers: number
  /** Columns per prediction row, for every member and for the blend. */
  readonly nOutputs: number
  /**
   * The ensemble prediction, same layout as a member's. `features` are the raw rows, needed only
   * by blends that pass features through (a ConsortError when they are missing).
   */
  blend(preds: readonly Float64Array[], features?: Frame): Float64Array
  toState(): BlendState
}
