/**
 * Asynchronous successive halving (ASHA, Li et al. 2020), the early-stopping rule of the Hyperband
 * strategy. Rungs sit at resources minResource · η^k (the resource is the report's step: boosting
 * rounds, epochs). When a trial first reaches a rung it is compared with every trial that reached
 * the same rung before or after it; it goes on only if it is among the best ⌊m/η⌋ of those m
 * trials (the best one when m < η, as Optuna's SuccessiveHalvingPruner). No trial is stopped
 * before minResource (SageMaker's rule) or at maxResource and beyond (it is finishing anyway).
 */
import { ParamError } from '../../errors.js'
import type { Direction, Pruner, TrialView } from '../types.js'
import { better, lastReport, reachedValue } from './reports.js'

export interface AshaOptions {
  /** The first rung's resource (default 1). */
  readonly minResource?: number
  /** The resource at which a trial is complete (default: unbounded, rungs go on). */
  readonly maxResource?: number
  /** η: one in η trials goes on at each rung (default 3). */
  readonly reductionFactor?: number
}

/** Checked ASHA settings. */
export interface AshaSettings {
  readonly minResource: number
  readonly maxResource: number
  readonly reductionFactor: number
}

/**
 * Defaults applied and checked: minResource > 0, maxResource > minResource, reductionFactor >= 2.
 * @example ashaSettings({ maxResource: 81 }) // { minResource: 1, maxResource: 81, reductionFactor: 3 }
 */
export function ashaSettings(options: AshaOptions = {}, field = 'hyperband'): AshaSettings {
  const minResource = options.minResource ?? 1
  const maxResource = options.maxResource ?? Infinity
  const reductionFactor = options.reductionFactor ?? 3
  if (!(Number.isFinite(minResource) && minResource > 0)) throw new ParamError(`minResource must be a positive number, got ${minResource}`, { field: `${field}.minResource` })
  if (!(maxResource > minResource)) throw new ParamError(`maxResource (${maxResource}) must exceed minResource (${minResource})`, { field: `${field}.maxResource` })
  if (!(Number.isFinite(reductionFactor) && reductionFactor >= 2)) {
    throw new ParamError(`reductionFactor must be a number >= 2, got ${reductionFactor}`, { field: `${field}.reductionFactor` })
  }
  return { minResource, maxResource, reductionFactor }
}

/**
 * The rungs at resources minResource · η^k below maxResource, up to `upTo`.
 * @example ashaRungs({ minResource: 1, maxResource: 81, reductionFactor: 3 }, 100) // [1, 3, 9, 27]
 */
export function ashaRungs(s: AshaSettings, upTo: number): number[] {
  const rungs: number[] = []
  for (let r = s.minResource; r < s.maxResource && r <= upTo; r *= s.reductionFactor) rungs.push(r)
  return rungs
}

/**
 * Whether `trial`, at its latest report, just reached a rung where it is not among the best
 * ⌊m/η⌋ of the m trials in `peers` (itself included) that reached that rung.
 * @example ashaShouldStop(trial, history, settings, 'minimize')
 */
export function ashaShouldStop(trial: TrialView, peers: readonly TrialView[], s: AshaSettings, direction: Direction): boolean {
  const last = lastReport(trial)
  if (!last) return false
  const [step] = last
  if (step >= s.maxResource) return false
  const previous = trial.intermediate.length > 1 ? trial.intermediate[trial.intermediate.length - 2][0] : -Infinity
  for (const rung of ashaRungs(s, step)) {
    if (rung <= previous) continue // decided at an earlier report
    const own = reachedValue(trial, rung)!
    if (!Number.isFinite(own)) return true
    const values = [own]
    for (const t of peers) {
      if (t.number === trial.number) continue
      const v = reachedValue(t, rung)
      if (v !== undefined && Number.isFinite(v)) values.push(v)
    }
    values.sort((a, b) => (direction === 'minimize' ? a - b : b - a))
    const keep = Math.max(1, Math.floor(values.length / s.reductionFactor))
    if (better(values[keep - 1], own, direction)) return true
  }
  return false
}

/**
 * The ASHA pruner (one bracket); see {@link hyperbandPruner} for several.
 * @example
 * const pruner = ashaPruner({ minResource: 1, maxResource: 81, reductionFactor: 3 })
 * pruner.shouldStop(trial, history, { direction: 'minimize' })
 */
export function ashaPruner(options: AshaOptions = {}, field = 'hyperband'): Pruner {
  const settings = ashaSettings(options, field)
  return {
    name: 'asha',
    shouldStop: (trial, history, context) => ashaShouldStop(trial, history, settings, context?.direction ?? 'minimize'),
  }
}
