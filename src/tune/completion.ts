/**
 * SageMaker's tuning-job completion criteria (TuningJobCompletionCriteria): stop the study early
 * when the best value reaches a target, when trials stop improving, or when the search has
 * converged. Trials are read in trial-number order, Completed and Stopped ones with a finite value
 * (a Stopped trial's value is what it reached); Running and Failed trials do not count.
 *
 * - `targetValue`: the best value is at or beyond the target (<= when minimising).
 * - `noImprovementJobs` N (N >= 3, as SageMaker requires): the last N finished trials each failed
 *   to improve on the best before them by at least 1% of its magnitude.
 * - `onConvergence`: SageMaker does not publish its test; this one is: at least
 *   2 x {@link CONVERGENCE_WINDOW} trials finished, and over the last {@link CONVERGENCE_WINDOW}
 *   the best value moved by no more than 0.1% of the range of all values seen (max - min), i.e.
 *   the search has stopped finding anything that matters on the objective's own scale.
 */
import { ParamError } from '../errors.js'
import type { Direction, TrialView } from './types.js'

/** Trials in the convergence test's window. */
export const CONVERGENCE_WINDOW = 10
/** The relative improvement `noImprovementJobs` asks for. */
export const MIN_IMPROVEMENT = 0.01
/** The share of the observed range under which the best value has converged. */
export const CONVERGENCE_TOLERANCE = 0.001

export interface CompletionCriteria {
  /** Stop once the best value reaches this (TargetObjectiveMetricValue). */
  readonly targetValue?: number
  /** Stop after this many finished trials in a row without a 1% improvement (>= 3). */
  readonly noImprovementJobs?: number
  /** Stop when the search has converged (CompleteOnConvergence). */
  readonly onConvergence?: boolean
}

export interface CompletionOptions extends CompletionCriteria {
  readonly direction: Direction
}

/**
 * Throws a ParamError (field `completion.<name>`) for invalid criteria.
 * @example checkCompletion({ noImprovementJobs: 2 }) // ParamError: needs at least 3
 */
export function checkCompletion(criteria: CompletionCriteria, field = 'completion'): void {
  const { targetValue, noImprovementJobs, onConvergence } = criteria
  if (targetValue !== undefined && !(typeof targetValue === 'number' && Number.isFinite(targetValue))) {
    throw new ParamError(`target_value must be a finite number, got ${String(targetValue)}`, { field: `${field}.target_value` })
  }
  if (noImprovementJobs !== undefined && !(Number.isInteger(noImprovementJobs) && noImprovementJobs >= 3)) {
    throw new ParamError(`no_improvement_jobs must be an integer of at least 3, got ${String(noImprovementJobs)}`, { field: `${field}.no_improvement_jobs` })
  }
  if (onConvergence !== undefined && typeof onConvergence !== 'boolean') {
    throw new ParamError(`on_convergence must be true or false, got ${String(onConvergence)}`, { field: `${field}.on_convergence` })
  }
}

/**
 * Why the study should stop now, or null to go on.
 * @example
 * completionCheck(history, { direction: 'minimize', targetValue: 0.1, noImprovementJobs: 10 })
 * // 'target_value reached: best 0.0973 <= 0.1' or null
 */
export function completionCheck(history: readonly TrialView[], options: CompletionOptions): string | null {
  checkCompletion(options)
  const { direction } = options
  const sign = direction === 'minimize' ? 1 : -1
  const values = [...history]
    .filter((t) => (t.state === 'Completed' || t.state === 'Stopped') && t.value !== undefined && Number.isFinite(t.value))
    .sort((a, b) => a.number - b.number)
    .map((t) => t.value!)
  if (values.length === 0) return null
  const best = sign === 1 ? Math.min(...values) : Math.max(...values)

  if (options.targetValue !== undefined && sign * best <= sign * options.targetValue) {
    return `target_value reached: best ${fmt(best)} ${sign === 1 ? '<=' : '>='} ${options.targetValue}`
  }
  const n = options.noImprovementJobs
  if (n !== undefined && trialsWithoutImprovement(values, sign) >= n) {
    return `no_improvement_jobs: ${n} trials in a row without improving on ${fmt(best)} by 1%`
  }
  if (options.onConvergence && converged(values, sign)) {
    return `on_convergence: over the last ${CONVERGENCE_WINDOW} trials the best value (${fmt(best)}) moved by less than 0.1% of the range of values seen`
  }
  return null
}

/**
 * How many of the last finished values in a row did not improve on the best before them by at
 * least 1% of its magnitude (values in trial order; `sign` 1 to minimise, -1 to maximise).
 * @example trialsWithoutImprovement([10, 9, 8.95, 8.99, 9.5], 1) // 3 (8.95 is only 0.6% better than 9)
 */
export function trialsWithoutImprovement(values: readonly number[], sign: number): number {
  let best = values[0]
  let count = 0
  for (let i = 1; i < values.length; i++) {
    const v = values[i]
    const gain = sign * (best - v)
    if (gain > 0 && gain >= MIN_IMPROVEMENT * Math.abs(best)) count = 0
    else count++
    if (gain > 0) best = v
  }
  return count
}

function converged(values: readonly number[], sign: number): boolean {
  if (values.length < 2 * CONVERGENCE_WINDOW) return false
  let lo = Infinity
  let hi = -Infinity
  let best = Infinity
  let bestBefore = Infinity
  values.forEach((v, i) => {
    lo = Math.min(lo, v)
    hi = Math.max(hi, v)
    best = Math.min(best, sign * v)
    if (i === values.length - 1 - CONVERGENCE_WINDOW) bestBefore = best
  })
  return bestBefore - best <= CONVERGENCE_TOLERANCE * (hi - lo)
}

function fmt(v: number): string {
  return Number(v.toPrecision(6)).toString()
}
