/**
 * What every strategy is built from: the ranges, the direction, the seed and the trial budget,
 * checked once (ParamErrors naming the field) so each strategy can trust them.
 */
import { ParamError } from '../../errors.js'
import type { HyperbandOptions } from '../pruners/hyperband.js'
import { createSpace, type SearchSpace } from '../space.js'
import type { Direction, ParameterRange } from '../types.js'

/** The options of {@link getStrategy}, as SageMaker's tuning job config names them. */
export interface StrategyOptions {
  readonly ranges: readonly ParameterRange[]
  readonly direction: Direction
  /** Every random choice derives from it: same seed and history, same proposals. */
  readonly seed: number
  /** The most trials the study will run (MaxNumberOfTrainingJobs). */
  readonly maxJobs: number
  /** Hyperband's rungs (HyperbandStrategyConfig: MinResource, MaxResource), for 'Hyperband'. */
  readonly hyperband?: HyperbandOptions
}

/** Checked options, with the search space built. */
export interface StrategySetup {
  readonly space: SearchSpace
  readonly direction: Direction
  /** The seed as an unsigned 32-bit integer. */
  readonly seed: number
  readonly maxJobs: number
  readonly hyperband: HyperbandOptions
}

/**
 * Checks `options` and builds the space.
 * @example const setup = strategySetup({ ranges, direction: 'minimize', seed: 1, maxJobs: 40 })
 */
export function strategySetup(options: StrategyOptions): StrategySetup {
  const { direction, seed, maxJobs } = options
  if (direction !== 'minimize' && direction !== 'maximize') throw new ParamError(`direction must be 'minimize' or 'maximize', got '${String(direction)}'`, { field: 'direction' })
  if (!Number.isInteger(seed)) throw new ParamError(`the seed must be an integer, got ${seed}`, { field: 'seed' })
  if (!Number.isInteger(maxJobs) || maxJobs < 1) throw new ParamError(`maxJobs must be a positive integer, got ${maxJobs}`, { field: 'maxJobs' })
  return { space: createSpace(options.ranges), direction, seed: seed >>> 0, maxJobs, hyperband: options.hyperband ?? {} }
}
