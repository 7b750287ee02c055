/**
 * Reading a trial's intermediate reports: its latest report, the value it reported on reaching a
 * step, and which of two values is better for the study's direction.
 */
import type { Direction, TrialView } from '../types.js'

/**
 * The last `[step, value]` a trial reported, or undefined when it reported none.
 * @example lastReport(trial) // [12, 0.31]
 */
export function lastReport(trial: TrialView): readonly [number, number] | undefined {
  return trial.intermediate.length > 0 ? trial.intermediate[trial.intermediate.length - 1] : undefined
}

/**
 * The value of the first report at a step >= `step` (the value with which the trial reached that
 * step), or undefined when it has not reached it.
 * @example reachedValue(trial, 9) // the value reported at step 9, or at step 10 if it skipped 9
 */
export function reachedValue(trial: TrialView, step: number): number | undefined {
  for (const [s, v] of trial.intermediate) if (s >= step) return v
  return undefined
}

/**
 * The value reported at exactly `step` (the last one, should a step repeat), or undefined.
 * @example valueAt(trial, 3)
 */
export function valueAt(trial: TrialView, step: number): number | undefined {
  let found: number | undefined
  for (const [s, v] of trial.intermediate) if (s === step) found = v
  return found
}

/**
 * Whether `a` is strictly better than `b`.
 * @example better(0.1, 0.2, 'minimize') // true
 */
export function better(a: number, b: number, direction: Direction): boolean {
  return direction === 'minimize' ? a < b : a > b
}

/**
 * The best finished (Completed or, when `withStopped`, also Stopped) trial with a finite value;
 * ties go to the earlier trial.
 * @example bestTrial(history, 'maximize')?.value
 */
export function bestTrial(history: readonly TrialView[], direction: Direction, withStopped = true): TrialView | undefined {
  let best: TrialView | undefined
  for (const t of history) {
    const finished = t.state === 'Completed' || (withStopped && t.state === 'Stopped')
    if (!finished || t.value === undefined || !Number.isFinite(t.value)) continue
    if (!best || better(t.value, best.value!, direction) || (t.value === best.value && t.number < best.number)) best = t
  }
  return best
}
