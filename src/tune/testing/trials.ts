/**
 * Trial views written by hand, for the tests of pruners, strategies and completion criteria.
 */
import type { Params, TrialState, TrialView } from '../types.js'

/**
 * A trial view with the given number, state and reports; `value` defaults to the last report's.
 * @example trialView(3, 'Running', [[1, 0.5], [2, 0.4]])
 */
export function trialView(
  number: number,
  state: TrialState,
  intermediate: readonly (readonly [number, number])[] = [],
  value?: number,
  params: Params = { x: number },
): TrialView {
  const last = intermediate.length > 0 ? intermediate[intermediate.length - 1][1] : undefined
  return { number, state, params, intermediate, value: state === 'Completed' || state === 'Stopped' ? (value ?? last) : value }
}

/**
 * Completed trials with the given final values, numbered from `from`.
 * @example completed([0.3, 0.2, 0.25])
 */
export function completed(values: readonly number[], from = 0): TrialView[] {
  return values.map((v, i) => trialView(from + i, 'Completed', [], v, { x: from + i }))
}
