/**
 * The blender contract: a {@link Blender} fits on the members' out-of-fold predictions and
 * returns a {@link BlendModel} (the runtime's contract) that combines new member predictions into
 * the ensemble's one. Blend models serialise to plain, versioned {@link BlendState} (no code),
 * restored by the runtime's `blenderFromState`.
 *
 * Layout of every prediction array, a member's or the blend's: row-major `n x nOutputs` on the
 * response scale, where `nOutputs` is 1 for regression (values) and binary (P(class 1)), and
 * `nClasses` for multiclass (class probabilities).
 */
import type { z } from 'zod'
import type { Frame } from '../../data/frame.js'
import type { MetricName } from '../../metrics/registry.js'
import type { BlendModel, BlendState } from '../../runtime/blend/types.js'
import type { Task } from '../../task.js'

export type { Task } from '../../task.js'
export type { BlendModel, BlendState } from '../../runtime/blend/types.js'

/** Everything about a blend fit that is not one of the blender's options. */
export interface BlendContext {
  readonly task: Task
  /** 1 for regression, 2 for binary, k for multiclass. */
  readonly nClasses: number
  /** The job metric; blenders that optimise a metric use it (the task's default otherwise). */
  readonly metric?: MetricName
  /** Raw features aligned with the OOF rows, for blenders that pass them through (stack). */
  readonly features?: Frame
  /** Seed for any random choice the blender (or its meta-learner) makes. */
  readonly seed?: number
  /** The members' names, in the order of the predictions; blenders whose options name members need them. */
  readonly members?: readonly string[]
}

/** An unfitted blender with validated options; fitting never changes the options. */
export interface Blender {
  readonly kind: string
  readonly options: Readonly<Record<string, unknown>>
  /** True when fitting and blending read the raw features (a stack with passthrough); absent: false. */
  readonly usesFeatures?: boolean
  /**
   * Fits on `oof`, one array per member of out-of-fold predictions (layout above), against the
   * targets `y` (values, or class ids 0 .. nClasses - 1). Asynchronous because a meta-learner's
   * fit is.
   */
  fit(oof: readonly Float64Array[], y: Float64Array, ctx: BlendContext): Promise<BlendModel>
}

/** A blender family in the registry: its option schema (the single source of names and defaults), factory and loader. */
export interface BlenderSpec<S extends z.ZodObject = z.ZodObject> {
  readonly kind: string
  /** One line for help texts. */
  readonly description: string
  readonly options: S
  readonly tasks: readonly Task[]
  create(options: z.infer<S>): Blender
  fromState(state: BlendState): BlendModel
}
