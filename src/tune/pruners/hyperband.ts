/**
 * Hyperband's early stopping: successive halving in one or more brackets. Trial k runs in bracket
 * k mod B, whose first rung is at minResource · η^b, and is compared only with the trials of its
 * bracket. One bracket (the default) is ASHA itself, the most aggressive; more brackets hedge
 * against a poor correlation between early and final values (Li et al.'s Hyperband), at the cost
 * of stopping fewer trials early.
 */
import { ParamError } from '../../errors.js'
import type { Pruner } from '../types.js'
import { ashaSettings, ashaShouldStop, type AshaOptions } from './asha.js'

export interface HyperbandOptions extends AshaOptions {
  /** Brackets (default 1). At most the number of rungs between minResource and maxResource. */
  readonly brackets?: number
}

/**
 * The Hyperband pruner.
 * @example
 * const pruner = hyperbandPruner({ minResource: 1, maxResource: 81, reductionFactor: 3 })
 * if (pruner.shouldStop(trial, history, { direction: 'minimize' })) stopTrial(trial)
 */
export function hyperbandPruner(options: HyperbandOptions = {}, field = 'hyperband'): Pruner {
  const base = ashaSettings(options, field)
  const brackets = options.brackets ?? 1
  const most = Number.isFinite(base.maxResource) ? Math.max(1, Math.ceil(Math.log(base.maxResource / base.minResource) / Math.log(base.reductionFactor) - 1e-9)) : Infinity
  if (!Number.isInteger(brackets) || brackets < 1 || brackets > most) {
    throw new ParamError(`brackets must be an integer from 1 to ${most}, got ${brackets}`, { field: `${field}.brackets` })
  }
  const settings = Array.from({ length: brackets }, (_, b) => ({ ...base, minResource: base.minResource * base.reductionFactor ** b }))
  return {
    name: 'hyperband',
    shouldStop(trial, history, context) {
      const b = trial.number % brackets
      const peers = brackets === 1 ? history : history.filter((t) => t.number % brackets === b)
      return ashaShouldStop(trial, peers, settings[b], context?.direction ?? 'minimize')
    },
  }
}
