/**
 * SageMaker's early stopping (`TrainingJobEarlyStoppingType: Auto`) as a pruner: after each report
 * at step s, the trial stops when its value at s is worse than the median, over earlier trials that
 * reached step s, of their running averages (the mean of their values reported up to s). It acts
 * only once `minTrials` trials have finished (5 by default, as Optuna's MedianPruner), so the
 * first trials, which set the bar, always run to the end; and never before `warmupSteps`.
 */
import { ParamError } from '../../errors.js'
import type { Pruner, TrialView } from '../types.js'
import { better, lastReport } from './reports.js'

export interface MedianOptions {
  /** Finished (Completed or Stopped) trials needed before any trial is stopped (default 5). */
  readonly minTrials?: number
  /** Reports at steps below this never stop a trial (default 0). */
  readonly warmupSteps?: number
}

/**
 * The running average of a trial's values reported at steps <= `step`, or undefined when it has
 * not reached `step` (no report at that step or later).
 * @example runningAverage({ intermediate: [[1, 4], [2, 2], [3, 9]], ... }, 2) // 3
 */
export function runningAverage(trial: TrialView, step: number): number | undefined {
  let sum = 0
  let count = 0
  let reached = false
  for (const [s, v] of trial.intermediate) {
    if (s <= step) {
      sum += v
      count++
    }
    if (s >= step) reached = true
  }
  return reached && count > 0 ? sum / count : undefined
}

/**
 * The median of `values` (the mean of the middle two for an even count).
 * @example median([3, 1, 2, 10]) // 2.5
 */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/**
 * The median-stopping pruner.
 * @example
 * const pruner = medianPruner({ minTrials: 5 })
 * pruner.shouldStop(trial, history, { direction: 'maximize' })
 */
export function medianPruner(options: MedianOptions = {}, field = 'early_stopping'): Pruner {
  const minTrials = options.minTrials ?? 5
  const warmupSteps = options.warmupSteps ?? 0
  if (!Number.isInteger(minTrials) || minTrials < 1) throw new ParamError(`minTrials must be a positive integer, got ${minTrials}`, { field: `${field}.minTrials` })
  if (!Number.isFinite(warmupSteps)) throw new ParamError(`warmupSteps must be a finite number, got ${warmupSteps}`, { field: `${field}.warmupSteps` })
  return {
    name: 'median',
    shouldStop(trial, history, context) {
      const last = lastReport(trial)
      if (!last || last[0] < warmupSteps) return false
      const [step, value] = last
      if (Number.isNaN(value)) return true
      let finished = 0
      for (const t of history) if (t.state === 'Completed' || t.state === 'Stopped') finished++
      if (finished < minTrials) return false
      const averages: number[] = []
      for (const t of history) {
        if (t.number >= trial.number || t.state === 'Failed') continue
        const avg = runningAverage(t, step)
        if (avg !== undefined && Number.isFinite(avg)) averages.push(avg)
      }
      if (averages.length === 0) return false
      return better(median(averages), value, context?.direction ?? 'minimize')
    },
  }
}
